import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { ClusterRecord } from '@gke-emulator/container';
import type { KubeObject } from '../api/kube-object';
import { JsonScalar } from './json.scalar';

@ObjectType('Label', { description: 'A label (or selector pair): key and value.' })
export class LabelModel {
  @Field({ description: "The label's key, e.g. app.kubernetes.io/name." }) key!: string;
  @Field({ description: "The label's value." }) value!: string;
}

@ObjectType('LabelSelectorRequirement', {
  description: 'A set-based label requirement (`matchExpressions` entry).',
})
export class LabelSelectorRequirementModel {
  @Field({ description: 'The label key the requirement is about.' }) key!: string;
  @Field({ description: 'In, NotIn, Exists or DoesNotExist.' }) operator!: string;
  @Field(() => [String], { description: 'The values for In and NotIn; empty for Exists and DoesNotExist.' })
  values!: string[];
}

@ObjectType('LabelSelector', { description: 'A metav1.LabelSelector: matchLabels AND matchExpressions.' })
export class LabelSelectorModel {
  @Field(() => [LabelModel], { description: 'Labels an object must have (key equals value); all must hold.' })
  matchLabels!: LabelModel[];
  @Field(() => [LabelSelectorRequirementModel], { description: 'Set-based requirements; all must hold.' })
  matchExpressions!: LabelSelectorRequirementModel[];
}

/** What every Kubernetes object model has, and carries for its field resolvers. */
@ObjectType({ isAbstract: true })
export abstract class KubeObjectModel {
  @Field({ description: 'The namespace the object lives in (`metadata.namespace`).' }) namespace!: string;
  @Field({ description: "The object's name, unique within its namespace and kind (`metadata.name`)." })
  name!: string;
  @Field(() => ID, {
    description: "The object's UID, unique across the cluster's lifetime (`metadata.uid`).",
  })
  uid!: string;
  @Field(() => [LabelModel], { description: "The object's labels (`metadata.labels`)." })
  labels!: LabelModel[];
  @Field({ description: 'When the object was created (`metadata.creationTimestamp`, RFC 3339).' })
  creationTimestamp!: string;
  @Field(() => JsonScalar, { description: 'The whole Kubernetes object, as the Kubernetes API serves it.' })
  object!: KubeObject;
  /** The cluster the object lives in. */
  cluster!: ClusterRecord;
}

@ObjectType('KubernetesCluster', {
  description: "A GKE cluster's Kubernetes API: its namespaces, workloads, Services and policies.",
})
export class KubernetesClusterModel {
  @Field({ description: 'The Google Cloud project ID the cluster belongs to.' }) project!: string;
  @Field({ description: "The cluster's location (region or zone)." }) location!: string;
  @Field({ description: 'The cluster name.' }) name!: string;
  @Field({ description: "The cluster's pod range." }) podRange!: string;
  @Field({ description: 'The range ClusterIPs come from.' }) servicesRange!: string;
  cluster!: ClusterRecord;
}

@ObjectType('Namespace', { description: 'A Kubernetes namespace (v1 Namespace).' })
export class NamespaceModel {
  @Field({ description: "The namespace's name." }) name!: string;
  @Field({ description: 'Active or Terminating.' }) phase!: string;
  @Field(() => [LabelModel], {
    description: "The namespace's labels (NetworkPolicy namespaceSelectors match them).",
  })
  labels!: LabelModel[];
  @Field({ description: 'When the namespace was created (RFC 3339).' }) creationTimestamp!: string;
}

@ObjectType('PodContainer', { description: 'A container of a pod (v1 Container).' })
export class PodContainerModel {
  @Field({ description: "The container's name, unique within the pod." }) name!: string;
  @Field({ description: 'The container image.' }) image!: string;
  @Field(() => [Int], { description: 'Container ports.' }) ports!: number[];
}

@ObjectType('Pod', { description: 'A Pod (core/v1).' })
export class PodModel extends KubeObjectModel {
  @Field({ nullable: true, description: 'spec.nodeName: the node it is scheduled on.' }) nodeName?: string;
  @Field({ nullable: true, description: "status.podIP, from its node's pod range." }) podIP?: string;
  @Field({ nullable: true, description: "status.hostIP: its node's internal IP." }) hostIP?: string;
  @Field({ description: 'Pending, Running, Succeeded, Failed or Unknown.' }) phase!: string;
  @Field({ description: 'The Ready condition.' }) ready!: boolean;
  @Field(() => [PodContainerModel], { description: "The pod's containers (`spec.containers`)." })
  containers!: PodContainerModel[];
  @Field({
    nullable: true,
    description: 'Kind/name of the controlling owner, e.g. ReplicaSet/web-5d8f7c9b4.',
  })
  controlledBy?: string;
}
