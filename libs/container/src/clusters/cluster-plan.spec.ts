import { describe, expect, it } from 'vitest';
import { defaultZones, gkeFirewallNames, gkeFirewallRules } from './cluster-plan';

describe('cluster plan', () => {
  it('names the firewall rules a cluster deletion removes as its creation made them', () => {
    const rules = gkeFirewallRules({
      cluster: 'c1',
      hash: 'a1b2c3d4',
      podRange: '10.4.0.0/14',
      nodeSourceRange: '10.0.0.0/20',
      masterIp: '203.0.113.5',
    });
    expect(gkeFirewallNames('c1', 'a1b2c3d4')).toEqual(rules.map((rule) => rule.name));
    expect(gkeFirewallNames('c1', 'a1b2c3d4')).toEqual([
      'gke-c1-a1b2c3d4-all',
      'gke-c1-a1b2c3d4-vms',
      'gke-c1-a1b2c3d4-inkubelet',
      'gke-c1-a1b2c3d4-exkubelet',
      'gke-c1-a1b2c3d4-ssh',
    ]);
  });

  it('spreads a regional cluster over the region`s zones a, b and c', () => {
    expect(defaultZones('europe-west1')).toEqual(['europe-west1-a', 'europe-west1-b', 'europe-west1-c']);
  });
});
