import { parseCidrOrThrow } from '@gke-emulator/netaddr';
import type { EffectiveFirewallRule } from './effective-firewall-rule.model';

/** Implied rules sit below every rule anyone can write (65535 is also the lowest writable priority). */
export const IMPLIED_RULE_PRIORITY = 65535;

const EVERYTHING = {
  remoteRanges: [parseCidrOrThrow('0.0.0.0/0')],
  remoteTags: [],
  remoteServiceAccounts: [],
  localRanges: null,
  protocols: [{ protocol: 'all' as const, ports: null }],
};

/**
 * Every VPC network has two rules that cannot be removed or listed: deny all ingress and allow all egress, at
 * priority 65535. They form the last stage, so that they also catch packets a `goto_next` passed on.
 */
export function impliedFirewallRules(stage: number): EffectiveFirewallRule[] {
  return [
    {
      origin: 'implied',
      name: 'implied-deny-ingress',
      direction: 'INGRESS',
      priority: IMPLIED_RULE_PRIORITY,
      action: 'deny',
      stage,
      match: EVERYTHING,
    },
    {
      origin: 'implied',
      name: 'implied-allow-egress',
      direction: 'EGRESS',
      priority: IMPLIED_RULE_PRIORITY,
      action: 'allow',
      stage,
      match: EVERYTHING,
    },
  ];
}
