import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ComputeApi } from '@gke-emulator/compute';
import { NodeModel, toNodeModel } from '@gke-emulator/container';
import { selects } from '../controllers/endpoint-slices';
import { KubeGraphqlReader } from './kube-graphql.reader';
import {
  toForwardingRuleModel,
  toPodModel,
  toServiceEndpointModels,
  toServiceLoadBalancerModel,
} from './kube-graphql.mapper';
import { PodModel } from './kube.models';
import {
  LoadBalancerForwardingRuleModel,
  ServiceEndpointModel,
  ServiceLoadBalancerModel,
  ServiceModel,
} from './service.models';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

@Resolver(() => ServiceModel)
export class ServiceResolver {
  constructor(private readonly reader: KubeGraphqlReader) {}

  @ResolveField(() => [PodModel], { description: 'The pods of its namespace its selector picks.' })
  async pods(@Context() context: object, @Parent() service: ServiceModel): Promise<PodModel[]> {
    const selector = Object.fromEntries(service.selector.map(({ key, value }) => [key, value]));
    return (await this.reader.inNamespace(context, service.cluster, 'pods', service.namespace))
      .filter((pod) => selects(selector, pod.metadata.labels))
      .map((pod) => toPodModel(service.cluster, pod));
  }

  @ResolveField(() => [ServiceEndpointModel], {
    description: 'The endpoints of its EndpointSlices (labelled kubernetes.io/service-name).',
  })
  async endpoints(
    @Context() context: object,
    @Parent() service: ServiceModel,
  ): Promise<ServiceEndpointModel[]> {
    const slices = await this.reader.inNamespace(
      context,
      service.cluster,
      'endpointslices',
      service.namespace,
    );
    return slices
      .filter((slice) => slice.metadata.labels?.[SERVICE_NAME_LABEL] === service.name)
      .flatMap((slice) => toServiceEndpointModels(service.cluster, slice));
  }

  @ResolveField(() => ServiceLoadBalancerModel, {
    nullable: true,
    description: 'Its Google load balancer, for type: LoadBalancer.',
  })
  loadBalancer(@Parent() service: ServiceModel): ServiceLoadBalancerModel | undefined {
    if (service.type !== 'LoadBalancer') return undefined;
    return toServiceLoadBalancerModel(service.cluster, service.object);
  }
}

@Resolver(() => ServiceEndpointModel)
export class ServiceEndpointResolver {
  constructor(private readonly reader: KubeGraphqlReader) {}

  @ResolveField(() => PodModel, { nullable: true, description: 'The pod behind the endpoint.' })
  async pod(
    @Context() context: object,
    @Parent() endpoint: ServiceEndpointModel,
  ): Promise<PodModel | undefined> {
    if (!endpoint.podName) return undefined;
    const found = (await this.reader.inNamespace(context, endpoint.cluster, 'pods', endpoint.namespace)).find(
      (pod) => pod.metadata.name === endpoint.podName,
    );
    return found && toPodModel(endpoint.cluster, found);
  }

  @ResolveField(() => NodeModel, {
    nullable: true,
    description: 'The node the endpoint runs on (`nodeName`), resolved.',
  })
  async node(
    @Context() context: object,
    @Parent() endpoint: ServiceEndpointModel,
  ): Promise<NodeModel | undefined> {
    if (!endpoint.nodeName) return undefined;
    const found = (await this.reader.nodes(context, endpoint.cluster)).find(
      (node) => node.name === endpoint.nodeName,
    );
    const { project, location, name } = endpoint.cluster;
    return found && toNodeModel({ project, location, cluster: name }, found);
  }
}

@Resolver(() => ServiceLoadBalancerModel)
export class ServiceLoadBalancerResolver {
  constructor(private readonly compute: ComputeApi) {}

  @ResolveField(() => LoadBalancerForwardingRuleModel, {
    nullable: true,
    description: 'Its forwarding rule, through the Compute API; null until the controller has made it.',
  })
  async forwardingRule(
    @Parent() loadBalancer: ServiceLoadBalancerModel,
  ): Promise<LoadBalancerForwardingRuleModel | undefined> {
    const { project, region, name } = loadBalancer;
    const wire = await this.compute.get('forwardingRules', project, region, name);
    return wire ? toForwardingRuleModel(region, wire) : undefined;
  }
}
