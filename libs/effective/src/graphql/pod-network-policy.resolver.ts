import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { PodModel } from '@gke-emulator/kube';
import { PodConnectivityService } from '../pod-connectivity.service';
import { toFreshness, toPolicyDirectionModel } from './effective-graphql.mapper';
import { PodNetworkPoliciesModel, PodReachabilityModel } from './effective-state.models';

/** A pod's NetworkPolicy verdicts, as of the cluster's observed data-plane generation. */
@Resolver(() => PodModel)
export class PodNetworkPolicyResolver {
  constructor(private readonly connectivity: PodConnectivityService) {}

  @ResolveField(() => PodNetworkPoliciesModel, {
    nullable: true,
    description:
      'Which NetworkPolicies isolate the pod, for ingress and egress; null while it is not scheduled or the data plane does not know it yet.',
  })
  async networkPolicyStatus(@Parent() pod: PodModel): Promise<PodNetworkPoliciesModel | null> {
    const { project, location, name } = pod.cluster;
    const state = await this.connectivity.podPolicy(project, location, name, pod);
    if (!state) return null;
    return {
      ...toFreshness(state),
      pod: `${pod.namespace}/${pod.name}`,
      ingress: toPolicyDirectionModel(state.policy.ingress),
      egress: toPolicyDirectionModel(state.policy.egress),
      enforced: state.enforced,
      enforcement: state.enforcement,
    };
  }

  @ResolveField(() => PodReachabilityModel, {
    description:
      'Whether NetworkPolicies let this pod open a connection to a pod ("namespace/name", or a name in its namespace).',
  })
  canReach(
    @Parent() pod: PodModel,
    @Args('pod', { description: 'The target pod, as `namespace/name`.' }) target: string,
    @Args('port', { type: () => Int, description: 'The destination port on the target pod.' }) port: number,
    @Args('protocol', { defaultValue: 'TCP', description: 'TCP, UDP or SCTP.' }) protocol: string,
  ): Promise<PodReachabilityModel> {
    const { project, location, name } = pod.cluster;
    return this.connectivity.canReach(project, location, name, pod, target, port, protocol);
  }
}
