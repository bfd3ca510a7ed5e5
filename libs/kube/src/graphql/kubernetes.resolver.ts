import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ClusterModel, NodeModel, toNodeModel } from '@gke-emulator/container';
import { IngressModel } from './ingress.models';
import { labelRequirements, KubeGraphqlReader, selectedBy } from './kube-graphql.reader';
import {
  toIngressModel,
  toNamespaceModel,
  toNetworkPolicyModel,
  toPodModel,
  toServiceModel,
} from './kube-graphql.mapper';
import { KubernetesClusterModel, NamespaceModel, PodModel } from './kube.models';
import { NetworkPolicyModel } from './network-policy.models';
import { ServiceModel } from './service.models';

const NAMESPACE = { nullable: true, description: 'One namespace; absent: all.' } as const;
const LABEL_SELECTOR = {
  nullable: true,
  description: 'A label selector as kubectl -l takes it, e.g. "app=web,tier in (a,b)".',
} as const;

@Resolver(() => KubernetesClusterModel)
export class KubernetesResolver {
  constructor(private readonly reader: KubeGraphqlReader) {}

  @Query(() => KubernetesClusterModel, { description: "A GKE cluster's Kubernetes objects." })
  async kubernetes(
    @Context() context: object,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('location', {
      description:
        "The cluster's location: a region (us-central1) or a zone (us-central1-a), as GKE's `locations/*`.",
    })
    location: string,
    @Args('cluster', { description: 'The GKE cluster name.' }) name: string,
  ): Promise<KubernetesClusterModel> {
    return toKubernetesClusterModel(await this.reader.cluster(context, project, location, name));
  }

  @ResolveField(() => [NamespaceModel], { description: "The cluster's namespaces (v1 Namespace)." })
  async namespaces(@Context() context: object, @Parent() kube: KubernetesClusterModel) {
    return (await this.reader.objects(context, kube.cluster, 'namespaces')).map(toNamespaceModel);
  }

  @ResolveField(() => [PodModel], { description: "The cluster's pods (v1 Pod), in one namespace or all." })
  async pods(
    @Context() context: object,
    @Parent() kube: KubernetesClusterModel,
    @Args('namespace', NAMESPACE) namespace?: string,
    @Args('labelSelector', LABEL_SELECTOR) labelSelector?: string,
  ) {
    const requirements = labelRequirements(labelSelector);
    return (await this.reader.inNamespace(context, kube.cluster, 'pods', namespace))
      .filter(selectedBy(requirements))
      .map((pod) => toPodModel(kube.cluster, pod));
  }

  @ResolveField(() => PodModel, {
    nullable: true,
    description: 'One pod by namespace and name; null when there is none.',
  })
  async pod(
    @Context() context: object,
    @Parent() kube: KubernetesClusterModel,
    @Args('namespace', { description: 'The Kubernetes namespace.' }) namespace: string,
    @Args('name', { description: "The object's name." }) name: string,
  ) {
    const found = (await this.reader.inNamespace(context, kube.cluster, 'pods', namespace)).find(
      (pod) => pod.metadata.name === name,
    );
    return found && toPodModel(kube.cluster, found);
  }

  @ResolveField(() => [ServiceModel], {
    description: "The cluster's Services (v1 Service), in one namespace or all.",
  })
  async services(
    @Context() context: object,
    @Parent() kube: KubernetesClusterModel,
    @Args('namespace', NAMESPACE) namespace?: string,
    @Args('labelSelector', LABEL_SELECTOR) labelSelector?: string,
  ) {
    const requirements = labelRequirements(labelSelector);
    return (await this.reader.inNamespace(context, kube.cluster, 'services', namespace))
      .filter(selectedBy(requirements))
      .map((service) => toServiceModel(kube.cluster, service));
  }

  @ResolveField(() => ServiceModel, {
    nullable: true,
    description: 'One Service by namespace and name; null when there is none.',
  })
  async service(
    @Context() context: object,
    @Parent() kube: KubernetesClusterModel,
    @Args('namespace', { description: 'The Kubernetes namespace.' }) namespace: string,
    @Args('name', { description: "The object's name." }) name: string,
  ) {
    const found = (await this.reader.inNamespace(context, kube.cluster, 'services', namespace)).find(
      (service) => service.metadata.name === name,
    );
    return found && toServiceModel(kube.cluster, found);
  }

  @ResolveField(() => [IngressModel], {
    description: "The cluster's Ingresses (networking.k8s.io/v1), in one namespace or all.",
  })
  async ingresses(
    @Context() context: object,
    @Parent() kube: KubernetesClusterModel,
    @Args('namespace', NAMESPACE) namespace?: string,
  ) {
    return (await this.reader.inNamespace(context, kube.cluster, 'ingresses', namespace)).map((ingress) =>
      toIngressModel(kube.cluster, ingress),
    );
  }

  @ResolveField(() => [NetworkPolicyModel], {
    description: "The cluster's NetworkPolicies (networking.k8s.io/v1), in one namespace or all.",
  })
  async networkPolicies(
    @Context() context: object,
    @Parent() kube: KubernetesClusterModel,
    @Args('namespace', NAMESPACE) namespace?: string,
  ) {
    return (await this.reader.inNamespace(context, kube.cluster, 'networkpolicies', namespace)).map(
      (policy) => toNetworkPolicyModel(kube.cluster, policy),
    );
  }

  @ResolveField(() => [NodeModel], { description: "The cluster's nodes, in creation order." })
  async nodes(@Context() context: object, @Parent() kube: KubernetesClusterModel): Promise<NodeModel[]> {
    const place = { project: kube.project, location: kube.location, cluster: kube.name };
    return (await this.reader.nodes(context, kube.cluster)).map((node) => toNodeModel(place, node));
  }
}

/** The Kubernetes side of a cluster, as a field of the container API's Cluster. */
@Resolver(() => ClusterModel)
export class ClusterKubernetesResolver {
  constructor(private readonly reader: KubeGraphqlReader) {}

  @ResolveField(() => KubernetesClusterModel, { description: "The cluster's Kubernetes objects." })
  async kubernetes(@Context() context: object, @Parent() cluster: ClusterModel) {
    return toKubernetesClusterModel(
      await this.reader.cluster(context, cluster.project, cluster.location, cluster.name),
    );
  }
}

function toKubernetesClusterModel(cluster: KubernetesClusterModel['cluster']): KubernetesClusterModel {
  return {
    project: cluster.project,
    location: cluster.location,
    name: cluster.name,
    podRange: cluster.podRange,
    servicesRange: cluster.servicesRange,
    cluster,
  };
}
