import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { NodeModel } from '@gke-emulator/container';
import { field, type KubeObject } from '../api/kube-object';
import { KubeGraphqlReader } from './kube-graphql.reader';
import { toLabels, toPodModel } from './kube-graphql.mapper';
import { LabelModel, PodModel } from './kube.models';

/** The Kubernetes side of a node: its labels, cordon and the pods scheduled on it. */
@Resolver(() => NodeModel)
export class NodeResolver {
  constructor(private readonly reader: KubeGraphqlReader) {}

  private async nodeObject(context: object, node: NodeModel): Promise<KubeObject | undefined> {
    const cluster = await this.reader.cluster(context, node.project, node.location, node.cluster);
    return (await this.reader.nodeObjects(context, cluster)).get(node.name);
  }

  @ResolveField(() => [PodModel], { description: 'The pods scheduled on the node (spec.nodeName).' })
  async pods(@Context() context: object, @Parent() node: NodeModel): Promise<PodModel[]> {
    const cluster = await this.reader.cluster(context, node.project, node.location, node.cluster);
    return (await this.reader.objects(context, cluster, 'pods'))
      .filter((pod) => field(pod, 'spec', 'nodeName') === node.name)
      .map((pod) => toPodModel(cluster, pod));
  }

  @ResolveField(() => [LabelModel], { description: "Its Kubernetes labels, GKE's and those users set." })
  async labels(@Context() context: object, @Parent() node: NodeModel): Promise<LabelModel[]> {
    return toLabels((await this.nodeObject(context, node))?.metadata.labels);
  }

  @ResolveField(() => Boolean, { description: 'spec.unschedulable: cordoned.' })
  async unschedulable(@Context() context: object, @Parent() node: NodeModel): Promise<boolean> {
    return field(await this.nodeObject(context, node), 'spec', 'unschedulable') === true;
  }
}
