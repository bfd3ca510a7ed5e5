import { describe, expect, it } from 'vitest';

import type { VpcInstance } from '../vpc-instance.model';
import { evaluateConnection } from './connection.evaluator';
import type { FirewallRule } from './firewall-rule.model';
import { buildInstanceFirewall } from './instance-firewall.builder';

const NET = 'projects/p/global/networks/vpc';
const frontend: VpcInstance = { name: 'fe', network: NET, tags: ['fe'], ipAddresses: ['10.0.0.2'] };
const backend: VpcInstance = {
  name: 'be',
  network: NET,
  tags: ['be'],
  serviceAccount: 'be@p.iam.gserviceaccount.com',
  ipAddresses: ['10.0.0.3'],
};

const rules: FirewallRule[] = [
  {
    name: 'fe-to-be',
    network: NET,
    sourceTags: ['fe'],
    targetTags: ['be'],
    allowed: [{ IPProtocol: 'tcp', ports: ['8080'] }],
  },
  {
    name: 'be-no-egress-9000',
    network: NET,
    direction: 'EGRESS',
    targetTags: ['be'],
    denied: [{ IPProtocol: 'tcp', ports: ['9000'] }],
  },
  {
    name: 'fe-no-egress-smtp',
    network: NET,
    direction: 'EGRESS',
    targetTags: ['fe'],
    denied: [{ IPProtocol: 'tcp', ports: ['25'] }],
  },
];
const fe = { ip: '10.0.0.2', firewall: buildInstanceFirewall({ firewalls: rules }, frontend) };
const be = { ip: '10.0.0.3', firewall: buildInstanceFirewall({ firewalls: rules }, backend) };

describe('evaluateConnection', () => {
  it('allows a flow when the source egress and the destination ingress both allow it; replies follow', () => {
    const verdict = evaluateConnection({ source: fe, destination: be, protocol: 'tcp', port: 8080 });
    expect(verdict).toMatchObject({ allowed: true, replyAllowed: true });
    expect(verdict.egress?.rule.name).toBe('implied-allow-egress');
    expect(verdict.ingress?.rule.name).toBe('fe-to-be');
  });

  it('denies at the destination when no ingress rule allows the flow, and then no reply is tracked', () => {
    const verdict = evaluateConnection({ source: be, destination: fe, protocol: 'tcp', port: 8080 });
    expect(verdict).toMatchObject({ allowed: false, replyAllowed: false });
    expect(verdict.egress?.action).toBe('allow');
    expect(verdict.ingress?.rule.name).toBe('implied-deny-ingress');
  });

  it('denies at the source when its egress rules deny, still reporting the destination side', () => {
    const verdict = evaluateConnection({ source: fe, destination: be, protocol: 'tcp', port: 25 });
    expect(verdict.allowed).toBe(false);
    expect(verdict.egress?.rule.name).toBe('fe-no-egress-smtp');
    expect(verdict.ingress?.rule.name).toBe('implied-deny-ingress');
  });

  it('is stateful: the backend replies on the frontend ephemeral port although no rule allows that direction', () => {
    const forward = evaluateConnection({ source: fe, destination: be, protocol: 'tcp', port: 8080 });
    const reverseAsNew = evaluateConnection({ source: be, destination: fe, protocol: 'tcp', port: 40000 });
    expect(forward.replyAllowed).toBe(true);
    expect(reverseAsNew.allowed).toBe(false);
  });

  it('uses the source VM tags only for packets from its primary address', () => {
    const fromAlias = { ...fe, ip: '10.8.0.9' };
    expect(
      evaluateConnection({ source: fromAlias, destination: be, protocol: 'tcp', port: 8080 }).allowed,
    ).toBe(false);
  });

  it('evaluates only the VM end of a flow to or from outside the VPC', () => {
    const internet = { ip: '198.51.100.4' };
    const outbound = evaluateConnection({ source: be, destination: internet, protocol: 'tcp', port: 9000 });
    expect(outbound).toMatchObject({ allowed: false, ingress: null });
    expect(outbound.egress?.rule.name).toBe('be-no-egress-9000');
    const inbound = evaluateConnection({ source: internet, destination: be, protocol: 'tcp', port: 8080 });
    expect(inbound).toMatchObject({ allowed: false, egress: null });
    expect(
      evaluateConnection({ source: internet, destination: { ip: '192.0.2.1' }, protocol: 'udp' }).allowed,
    ).toBe(true);
  });
});
