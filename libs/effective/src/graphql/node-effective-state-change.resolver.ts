import { Args, Context, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { GoogleErrors } from '@gke-emulator/common';
import { type GraphqlRequestContext, graphqlComputeContext } from '@gke-emulator/compute';
import { ClusterDirectory } from '@gke-emulator/container';
import {
  NodeEffectiveFirewallModel,
  NodeEffectiveRoutesModel,
  NodeEffectiveStateChangeModel,
  NodeIptablesModel,
  NodeNetworkPoliciesModel,
} from './effective-state.models';
import { NodeEffectiveStateEvents } from './node-effective-state.events';
import { NodeEffectiveStateReader } from './node-effective-state.reader';

/**
 * `nodeEffectiveStateChanged`: an event each time the worker stores new results for a node. The event's state
 * fields are read when the event is sent, so they show that generation or a newer one.
 */
@Resolver(() => NodeEffectiveStateChangeModel)
export class NodeEffectiveStateChangeResolver {
  constructor(
    private readonly events: NodeEffectiveStateEvents,
    private readonly clusters: ClusterDirectory,
    private readonly reader: NodeEffectiveStateReader,
  ) {}

  @Subscription(() => NodeEffectiveStateChangeModel, {
    description: "A node's effective data plane changed (every node of the cluster when node is omitted).",
    resolve: (event: NodeEffectiveStateChangeModel) => event,
  })
  async nodeEffectiveStateChanged(
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('location', {
      description:
        "The cluster's location: a region (us-central1) or a zone (us-central1-a), as GKE's `locations/*`.",
    })
    location: string,
    @Args('cluster', { description: 'The GKE cluster name.' }) cluster: string,
    @Args('node', {
      nullable: true,
      description: "A node's name: only that node's changes; omitted: every node of the cluster.",
    })
    node?: string,
  ): Promise<AsyncIterableIterator<NodeEffectiveStateChangeModel>> {
    if (!(await this.clusters.findCluster(project, location, cluster))) {
      throw GoogleErrors.notFound(`projects/${project}/locations/${location}/clusters/${cluster}`);
    }
    return this.events.subscribe({ project, location, cluster, ...(node ? { node } : {}) });
  }

  @ResolveField(() => NodeEffectiveRoutesModel, {
    description: "The node VM's effective routes now, as Node.effectiveRoutes reads them.",
  })
  effectiveRoutes(
    @Parent() event: NodeEffectiveStateChangeModel,
    @Context() context: GraphqlRequestContext,
  ): Promise<NodeEffectiveRoutesModel> {
    return this.reader.routes(event, graphqlComputeContext(context, event.project).base);
  }

  @ResolveField(() => NodeEffectiveFirewallModel, {
    description: "The node VM's effective firewall now, as Node.effectiveFirewall reads it.",
  })
  effectiveFirewall(
    @Parent() event: NodeEffectiveStateChangeModel,
    @Context() context: GraphqlRequestContext,
  ): Promise<NodeEffectiveFirewallModel> {
    return this.reader.effectiveFirewall(event, graphqlComputeContext(context, event.project).base);
  }

  @ResolveField(() => NodeIptablesModel, {
    description: "The node's kube-proxy iptables now, as Node.iptables reads them.",
  })
  iptables(@Parent() event: NodeEffectiveStateChangeModel): Promise<NodeIptablesModel> {
    return this.reader.iptables(event);
  }

  @ResolveField(() => NodeNetworkPoliciesModel, {
    description: "The NetworkPolicies enforced on the node's pods now, as Node.networkPolicies reads them.",
  })
  networkPolicies(@Parent() event: NodeEffectiveStateChangeModel): Promise<NodeNetworkPoliciesModel> {
    return this.reader.networkPolicies(event);
  }
}
