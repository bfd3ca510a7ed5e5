import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';

import type { VpcInstance } from '../vpc-instance.model';
import type { FirewallVerdict } from './effective-firewall-rule.model';
import { evaluatePacketRange } from './firewall-range.evaluator';
import type { EffectiveFirewallsInput, FirewallDirection } from './firewall-rule.model';
import { evaluatePacket } from './firewall.evaluator';
import { buildInstanceFirewall } from './instance-firewall.builder';

// gcpdiag's check_connectivity_ingress/egress assertions (27), run against the same getEffectiveFirewalls
// fixtures. gcpdiag's vocabulary: `src_ip` is the remote end (the destination for EGRESS) and may be a CIDR;
// target_* describe the VM; source_* the remote VM.
interface OracleCase {
  readonly test: string;
  readonly fixture: string;
  readonly direction: FirewallDirection;
  readonly src_ip: string;
  readonly ip_protocol: string;
  readonly port: number;
  readonly source_tags?: string[];
  readonly source_service_account?: string;
  readonly target_tags?: string[];
  readonly target_service_account?: string;
  readonly expect_action: 'allow' | 'deny';
  readonly expect_matched_by?: string;
}

const { cases } = JSON.parse(readOracle('gcp-firewall', 'gcpdiag-firewall-cases.json')) as {
  cases: OracleCase[];
};
const fixtures = new Map<string, EffectiveFirewallsInput>();
function fixture(name: string): EffectiveFirewallsInput {
  const cached = fixtures.get(name);
  if (cached) return cached;
  const loaded = JSON.parse(readOracle('gcp-firewall', name)) as EffectiveFirewallsInput;
  fixtures.set(name, loaded);
  return loaded;
}

// The VM's own address plays no part in these rules; any address of the network will do.
const VM_IP = '10.128.0.2';

/** gcpdiag's `matched_by_str`. */
function matchedBy(verdict: FirewallVerdict): string | undefined {
  const { rule } = verdict;
  if (rule.origin === 'vpc-rule') return `vpc firewall rule: ${rule.name}`;
  if (rule.origin === 'implied') return undefined;
  const description = rule.source && 'description' in rule.source ? rule.source.description : '';
  return description ? `policy: ${rule.policy}, rule: ${description}` : `policy: ${rule.policy}`;
}

function scenario(oracle: OracleCase) {
  const input = fixture(oracle.fixture);
  const network = input.firewalls?.[0]?.network ?? 'default';
  const instance: VpcInstance = {
    network,
    tags: oracle.target_tags,
    serviceAccount: oracle.target_service_account,
    ipAddresses: [VM_IP],
  };
  const hasPeer = oracle.source_tags !== undefined || oracle.source_service_account !== undefined;
  const peer: VpcInstance | undefined = hasPeer
    ? { network, tags: oracle.source_tags, serviceAccount: oracle.source_service_account }
    : undefined;
  return { firewall: buildInstanceFirewall(input, instance), peer };
}

describe('gcpdiag firewall oracle (gcpdiag-firewall-cases.json)', () => {
  it('has the 27 documented cases', () => {
    expect(cases).toHaveLength(27);
  });

  it.each(cases.map((oracle, index) => [`#${index} ${oracle.test} ${oracle.src_ip}`, oracle] as const))(
    '%s',
    (_label, oracle) => {
      const { firewall, peer } = scenario(oracle);
      const query = {
        direction: oracle.direction,
        remoteRange: oracle.src_ip,
        protocol: oracle.ip_protocol,
        port: oracle.port,
        peer,
      };
      const range = evaluatePacketRange(firewall, query);
      expect(range.action).toBe(oracle.expect_action);
      if (oracle.expect_matched_by !== undefined)
        expect(matchedBy(range.verdict)).toBe(oracle.expect_matched_by);

      if (!oracle.src_ip.includes('/')) {
        // A single address: the packet evaluator must agree with the range evaluator.
        const ingress = oracle.direction === 'INGRESS';
        const verdict = evaluatePacket(firewall, {
          direction: oracle.direction,
          srcIp: ingress ? oracle.src_ip : VM_IP,
          dstIp: ingress ? VM_IP : oracle.src_ip,
          protocol: oracle.ip_protocol,
          port: oracle.port,
          peer,
        });
        expect(verdict).toEqual(range.verdict);
      }
    },
  );
});
