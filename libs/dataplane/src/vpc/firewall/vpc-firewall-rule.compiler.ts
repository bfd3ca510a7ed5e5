import { parseCidrOrThrow } from '@gke-emulator/netaddr';
import { ipv4Blocks } from '../ip-range.parser';
import { sameNetwork } from '../network-reference.matcher';
import type { VpcInstance } from '../vpc-instance.model';
import type { EffectiveFirewallRule } from './effective-firewall-rule.model';
import type { FirewallProtocolPorts, FirewallRule } from './firewall-rule.model';
import { compileProtocols } from './ip-protocol.matcher';

/** Compute's default priority for a rule created without one. */
export const DEFAULT_FIREWALL_PRIORITY = 1000;

const ANYWHERE = [parseCidrOrThrow('0.0.0.0/0')];

function nonEmpty(list: readonly string[] | undefined): list is readonly string[] {
  return list !== undefined && list.length > 0;
}

function toEntries(list: readonly FirewallProtocolPorts[]) {
  return list.map((entry) => ({ protocol: entry.IPProtocol, ports: entry.ports }));
}

/**
 * True when the rule applies to the VM: enabled, in the VM's network, and targeting it. No targets means every
 * instance in the network; target tags match any of the VM's tags; target service accounts match its account.
 */
export function vpcRuleTargets(rule: FirewallRule, instance: VpcInstance): boolean {
  if (rule.disabled === true || !sameNetwork(rule.network, instance.network)) return false;
  if (nonEmpty(rule.targetServiceAccounts)) {
    return (
      instance.serviceAccount !== undefined && rule.targetServiceAccounts.includes(instance.serviceAccount)
    );
  }
  if (nonEmpty(rule.targetTags)) return rule.targetTags.some((tag) => instance.tags?.includes(tag) === true);
  return true;
}

/**
 * Compiles a VPC rule. A rule holds `allowed` or `denied` (the API refuses both); were both present, `denied`
 * wins, the safe reading. Sources are OR'ed: ranges, tags, service accounts. With no source at all an INGRESS
 * rule matches every source and an EGRESS rule every destination — the values Compute fills in on write.
 * EGRESS rules cannot carry source tags or accounts (the API rejects them), so those are ignored; the optional
 * INGRESS `destinationRanges` / EGRESS `sourceRanges` filter the VM's own address.
 */
export function compileVpcRule(rule: FirewallRule, stage: number): EffectiveFirewallRule {
  const direction = rule.direction ?? 'INGRESS';
  const denied = rule.denied !== undefined && rule.denied.length > 0;
  const protocols = compileProtocols(toEntries(denied ? (rule.denied ?? []) : (rule.allowed ?? [])));
  const base = {
    origin: 'vpc-rule' as const,
    name: rule.name,
    direction,
    priority: rule.priority ?? DEFAULT_FIREWALL_PRIORITY,
    action: denied ? ('deny' as const) : ('allow' as const),
    stage,
    source: rule,
  };
  if (direction === 'EGRESS') {
    const destinations = nonEmpty(rule.destinationRanges) ? ipv4Blocks(rule.destinationRanges) : ANYWHERE;
    const local = nonEmpty(rule.sourceRanges) ? ipv4Blocks(rule.sourceRanges) : null;
    return {
      ...base,
      match: {
        remoteRanges: destinations,
        remoteTags: [],
        remoteServiceAccounts: [],
        localRanges: local,
        protocols,
      },
    };
  }
  const anySource =
    !nonEmpty(rule.sourceRanges) && !nonEmpty(rule.sourceTags) && !nonEmpty(rule.sourceServiceAccounts);
  return {
    ...base,
    match: {
      remoteRanges: anySource ? ANYWHERE : ipv4Blocks(rule.sourceRanges),
      remoteTags: rule.sourceTags ?? [],
      remoteServiceAccounts: rule.sourceServiceAccounts ?? [],
      localRanges: nonEmpty(rule.destinationRanges) ? ipv4Blocks(rule.destinationRanges) : null,
      protocols,
    },
  };
}
