import { describe, expect, it } from 'vitest';

import type { VpcInstance } from '../vpc-instance.model';
import { decide, IN, NET, rule } from './firewall.test-helpers';

describe('evaluatePacket: GKE node rules', () => {
  // The rules GKE creates for cluster c1 (gce-api.md 4.1): pods 10.4.0.0/14, nodes 10.128.0.0/20.
  const node = 'gke-c1-1a2b3c4d-node';
  const gkeRules = [
    rule('gke-c1-1a2b3c4d-all', {
      sourceRanges: ['10.4.0.0/14'],
      targetTags: [node],
      allowed: ['tcp', 'udp', 'icmp', 'esp', 'ah', 'sctp'].map((IPProtocol) => ({ IPProtocol })),
    }),
    rule('gke-c1-1a2b3c4d-vms', {
      sourceRanges: ['10.128.0.0/20'],
      targetTags: [node],
      allowed: [
        { IPProtocol: 'icmp' },
        { IPProtocol: 'tcp', ports: ['1-65535'] },
        { IPProtocol: 'udp', ports: ['1-65535'] },
      ],
    }),
    rule('gke-c1-1a2b3c4d-inkubelet', {
      priority: 999,
      sourceRanges: ['10.4.0.0/14'],
      sourceTags: [node],
      targetTags: [node],
      allowed: [{ IPProtocol: 'tcp', ports: ['10255'] }],
    }),
    rule('gke-c1-1a2b3c4d-exkubelet', {
      sourceRanges: ['0.0.0.0/0'],
      targetTags: [node],
      denied: [{ IPProtocol: 'tcp', ports: ['10255'] }],
    }),
  ];
  const nodeVm: VpcInstance = { network: NET, tags: [node], ipAddresses: ['10.128.0.3'] };
  const otherNode: VpcInstance = { network: NET, tags: [node], ipAddresses: ['10.128.0.4'] };

  it.each([
    [
      'a pod reaches the read-only kubelet port',
      { srcIp: '10.4.2.9', port: 10255 },
      'allow:gke-c1-1a2b3c4d-inkubelet',
    ],
    [
      'another node reaches it through the node tag',
      { srcIp: '10.128.0.4', port: 10255, peer: otherNode },
      'allow:gke-c1-1a2b3c4d-inkubelet',
    ],
    ['the internet does not', { srcIp: '198.51.100.1', port: 10255 }, 'deny:gke-c1-1a2b3c4d-exkubelet'],
    [
      'a node in the subnet reaches other ports',
      { srcIp: '10.128.0.4', port: 22 },
      'allow:gke-c1-1a2b3c4d-vms',
    ],
    [
      'pods reach every protocol',
      { srcIp: '10.5.0.1', protocol: 'esp', port: undefined },
      'allow:gke-c1-1a2b3c4d-all',
    ],
  ] as const)('%s', (_name, packet, expected) => {
    expect(decide(gkeRules, { ...IN, dstIp: '10.128.0.3', ...packet }, nodeVm)).toBe(expected);
  });
});
