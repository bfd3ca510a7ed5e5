import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { field } from '../api/kube-object';
import { type LabelSelectorObject, matchesLabels, requirementsOf } from '../api/selectors';
import { KubeGraphqlReader } from './kube-graphql.reader';
import { toPodModel } from './kube-graphql.mapper';
import { PodModel } from './kube.models';
import { NetworkPolicyModel } from './network-policy.models';

@Resolver(() => NetworkPolicyModel)
export class NetworkPolicyResolver {
  constructor(private readonly reader: KubeGraphqlReader) {}

  @ResolveField(() => [PodModel], { description: 'The pods of its namespace its podSelector picks.' })
  async pods(@Context() context: object, @Parent() policy: NetworkPolicyModel): Promise<PodModel[]> {
    const selector = (field(policy.object, 'spec', 'podSelector') ?? {}) as LabelSelectorObject;
    const requirements = requirementsOf(selector);
    return (await this.reader.inNamespace(context, policy.cluster, 'pods', policy.namespace))
      .filter((pod) => matchesLabels(requirements, pod.metadata.labels))
      .map((pod) => toPodModel(policy.cluster, pod));
  }
}
