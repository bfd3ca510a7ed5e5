import { describe, expect, it } from 'vitest';

import type { EffectiveFirewallPolicy } from './firewall-rule.model';
import { allowTcp, decide, IN, NET, rule, VM } from './firewall.test-helpers';

describe('evaluatePacket: firewall policies', () => {
  const allowAllPolicy = (type: string, priority = 10): EffectiveFirewallPolicy => ({
    name: type.toLowerCase(),
    type,
    rules: [
      {
        priority,
        action: 'allow',
        direction: 'INGRESS',
        match: { srcIpRanges: ['0.0.0.0/0'], layer4Configs: [{ ipProtocol: 'all' }] },
        ruleName: `${type.toLowerCase()}-allow`,
      },
    ],
  });
  const vpcDeny = [rule('vpc-deny', { priority: 0, denied: [{ IPProtocol: 'all' }] })];

  it('evaluates hierarchical policies before VPC rules, whatever the priorities', () => {
    expect(decide(vpcDeny, IN, VM, [allowAllPolicy('HIERARCHY', 2_000_000)])).toBe('allow:hierarchy-allow');
  });

  it('evaluates network policies after VPC rules by default, before them when so ordered', () => {
    expect(decide(vpcDeny, IN, VM, [allowAllPolicy('NETWORK')])).toBe('deny:vpc-deny');
    expect(decide([], IN, VM, [allowAllPolicy('NETWORK')])).toBe('allow:network-allow');
    const before = { networkFirewallPolicyEnforcementOrder: 'BEFORE_CLASSIC_FIREWALL' } as const;
    expect(decide(vpcDeny, IN, VM, [allowAllPolicy('NETWORK')], before)).toBe('allow:network-allow');
  });

  it('continues after a goto_next with the next stage, and after a policy without a match', () => {
    const gotoNext: EffectiveFirewallPolicy = {
      name: 'org',
      rules: [
        {
          priority: 1,
          action: 'goto_next',
          direction: 'INGRESS',
          match: { srcIpRanges: ['203.0.113.0/24'], layer4Configs: [{ ipProtocol: 'all' }] },
        },
        {
          priority: 2,
          action: 'deny',
          direction: 'INGRESS',
          match: { srcIpRanges: ['0.0.0.0/0'], layer4Configs: [{ ipProtocol: 'all' }] },
        },
      ],
    };
    const unrelated: EffectiveFirewallPolicy = {
      name: 'folder',
      rules: [
        {
          priority: 1,
          action: 'deny',
          direction: 'INGRESS',
          match: { srcIpRanges: ['198.51.100.0/24'], layer4Configs: [{ ipProtocol: 'all' }] },
        },
      ],
    };
    const allow = [rule('vpc-allow', { allowed: allowTcp })];
    expect(decide(allow, IN, VM, [gotoNext, unrelated])).toBe('allow:vpc-allow');
    expect(decide(allow, { ...IN, srcIp: '192.0.2.1' }, VM, [gotoNext])).toBe('deny:priority-2');
  });

  it('restricts a policy rule to its target networks and service accounts, and skips disabled ones', () => {
    const policy = (fields: object): EffectiveFirewallPolicy => ({
      name: 'p',
      rules: [
        {
          priority: 1,
          action: 'deny',
          direction: 'INGRESS',
          match: { srcIpRanges: ['0.0.0.0/0'], layer4Configs: [{ ipProtocol: 'all' }] },
          ruleName: 'r',
          ...fields,
        },
      ],
    });
    expect(decide([], IN, VM, [policy({ targetResources: [NET] })])).toBe('deny:r');
    expect(decide([], IN, VM, [policy({ targetResources: ['projects/p/global/networks/other'] })])).toBe(
      'deny:implied-deny-ingress',
    );
    expect(
      decide([rule('a', { allowed: allowTcp })], IN, VM, [
        policy({ targetServiceAccounts: ['x@p.iam.gserviceaccount.com'] }),
      ]),
    ).toBe('allow:a');
    expect(decide([rule('a', { allowed: allowTcp })], IN, VM, [policy({ disabled: true })])).toBe('allow:a');
  });

  it('treats apply_security_profile_group as letting the packet through', () => {
    const policy: EffectiveFirewallPolicy = {
      name: 'p',
      rules: [
        {
          priority: 1,
          action: 'apply_security_profile_group',
          direction: 'INGRESS',
          match: { srcIpRanges: ['0.0.0.0/0'], layer4Configs: [{ ipProtocol: 'tcp' }] },
          ruleName: 'inspect',
        },
      ],
    };
    expect(decide([], IN, VM, [policy])).toBe('allow:inspect');
  });
});
