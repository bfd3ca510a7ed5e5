import { describe, expect, it } from 'vitest';

import { parseIptablesRule, splitRuleWords } from './iptables-rule.parser';
import { renderIptablesRestore } from './iptables-restore.renderer';
import { parseIptablesRestore } from './iptables-restore.parser';

describe('parseIptablesRule', () => {
  it.each([
    [
      '-A KUBE-SVC-X -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      {
        chain: 'KUBE-SVC-X',
        comment: { negated: false, value: 'ns1/svc1:p80 cluster IP' },
        protocol: { negated: false, value: 'tcp' },
        destinationAddress: { negated: false, value: '172.30.0.41' },
        destinationPort: { negated: false, value: '80' },
        sourceAddress: { negated: true, value: '10.0.0.0/8' },
        jump: { negated: false, value: 'KUBE-MARK-MASQ' },
      },
    ],
    [
      '-A KUBE-SVC-X -m comment --comment "a -> b" -m recent --name KUBE-SEP-Y --rcheck --seconds 10800 --reap -j KUBE-SEP-Y',
      {
        chain: 'KUBE-SVC-X',
        comment: { negated: false, value: 'a -> b' },
        affinityCheck: true,
        jump: { negated: false, value: 'KUBE-SEP-Y' },
      },
    ],
    [
      '-A KUBE-SEP-Y -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
      {
        chain: 'KUBE-SEP-Y',
        comment: { negated: false, value: 'ns1/svc1:p80' },
        protocol: { negated: false, value: 'tcp' },
        jump: { negated: false, value: 'DNAT' },
        dnatDestination: { negated: false, value: '10.180.0.1:80' },
      },
    ],
    [
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      {
        chain: 'KUBE-POSTROUTING',
        markCheck: { negated: true, value: '0x4000/0x4000' },
        jump: { negated: false, value: 'RETURN' },
      },
    ],
    [
      '-A KUBE-FW-X -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"',
      {
        chain: 'KUBE-FW-X',
        comment: {
          negated: false,
          value: 'other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL',
        },
      },
    ],
  ])('parses %s', (raw, fields) => {
    expect(parseIptablesRule(raw)).toEqual({ raw, ...fields });
  });

  it.each([
    ['KUBE-SERVICES -j DROP', 'does not start with'],
    ['-A KUBE-SERVICES ! -j DROP', 'cannot negate'],
    ['-A KUBE-SERVICES -j', 'requires an argument'],
  ])('rejects %s', (raw, message) => {
    expect(() => parseIptablesRule(raw)).toThrow(message);
  });

  it('keeps a quoted comment as one word', () => {
    expect(splitRuleWords('-A C -m comment --comment "x y z" -j ACCEPT')).toEqual([
      '-A',
      'C',
      '-m',
      'comment',
      '--comment',
      'x y z',
      '-j',
      'ACCEPT',
    ]);
  });
});

describe('parseIptablesRestore', () => {
  const text = [
    '# generated',
    '*filter',
    ':KUBE-SERVICES - [0:0]',
    ':INPUT ACCEPT [12:340]',
    '-A KUBE-SERVICES -m comment --comment "x has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT',
    'COMMIT',
    '*nat',
    ':KUBE-SVC-OLD - [0:0]',
    ':KUBE-SERVICES - [0:0]',
    '-X KUBE-SVC-OLD',
    'COMMIT',
    '',
  ].join('\n');

  it('reads tables, chains and rules, and drops deleted chains', () => {
    expect(parseIptablesRestore(text)).toEqual({
      tables: [
        {
          name: 'filter',
          chains: [
            {
              name: 'KUBE-SERVICES',
              rules: [
                '-A KUBE-SERVICES -m comment --comment "x has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT',
              ],
            },
            { name: 'INPUT', rules: [] },
          ],
        },
        { name: 'nat', chains: [{ name: 'KUBE-SERVICES', rules: [] }] },
      ],
    });
  });

  it('renders back what it read (chain counters reset)', () => {
    const rendered = renderIptablesRestore(parseIptablesRestore(text));
    expect(rendered).toContain(':INPUT - [0:0]\n');
    expect(parseIptablesRestore(rendered)).toEqual(parseIptablesRestore(text));
  });

  it.each([
    [':KUBE-SERVICES - [0:0]\nCOMMIT\n', 'expected a table'],
    ['*nat\n-A KUBE-SERVICES -j ACCEPT\nCOMMIT\n', 'undeclared chain'],
    ['*nat\n:KUBE-SERVICES - [0:0]\nbogus\nCOMMIT\n', 'unrecognised line'],
    ['*nat\n:KUBE-SERVICES - [0:0]\n', 'without COMMIT'],
  ])('rejects malformed input %#', (input, message) => {
    expect(() => parseIptablesRestore(input)).toThrow(message);
  });
});
