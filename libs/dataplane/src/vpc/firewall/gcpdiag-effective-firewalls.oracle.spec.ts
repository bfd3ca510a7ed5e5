import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';

import type { VpcInstance } from '../vpc-instance.model';
import type { EffectiveFirewallRule, InstanceFirewall } from './effective-firewall-rule.model';
import type { EffectiveFirewallsInput, FirewallDirection } from './firewall-rule.model';
import { evaluatePacket } from './firewall.evaluator';
import { buildInstanceFirewall, networkFirewalls } from './instance-firewall.builder';

// The two networks.getEffectiveFirewalls responses of gcpdiag's test data: the per-VM rule list must start from
// them, keep the policies in the order listed (organisation, then folders) and the VPC rules in Google's order.
const fwPolicy = JSON.parse(
  readOracle('gcp-firewall', 'gcpdiag-fw-policy.effective-firewalls.json'),
) as EffectiveFirewallsInput;
const gce1 = JSON.parse(
  readOracle('gcp-firewall', 'gcpdiag-gce1.effective-firewalls.json'),
) as EffectiveFirewallsInput;

const FW_POLICY_NETWORK =
  'https://www.googleapis.com/compute/v1/projects/gcpdiag-fw-policy-aaaa/global/networks/default';
const GCE1_NETWORK = 'projects/gcpdiag-gce1-aaaa/global/networks/default';
const SERVICE_ACCOUNT = 'service-12340002@compute-system.iam.gserviceaccount.com';

function label(rule: EffectiveFirewallRule): string {
  return rule.origin === 'vpc-rule' || rule.origin === 'implied'
    ? rule.name
    : `${rule.policy} ${rule.priority} ${rule.action}`;
}

function listed(firewall: InstanceFirewall, direction: FirewallDirection): string[] {
  return firewall.rules.filter((rule) => rule.direction === direction).map(label);
}

describe('networkFirewalls', () => {
  it('returns exactly the fixture rules of the network when both projects are mixed', () => {
    const all = [...(gce1.firewalls ?? []), ...(fwPolicy.firewalls ?? [])];
    expect(networkFirewalls(all, FW_POLICY_NETWORK)).toEqual(fwPolicy.firewalls);
    expect(networkFirewalls(all, GCE1_NETWORK)).toEqual(gce1.firewalls);
    expect(networkFirewalls(all, 'default')).toHaveLength(all.length);
    expect(networkFirewalls(all, 'projects/elsewhere/global/networks/default')).toEqual([]);
  });
});

describe('buildInstanceFirewall over gcpdiag-fw-policy', () => {
  const gkeNode: VpcInstance = {
    network: FW_POLICY_NETWORK,
    tags: ['gke-gke1-c8fb19cb-node'],
    serviceAccount: SERVICE_ACCOUNT,
  };

  it('lists INGRESS rules: policies as listed, then VPC rules by priority, deny first, then the implied rule', () => {
    expect(listed(buildInstanceFirewall(fwPolicy, gkeNode), 'INGRESS')).toEqual([
      'parent-folder-policy 9000 allow',
      'parent-folder-policy 2147483645 goto_next',
      'parent-folder-policy 2147483647 goto_next',
      'sub-folder-policy 8999 allow',
      'sub-folder-policy 9000 allow',
      'sub-folder-policy 2147483645 goto_next',
      'sub-folder-policy 2147483647 goto_next',
      'test-sorting-same-ip-policy 1000 deny',
      'test-sorting-same-ip-policy 1000 allow',
      'test-sorting-same-ip-policy 2147483647 goto_next',
      'fw-test-800',
      'fw-test-900',
      'fw-test-901',
      'fw-test-902',
      'fw-test-950',
      'gke-gke1-c8fb19cb-all',
      'gke-gke1-c8fb19cb-ssh',
      'gke-gke1-c8fb19cb-vms',
      'default-allow-icmp',
      'default-allow-internal',
      'default-allow-rdp',
      'default-allow-ssh',
      'implied-deny-ingress',
    ]);
  });

  it('lists EGRESS rules: only the policies catch-alls, then the implied allow', () => {
    expect(listed(buildInstanceFirewall(fwPolicy, gkeNode), 'EGRESS')).toEqual([
      'parent-folder-policy 2147483644 goto_next',
      'parent-folder-policy 2147483646 goto_next',
      'sub-folder-policy 2147483644 goto_next',
      'sub-folder-policy 2147483646 goto_next',
      'implied-allow-egress',
    ]);
  });

  it('leaves out rules targeting other tags and service accounts', () => {
    const plain = buildInstanceFirewall(fwPolicy, { network: FW_POLICY_NETWORK });
    const names = listed(plain, 'INGRESS');
    expect(names).not.toContain('sub-folder-policy 8999 allow');
    expect(names).not.toContain('fw-test-902');
    expect(names).not.toContain('fw-test-903');
    expect(names.filter((name) => name.startsWith('gke-'))).toEqual([]);
    expect(
      listed(buildInstanceFirewall(fwPolicy, { network: FW_POLICY_NETWORK, tags: ['bar'] }), 'INGRESS'),
    ).toContain('fw-test-903');
  });

  it('leaves out disabled rules and rules of another network', () => {
    const input: EffectiveFirewallsInput = {
      ...fwPolicy,
      firewalls: [
        ...(fwPolicy.firewalls ?? []),
        { name: 'off', network: FW_POLICY_NETWORK, disabled: true, allowed: [{ IPProtocol: 'all' }] },
        { name: 'other', network: 'projects/p/global/networks/other', allowed: [{ IPProtocol: 'all' }] },
      ],
    };
    const names = listed(buildInstanceFirewall(input, gkeNode), 'INGRESS');
    expect(names).not.toContain('off');
    expect(names).not.toContain('other');
  });

  it('orders the same-priority deny before the allow, as gcpdiag sorts them (impossible in real GCP)', () => {
    const verdict = evaluatePacket(buildInstanceFirewall(fwPolicy, gkeNode), {
      direction: 'INGRESS',
      srcIp: '10.104.0.1',
      dstIp: '10.128.0.2',
      protocol: 'tcp',
      port: 80,
    });
    expect(verdict.action).toBe('deny');
    expect(verdict.rule.policy).toBe('test-sorting-same-ip-policy');
  });

  it('passes IPv4 traffic over the IPv6 goto_next catch-alls to the next stage', () => {
    const firewall = buildInstanceFirewall(fwPolicy, gkeNode);
    const verdict = evaluatePacket(firewall, {
      direction: 'INGRESS',
      srcIp: '10.4.1.2',
      dstIp: '10.128.0.2',
      protocol: 'sctp',
    });
    expect(verdict.rule.name).toBe('gke-gke1-c8fb19cb-all');
  });
});

describe('buildInstanceFirewall over gcpdiag-gce1', () => {
  const gkeNode: VpcInstance = { network: GCE1_NETWORK, tags: ['gke-gke1-f36cf6dd-node'] };

  it('lists EGRESS rules of an untagged-account VM in evaluation order', () => {
    expect(listed(buildInstanceFirewall(gce1, gkeNode), 'EGRESS')).toEqual([
      'parent-folder-policy 30 allow',
      'parent-folder-policy 2147483644 goto_next',
      'sub-folder-policy 25 allow',
      'fw-test-1000',
      'fw-test-925',
      'default-allow-rdp',
      'default-allow-ssh',
      'fw-test-1050',
      'fw-test-1075',
      'fw-test-950',
      'implied-allow-egress',
    ]);
  });

  it('lists INGRESS rules, without the rule for secured-instance VMs', () => {
    expect(listed(buildInstanceFirewall(gce1, gkeNode), 'INGRESS')).toEqual([
      'gke-gke1-f36cf6dd-all',
      'gke-gke1-f36cf6dd-ssh',
      'gke-gke1-f36cf6dd-vms',
      'default-allow-icmp',
      'default-allow-internal',
      'default-allow-rdp',
      'default-allow-ssh',
      'implied-deny-ingress',
    ]);
  });

  it('adds the service-account rules for a VM running as that account', () => {
    const names = listed(
      buildInstanceFirewall(gce1, { ...gkeNode, serviceAccount: SERVICE_ACCOUNT }),
      'EGRESS',
    );
    expect(names.slice(0, 4)).toEqual([
      'parent-folder-policy 30 allow',
      'parent-folder-policy 2147483644 goto_next',
      'sub-folder-policy 25 allow',
      'sub-folder-policy 25 allow',
    ]);
    expect(names).toContain('fw-test-1065');
  });

  it('gives every list the same shape: stages in order, priorities ascending within a stage, implied rules last', () => {
    for (const input of [gce1, fwPolicy]) {
      const firewall = buildInstanceFirewall(input, {
        ...gkeNode,
        serviceAccount: SERVICE_ACCOUNT,
        tags: ['bar'],
      });
      const { rules } = firewall;
      rules.forEach((rule, index) => {
        const previous = rules[index - 1];
        if (!previous) return;
        expect(rule.stage).toBeGreaterThanOrEqual(previous.stage);
        if (rule.stage === previous.stage) expect(rule.priority).toBeGreaterThanOrEqual(previous.priority);
      });
      expect(rules.slice(-2).map((rule) => rule.origin)).toEqual(['implied', 'implied']);
      expect(rules.filter((rule) => rule.origin === 'implied').map((rule) => rule.priority)).toEqual([
        65535, 65535,
      ]);
    }
  });
});
