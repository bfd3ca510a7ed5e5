import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GoogleApiError } from '@gke-emulator/common';
import { vpc } from '@gke-emulator/dataplane';
import {
  evaluateFirewallQuestion,
  type FirewallEvaluationQuery,
  parseFirewallQuestion,
  protocolName,
  toFirewallEvaluationBody,
} from './firewall-evaluation';

const NETWORK = 'projects/p/global/networks/vpc';
const NODE_TAG = 'gke-c1-0123abcd-node';
const node: vpc.VpcInstance = {
  name: 'node-a',
  network: NETWORK,
  tags: [NODE_TAG],
  ipAddresses: ['10.0.0.2'],
};
const peer: vpc.VpcInstance = {
  name: 'node-b',
  network: NETWORK,
  tags: [NODE_TAG],
  ipAddresses: ['10.0.0.3'],
};

const rule = (fields: Partial<vpc.FirewallRule> & { name: string }): vpc.FirewallRule => ({
  network: NETWORK,
  targetTags: [NODE_TAG],
  ...fields,
});

// GKE's own rules (as cluster-plan.ts writes them) and a few users' rules.
const firewall = vpc.buildInstanceFirewall(
  {
    firewalls: [
      rule({
        name: 'gke-c1-0123abcd-vms',
        sourceRanges: ['10.0.0.0/24'],
        allowed: [{ IPProtocol: 'icmp' }, { IPProtocol: 'tcp', ports: ['1-65535'] }],
      }),
      rule({
        name: 'gke-c1-0123abcd-inkubelet',
        priority: 999,
        sourceRanges: ['10.4.0.0/14'],
        sourceTags: [NODE_TAG],
        allowed: [{ IPProtocol: 'tcp', ports: ['10255'] }],
      }),
      rule({
        name: 'gke-c1-0123abcd-exkubelet',
        sourceRanges: ['0.0.0.0/0'],
        denied: [{ IPProtocol: 'tcp', ports: ['10255'] }],
      }),
      // Equal priority: the deny goes first.
      rule({
        name: 'a-allow-8080',
        sourceRanges: ['0.0.0.0/0'],
        allowed: [{ IPProtocol: 'tcp', ports: ['8080'] }],
      }),
      rule({
        name: 'z-deny-8080',
        sourceRanges: ['0.0.0.0/0'],
        denied: [{ IPProtocol: 'tcp', ports: ['8080'] }],
      }),
      rule({
        name: 'disabled-allow-9000',
        priority: 10,
        disabled: true,
        sourceRanges: ['0.0.0.0/0'],
        allowed: [{ IPProtocol: 'tcp', ports: ['9000'] }],
      }),
      rule({
        name: 'deny-egress-dns',
        direction: 'EGRESS',
        destinationRanges: ['8.8.8.8/32'],
        denied: [{ IPProtocol: 'udp', ports: ['53'] }],
      }),
    ],
  },
  node,
);

const BASE = 'http://127.0.0.1:8085/compute/v1/';

function answer(query: FirewallEvaluationQuery, from?: vpc.VpcInstance) {
  return toFirewallEvaluationBody(
    evaluateFirewallQuestion(firewall, parseFirewallQuestion(query), '10.0.0.2', from),
    BASE,
  );
}

describe('parseFirewallQuestion', () => {
  it.each([
    [{}, 'direction', 'required'],
    [{ direction: 'SIDEWAYS', src: '1.2.3.4', dport: '80' }, 'direction', 'invalid'],
    [{ direction: 'INGRESS', dport: '80' }, 'src', 'required'],
    [{ direction: 'EGRESS', dport: '80' }, 'dst', 'required'],
    [{ direction: 'INGRESS', src: '1.2.3', dport: '80' }, 'src', 'invalid'],
    [{ direction: 'EGRESS', dst: '300.1.1.1', dport: '80' }, 'dst', 'invalid'],
    [{ direction: 'INGRESS', src: '1.2.3.4', dst: 'x', dport: '80' }, 'dst', 'invalid'],
    [{ direction: 'INGRESS', src: '1.2.3.4', protocol: 'all', dport: '80' }, 'protocol', 'invalid'],
    [{ direction: 'INGRESS', src: '1.2.3.4', protocol: 'http', dport: '80' }, 'protocol', 'invalid'],
    [{ direction: 'INGRESS', src: '1.2.3.4', protocol: '256' }, 'protocol', 'invalid'],
    [{ direction: 'INGRESS', src: '1.2.3.4' }, 'dport', 'invalid'],
    [{ direction: 'INGRESS', src: '1.2.3.4', dport: '0' }, 'dport', 'invalid'],
    [{ direction: 'INGRESS', src: '1.2.3.4', dport: '65536' }, 'dport', 'invalid'],
    [{ direction: 'INGRESS', src: '1.2.3.4', dport: '8e1' }, 'dport', 'invalid'],
    [{ direction: 'INGRESS', src: '1.2.3.4', protocol: 'icmp', dport: '80' }, 'dport', 'invalid'],
    [{ direction: 'INGRESS', src: ['1.2.3.4', '5.6.7.8'], dport: '80' }, 'src', 'invalid'],
  ] as [FirewallEvaluationQuery, string, string][])('%j: 400 naming %s', (query, parameter, reason) => {
    let error: unknown;
    try {
      parseFirewallQuestion(query);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(GoogleApiError);
    expect((error as GoogleApiError).httpStatus).toBe(400);
    expect((error as GoogleApiError).reason).toBe(reason);
    expect((error as GoogleApiError).message).toContain(`'${parameter}'`);
  });

  it.each([
    [
      { direction: 'ingress', src: '1.2.3.4', dport: '80' },
      { direction: 'INGRESS', src: '1.2.3.4', protocol: 'tcp', dport: 80 },
    ],
    [
      { direction: 'EGRESS', dst: '8.8.8.8', protocol: 'UDP', dport: '53' },
      { direction: 'EGRESS', dst: '8.8.8.8', protocol: 'udp', dport: 53 },
    ],
    [
      { direction: 'INGRESS', src: '1.2.3.4', protocol: '1' },
      { direction: 'INGRESS', src: '1.2.3.4', protocol: 'icmp' },
    ],
    [
      { direction: 'INGRESS', src: '1.2.3.4', protocol: '47' },
      { direction: 'INGRESS', src: '1.2.3.4', protocol: '47' },
    ],
    [
      { direction: 'INGRESS', src: '1.2.3.4', protocol: 'sctp', dport: 9 },
      { direction: 'INGRESS', src: '1.2.3.4', protocol: 'sctp', dport: 9 },
    ],
  ] as [FirewallEvaluationQuery, object][])('%j', (query, expected) => {
    expect(parseFirewallQuestion(query)).toEqual(expected);
  });

  it('answers any query with a question or a clean 400', () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('INGRESS', 'egress', 'tcp', 'icmp', '10.0.0.1', '80', '0', '65535', ''),
      fc.integer(),
      fc.array(fc.string(), { maxLength: 2 }),
    );
    fc.assert(
      fc.property(
        fc.record(
          { direction: value, src: value, dst: value, protocol: value, dport: value },
          { requiredKeys: [] },
        ),
        (query) => {
          try {
            const question = parseFirewallQuestion(query);
            expect(['INGRESS', 'EGRESS']).toContain(question.direction);
            const packet = evaluateFirewallQuestion(firewall, question, '10.0.0.2');
            expect(['allow', 'deny']).toContain(packet.verdict.action);
          } catch (error) {
            expect(error).toBeInstanceOf(GoogleApiError);
            expect((error as GoogleApiError).httpStatus).toBe(400);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('names protocols as rules do', () => {
    expect([6, 17, 1, 132, 50, 51, 4, 47, 'all' as const].map(protocolName)).toEqual([
      'tcp',
      'udp',
      'icmp',
      'sctp',
      'esp',
      'ah',
      'ipip',
      '47',
      'all',
    ]);
  });
});

describe('evaluateFirewallQuestion', () => {
  it.each([
    // [query, peer, allowed, deciding rule]
    [{ direction: 'INGRESS', src: '10.0.0.3', dport: '10250' }, undefined, true, 'gke-c1-0123abcd-vms'],
    [{ direction: 'INGRESS', src: '10.0.0.3', protocol: 'icmp' }, undefined, true, 'gke-c1-0123abcd-vms'],
    // Sources are OR'ed: the node's tag admits it although 10.0.0.3 is outside the pod range.
    [{ direction: 'INGRESS', src: '10.0.0.3', dport: '10255' }, peer, true, 'gke-c1-0123abcd-inkubelet'],
    [{ direction: 'INGRESS', src: '10.4.1.5', dport: '10255' }, undefined, true, 'gke-c1-0123abcd-inkubelet'],
    // Without the tag (not a VM of the network) the lower-priority deny decides.
    [
      { direction: 'INGRESS', src: '10.0.0.3', dport: '10255' },
      undefined,
      false,
      'gke-c1-0123abcd-exkubelet',
    ],
    [
      { direction: 'INGRESS', src: '198.51.100.7', dport: '10255' },
      undefined,
      false,
      'gke-c1-0123abcd-exkubelet',
    ],
    // Deny beats allow at equal priority.
    [{ direction: 'INGRESS', src: '198.51.100.7', dport: '8080' }, undefined, false, 'z-deny-8080'],
    // A disabled rule is skipped: the implied rule decides.
    [{ direction: 'INGRESS', src: '198.51.100.7', dport: '9000' }, undefined, false, 'implied-deny-ingress'],
    [
      { direction: 'EGRESS', dst: '8.8.8.8', protocol: 'udp', dport: '53' },
      undefined,
      false,
      'deny-egress-dns',
    ],
    [
      { direction: 'EGRESS', dst: '8.8.4.4', protocol: 'udp', dport: '53' },
      undefined,
      true,
      'implied-allow-egress',
    ],
  ] as [FirewallEvaluationQuery, vpc.VpcInstance | undefined, boolean, string][])(
    '%j (peer %j): allowed %s by %s',
    (query, from, allowed, name) => {
      const body = answer(query, from);
      expect(body).toMatchObject({ allowed, action: allowed ? 'allow' : 'deny', rule: { name } });
      expect(body.returnTrafficAllowed).toBe(allowed);
    },
  );

  it("fills the side left out with the node's address and names the rule with its wire object", () => {
    const body = answer({ direction: 'INGRESS', src: '10.0.0.3', dport: '22' });
    expect(body.packet).toEqual({
      direction: 'INGRESS',
      src: '10.0.0.3',
      dst: '10.0.0.2',
      protocol: 'tcp',
      dport: 22,
    });
    expect(body.rule).toMatchObject({
      name: 'gke-c1-0123abcd-vms',
      origin: 'vpc-rule',
      priority: 1000,
      action: 'allow',
      direction: 'INGRESS',
      // the wire rule as firewalls.get returns it: links in full on the client's base
      source: { name: 'gke-c1-0123abcd-vms', sourceRanges: ['10.0.0.0/24'], network: `${BASE}${NETWORK}` },
    });
    expect(answer({ direction: 'EGRESS', dst: '1.1.1.1', protocol: 'icmp' }).packet).toEqual({
      direction: 'EGRESS',
      src: '10.0.0.2',
      dst: '1.1.1.1',
      protocol: 'icmp',
    });
    const implied = answer({ direction: 'INGRESS', src: '198.51.100.7', dport: '443' }).rule;
    expect(implied).toEqual({
      name: 'implied-deny-ingress',
      origin: 'implied',
      priority: 65535,
      action: 'deny',
      direction: 'INGRESS',
    });
  });

  it('evaluates rules read back from their stored JSON the same way', () => {
    const stored = JSON.parse(JSON.stringify(firewall)) as vpc.InstanceFirewall;
    const question = parseFirewallQuestion({ direction: 'INGRESS', src: '10.0.0.3', dport: '10255' });
    expect(evaluateFirewallQuestion(stored, question, '10.0.0.2', peer).verdict.rule.name).toBe(
      'gke-c1-0123abcd-inkubelet',
    );
  });
});
