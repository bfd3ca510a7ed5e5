import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { ClusterRecord } from '@gke-emulator/container';
import type { KubeObject } from '../api/kube-object';
import { JsonScalar } from './json.scalar';

@ObjectType('Label', { description: 'A label (or selector pair): key and value.' })
export class LabelModel {
  @Field() key!: string;
  @Field() value!: string;
}

@ObjectType('LabelSelectorRequirement')
export class LabelSelectorRequirementModel {
  @Field() key!: string;
  @Field({ description: 'In, NotIn, Exists or DoesNotExist.' }) operator!: string;
  @Field(() => [String]) values!: string[];
}

@ObjectType('LabelSelector', { description: 'A metav1.LabelSelector: matchLabels AND matchExpressions.' })
export class LabelSelectorModel {
  @Field(() => [LabelModel]) matchLabels!: LabelModel[];
  @Field(() => [LabelSelectorRequirementModel]) matchExpressions!: LabelSelectorRequirementModel[];
}

/** What every Kubernetes object model has, and carries for its field resolvers. */
@ObjectType({ isAbstract: true })
export abstract class KubeObjectModel {
  @Field() namespace!: string;
  @Field() name!: string;
  @Field(() => ID) uid!: string;
  @Field(() => [LabelModel]) labels!: LabelModel[];
  @Field() creationTimestamp!: string;
  @Field(() => JsonScalar, { description: 'The whole Kubernetes object, as the Kubernetes API serves it.' })
  object!: KubeObject;
  /** The cluster the object lives in. */
  cluster!: ClusterRecord;
}

@ObjectType('KubernetesCluster', {
  description: "A GKE cluster's Kubernetes API: its namespaces, workloads, Services and policies.",
})
export class KubernetesClusterModel {
  @Field() project!: string;
  @Field() location!: string;
  @Field({ description: 'The cluster name.' }) name!: string;
  @Field({ description: "The cluster's pod range." }) podRange!: string;
  @Field({ description: 'The range ClusterIPs come from.' }) servicesRange!: string;
  cluster!: ClusterRecord;
}

@ObjectType('Namespace')
export class NamespaceModel {
  @Field() name!: string;
  @Field({ description: 'Active or Terminating.' }) phase!: string;
  @Field(() => [LabelModel]) labels!: LabelModel[];
  @Field() creationTimestamp!: string;
}

@ObjectType('PodContainer')
export class PodContainerModel {
  @Field() name!: string;
  @Field() image!: string;
  @Field(() => [Int], { description: 'Container ports.' }) ports!: number[];
}

@ObjectType('Pod', { description: 'A Pod (core/v1).' })
export class PodModel extends KubeObjectModel {
  @Field({ nullable: true, description: 'spec.nodeName: the node it is scheduled on.' }) nodeName?: string;
  @Field({ nullable: true, description: "status.podIP, from its node's pod range." }) podIP?: string;
  @Field({ nullable: true, description: "status.hostIP: its node's internal IP." }) hostIP?: string;
  @Field({ description: 'Pending, Running, Succeeded, Failed or Unknown.' }) phase!: string;
  @Field({ description: 'The Ready condition.' }) ready!: boolean;
  @Field(() => [PodContainerModel]) containers!: PodContainerModel[];
  @Field({
    nullable: true,
    description: 'Kind/name of the controlling owner, e.g. ReplicaSet/web-5d8f7c9b4.',
  })
  controlledBy?: string;
}
