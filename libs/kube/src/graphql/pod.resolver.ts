import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { NodeModel, toNodeModel } from '@gke-emulator/container';
import { selects } from '../controllers/endpoint-slices';
import { KubeGraphqlReader } from './kube-graphql.reader';
import { toServiceModel } from './kube-graphql.mapper';
import { PodModel } from './kube.models';
import { ServiceModel } from './service.models';

@Resolver(() => PodModel)
export class PodResolver {
  constructor(private readonly reader: KubeGraphqlReader) {}

  @ResolveField(() => NodeModel, { nullable: true, description: 'The node it is scheduled on.' })
  async node(@Context() context: object, @Parent() pod: PodModel): Promise<NodeModel | undefined> {
    if (!pod.nodeName) return undefined;
    const found = (await this.reader.nodes(context, pod.cluster)).find((node) => node.name === pod.nodeName);
    const { project, location, name } = pod.cluster;
    return found && toNodeModel({ project, location, cluster: name }, found);
  }

  @ResolveField(() => [ServiceModel], { description: 'The Services of its namespace that select it.' })
  async services(@Context() context: object, @Parent() pod: PodModel): Promise<ServiceModel[]> {
    const labels = pod.object.metadata.labels;
    return (await this.reader.inNamespace(context, pod.cluster, 'services', pod.namespace))
      .filter((service) =>
        selects((service['spec'] as { selector?: Record<string, string> }).selector ?? {}, labels),
      )
      .map((service) => toServiceModel(pod.cluster, service));
  }
}
