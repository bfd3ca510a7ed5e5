import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ClusterModel } from '@gke-emulator/container';
import { DataplaneReadsService } from '../dataplane-reads.service';
import { PodReachabilityMatrixModel } from './effective-state.models';

/** Every pod against every pod under the cluster's NetworkPolicies (REST `…/clusters/{c}/reachability`). */
@Resolver(() => ClusterModel)
export class ClusterReachabilityResolver {
  constructor(private readonly reads: DataplaneReadsService) {}

  @ResolveField(() => PodReachabilityMatrixModel, {
    description:
      'Whether NetworkPolicies let each pod (of the namespaces given, or every pod) open a connection to each other on a port, as of the observed data-plane generation.',
  })
  async podReachability(
    @Parent() cluster: ClusterModel,
    @Args('port', { type: () => Int, description: 'The destination port.' }) port: number,
    @Args('protocol', { defaultValue: 'TCP', description: 'TCP, UDP or SCTP.' }) protocol: string,
    @Args('namespaces', {
      type: () => [String],
      nullable: true,
      description: 'Only the pods of these namespaces; every pod when absent or empty.',
    })
    namespaces?: string[] | null,
  ): Promise<PodReachabilityMatrixModel> {
    const matrix = await this.reads.reachabilityMatrix(cluster.project, cluster.location, cluster.name, {
      port,
      protocol,
      namespaces: namespaces ?? [],
    });
    return {
      generation: matrix.generation,
      observedGeneration: matrix.observedGeneration,
      current: matrix.current,
      pods: matrix.pods,
      allowed: matrix.allowed.map((row) => [...row]),
      port,
      protocol: protocol.toUpperCase(),
      sourceClasses: matrix.classes.sources,
      destinationClasses: matrix.classes.destinations,
      enforced: matrix.enforced,
      enforcement: matrix.enforcement,
    };
  }
}
