import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type GraphqlRequestContext, graphqlComputeContext } from '@gke-emulator/compute';
import { NodeModel } from '@gke-emulator/container';
import {
  FirewallEvaluationModel,
  IptablesTraceModel,
  NodeEffectiveFirewallModel,
  NodeEffectiveRoutesModel,
  NodeIptablesModel,
  NodeNetworkPoliciesModel,
} from './effective-state.models';
import { NodeEffectiveStateReader, type NodeRef } from './node-effective-state.reader';

const refOf = (node: NodeModel): NodeRef => ({
  project: node.project,
  location: node.location,
  cluster: node.cluster,
  node: node.name,
});

/** The node's effective data plane, as the worker computed it (the REST reads under …/nodes/{n}/). */
@Resolver(() => NodeModel)
export class NodeEffectiveStateResolver {
  constructor(private readonly reader: NodeEffectiveStateReader) {}

  @ResolveField(() => NodeEffectiveRoutesModel, { description: "The VM's effective routes." })
  effectiveRoutes(
    @Parent() node: NodeModel,
    @Context() context: GraphqlRequestContext,
  ): Promise<NodeEffectiveRoutesModel> {
    return this.reader.routes(refOf(node), graphqlComputeContext(context, node.project).base);
  }

  @ResolveField(() => NodeEffectiveFirewallModel, {
    description: 'The VPC firewall rules that apply to the VM, in evaluation order, with the implied rules.',
  })
  effectiveFirewall(
    @Parent() node: NodeModel,
    @Context() context: GraphqlRequestContext,
  ): Promise<NodeEffectiveFirewallModel> {
    return this.reader.effectiveFirewall(refOf(node), graphqlComputeContext(context, node.project).base);
  }

  @ResolveField(() => NodeIptablesModel, { description: 'The iptables-save text kube-proxy would write.' })
  iptables(@Parent() node: NodeModel): Promise<NodeIptablesModel> {
    return this.reader.iptables(refOf(node));
  }

  @ResolveField(() => NodeNetworkPoliciesModel, {
    description: 'Per pod on the node: which NetworkPolicies isolate it and what they allow.',
  })
  networkPolicies(@Parent() node: NodeModel): Promise<NodeNetworkPoliciesModel> {
    return this.reader.networkPolicies(refOf(node));
  }

  @ResolveField(() => IptablesTraceModel, {
    description: "Where a packet goes through the node's kube-proxy rules.",
  })
  traceIptables(
    @Parent() node: NodeModel,
    @Args('src', { description: "The packet's source IP address." }) src: string,
    @Args('dst', { description: "The packet's destination IP address." }) dst: string,
    @Args('dport', { type: () => Int, description: "The packet's destination port." }) dport: number,
    @Args('protocol', { defaultValue: 'TCP', description: 'TCP, UDP or SCTP.' }) protocol: string,
  ): Promise<IptablesTraceModel> {
    return this.reader.trace(refOf(node), { src, dst, dport, protocol });
  }

  @ResolveField(() => FirewallEvaluationModel, {
    description:
      "Is this packet allowed into (INGRESS) or out of (EGRESS) the VM, and by which rule; the side left out is the node's address.",
  })
  evaluateFirewall(
    @Parent() node: NodeModel,
    @Context() context: GraphqlRequestContext,
    @Args('direction', { description: 'INGRESS or EGRESS.' }) direction: string,
    @Args('src', { nullable: true, description: 'The source (required for INGRESS).' }) src?: string,
    @Args('dst', { nullable: true, description: 'The destination (required for EGRESS).' }) dst?: string,
    @Args('protocol', {
      defaultValue: 'tcp',
      description: 'tcp, udp, icmp, esp, ah, sctp, ipip or a number.',
    })
    protocol?: string,
    @Args('dport', { type: () => Int, nullable: true, description: 'Required for tcp, udp and sctp.' })
    dport?: number,
  ): Promise<FirewallEvaluationModel> {
    return this.reader.evaluateFirewall(
      refOf(node),
      {
        direction,
        src: src ?? undefined,
        dst: dst ?? undefined,
        protocol,
        dport: dport === undefined || dport === null ? undefined : String(dport),
      },
      graphqlComputeContext(context, node.project).base,
    );
  }
}
