import { describe, expect, it } from 'vitest';

import { parseIptablesRestore } from './iptables-restore.parser';
import { type PacketTrace, tracePacket } from './packet-tracer';

const dump = parseIptablesRestore(
  [
    '*filter',
    ':KUBE-NODEPORTS - [0:0]',
    ':KUBE-SERVICES - [0:0]',
    '-A KUBE-NODEPORTS -m comment --comment "hc" -m tcp -p tcp --dport 30000 -j ACCEPT',
    '-A KUBE-SERVICES -m tcp -p tcp -d 172.30.0.9 --dport 80 -j REJECT',
    'COMMIT',
    '*nat',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-SVC-A - [0:0]',
    ':KUBE-SEP-1 - [0:0]',
    ':KUBE-SEP-2 - [0:0]',
    ':KUBE-LOOP - [0:0]',
    ':KUBE-MARK-MASQ - [0:0]',
    '-A KUBE-SERVICES -m udp -p udp -d 172.30.0.1 --dport 53 -j KUBE-LOOP',
    '-A KUBE-SERVICES -m tcp -p tcp -d 172.30.0.1 --dport 80 -j KUBE-SVC-A',
    '-A KUBE-SERVICES -m tcp -p tcp -d 172.30.0.2 --dport 80 -j KUBE-SEP-2',
    '-A KUBE-SERVICES -m tcp -p tcp -d 172.30.0.3 --dport 30000 -j KUBE-SEP-2',
    '-A KUBE-LOOP -j KUBE-LOOP',
    '-A KUBE-LOOP -j RETURN',
    '-A KUBE-LOOP -j DROP',
    '-A KUBE-SVC-A -m recent --name KUBE-SEP-2 --rcheck --seconds 10 --reap -j KUBE-SEP-2',
    '-A KUBE-SVC-A -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-1',
    '-A KUBE-SVC-A -j KUBE-SEP-2',
    '-A KUBE-SEP-1 -s 10.0.0.7 -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-1 -m tcp -p tcp -j DNAT --to-destination 10.0.0.7:8080',
    '-A KUBE-SEP-2 -m tcp -p tcp -j DNAT --to-destination 10.0.0.8:8080',
    '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
    'COMMIT',
  ].join('\n'),
);

const trace = (src: string, dst: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): PacketTrace =>
  tracePacket(dump, { sourceIP: src, destinationIP: dst, destinationPort: port, protocol }, ['192.168.0.2']);

describe('tracePacket', () => {
  it.each([
    {
      name: 'explores every probabilistic branch, skipping the affinity check',
      packet: ['10.0.0.5', '172.30.0.1', 80] as const,
      want: { verdict: 'DNAT', targets: ['10.0.0.7:8080', '10.0.0.8:8080'], masquerade: false },
    },
    {
      name: 'marks masquerade when a branch matches the hairpin rule',
      packet: ['10.0.0.7', '172.30.0.1', 80] as const,
      want: { verdict: 'DNAT', targets: ['10.0.0.7:8080', '10.0.0.8:8080'], masquerade: true },
    },
    {
      name: 'lets a filter verdict win over the DNAT (filter runs after nat)',
      packet: ['10.0.0.5', '172.30.0.3', 30000] as const,
      want: { verdict: 'ACCEPT', targets: ['10.0.0.8:8080'], masquerade: false },
    },
    {
      name: 'matches filter rules against the translated address',
      packet: ['10.0.0.5', '172.30.0.9', 80] as const,
      want: { verdict: 'REJECT', targets: [], masquerade: false },
    },
    {
      name: 'reports NONE when nothing matches',
      packet: ['10.0.0.5', '172.30.0.250', 80] as const,
      want: { verdict: 'NONE', targets: [], masquerade: false },
    },
  ])('$name', ({ packet, want }) => {
    const [src, dst, port] = packet;
    const result = trace(src, dst, port);
    expect({ verdict: result.verdict, targets: result.targets, masquerade: result.masquerade }).toEqual(want);
  });

  it('lists the chains it entered, table-qualified', () => {
    expect(trace('10.0.0.5', '172.30.0.1', 80).chains).toEqual([
      'nat:KUBE-SERVICES',
      'nat:KUBE-SVC-A',
      'nat:KUBE-SEP-1',
      'nat:KUBE-SEP-2',
      'filter:KUBE-SERVICES',
      'filter:KUBE-NODEPORTS',
    ]);
  });

  it('stops at RETURN and does not loop on a chain that jumps to itself', () => {
    const result = trace('10.0.0.5', '172.30.0.1', 53, 'UDP');
    expect(result.verdict).toBe('NONE');
    expect(result.chains.filter((chain) => chain === 'nat:KUBE-LOOP')).toHaveLength(1);
  });
});
