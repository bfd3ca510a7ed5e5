import { describe, expect, it } from 'vitest';
import { podIpsByNode, unschedulableMessage, unschedulableStatus } from './pod-network';

describe('the scheduler`s view of the pod network', () => {
  const nodes = [
    { name: 'b', podCidr: '10.4.2.0/24' },
    { name: 'a', podCidr: '10.4.1.0/24' },
    { name: 'c', podCidr: '10.4.3.0/28' },
  ];

  it('buckets pod IPs into the node whose pod range holds them, counting pods per node', () => {
    const { counts, taken } = podIpsByNode(nodes, ['10.4.1.2', '10.4.2.2', '10.4.1.3', '10.4.3.14']);
    expect(Object.fromEntries(counts)).toEqual({ a: 2, b: 1, c: 1 });
    expect([...(taken.get('a') ?? [])]).toEqual(['10.4.1.2', '10.4.1.3']);
    expect([...(taken.get('c') ?? [])]).toEqual(['10.4.3.14']);
  });

  it('counts addresses in no node`s range (a node gone) and unparsable ones for none', () => {
    const { counts, taken } = podIpsByNode(nodes, ['10.4.3.16', '10.9.0.1', 'not an ip', '10.4.0.255']);
    expect(counts.size).toBe(0);
    // every node has its (empty) set, so IPAM can add to it
    expect([...taken.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect([...taken.values()].every((ips) => ips.size === 0)).toBe(true);
  });

  it('has nothing to bucket into without nodes', () => {
    const { counts, taken } = podIpsByNode([], ['10.4.1.2']);
    expect(counts.size).toBe(0);
    expect(taken.size).toBe(0);
  });

  it('leaves an unschedulable pod Pending with the scheduler`s message', () => {
    expect(unschedulableMessage(0)).toBe('no nodes available to schedule pods');
    expect(unschedulableMessage(3)).toBe(
      '0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    );
    expect(unschedulableStatus(2, new Date('2026-01-02T03:04:05.678Z'))).toEqual({
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: '2026-01-02T03:04:05Z',
          reason: 'Unschedulable',
          message: unschedulableMessage(2),
        },
      ],
      qosClass: 'BestEffort',
    });
  });
});
