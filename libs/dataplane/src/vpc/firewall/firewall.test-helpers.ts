import type { VpcInstance } from '../vpc-instance.model';
import type { FirewallPacket } from './effective-firewall-rule.model';
import type { EffectiveFirewallPolicy, FirewallRule } from './firewall-rule.model';
import { evaluatePacket } from './firewall.evaluator';
import { buildInstanceFirewall, type InstanceFirewallOptions } from './instance-firewall.builder';

// Shared by the firewall evaluator specs: one VM, tcp:80 packets, and a one-line verdict to compare.

export const NET = 'projects/p/global/networks/vpc';
export const VM: VpcInstance = {
  network: NET,
  tags: ['web'],
  serviceAccount: 'web@p.iam.gserviceaccount.com',
  ipAddresses: ['10.0.0.10'],
};

export function rule(name: string, fields: Omit<FirewallRule, 'name' | 'network'> = {}): FirewallRule {
  return { name, network: NET, ...fields };
}

export type Probe = Partial<FirewallPacket> & Pick<FirewallPacket, 'direction'>;

/** The deciding rule's name and action for a packet (INGRESS from 203.0.113.7, EGRESS to 203.0.113.7, tcp:80). */
export function decide(
  firewalls: FirewallRule[],
  probe: Probe,
  instance: VpcInstance = VM,
  policies: EffectiveFirewallPolicy[] = [],
  options?: InstanceFirewallOptions,
): string {
  const ingress = probe.direction === 'INGRESS';
  const packet: FirewallPacket = {
    srcIp: ingress ? '203.0.113.7' : '10.0.0.10',
    dstIp: ingress ? '10.0.0.10' : '203.0.113.7',
    protocol: 'tcp',
    port: 80,
    ...probe,
  };
  const verdict = evaluatePacket(
    buildInstanceFirewall({ firewalls, firewallPolicys: policies }, instance, options),
    packet,
  );
  return `${verdict.action}:${verdict.rule.name}`;
}

export const IN: Probe = { direction: 'INGRESS' };
export const OUT: Probe = { direction: 'EGRESS' };
export const allowTcp = [{ IPProtocol: 'tcp' }];
export const denyTcp = [{ IPProtocol: 'tcp' }];
