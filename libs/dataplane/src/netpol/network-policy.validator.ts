import { validateLabelSelector } from './label-selector.validator';
import { MAX_PORT, MIN_PORT } from './connection-set.model';
import { parseIpBlockCidr } from './ip-range-set.model';
import type { IpBlock, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from './network-policy.types';
import {
  forbiddenIssue,
  invalidIssue,
  type NetworkPolicyIssue,
  notSupportedIssue,
  requiredIssue,
} from './network-policy.issues';

// Mirrors k8s.io/kubernetes pkg/apis/networking/validation (ValidateNetworkPolicySpec and friends); the
// np-guard error cases (endPort with a named port, endPort < port) are among these.

const SUPPORTED_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const SUPPORTED_POLICY_TYPES = ['Ingress', 'Egress'];
const PORT_NAME_CHARSET = /^[-a-z0-9]+$/;
const PORT_NUMBER_MESSAGE = `must be between ${MIN_PORT} and ${MAX_PORT}, inclusive`;

function portNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > 15) problems.push('must be no more than 15 characters');
  if (!PORT_NAME_CHARSET.test(name)) {
    problems.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!/[a-z]/.test(name)) problems.push('must contain at least one letter (a-z)');
  if (name.includes('--')) problems.push('must not contain consecutive hyphens (--)');
  if (name.startsWith('-') || name.endsWith('-')) problems.push('must not begin or end with a hyphen (-)');
  return problems;
}

function isValidPortNumber(port: number): boolean {
  return Number.isInteger(port) && port >= MIN_PORT && port <= MAX_PORT;
}

export function validateNetworkPolicyPort(rulePort: NetworkPolicyPort, field: string): NetworkPolicyIssue[] {
  const issues: NetworkPolicyIssue[] = [];
  const { protocol, port, endPort } = rulePort;
  const details = { port, endPort };
  if (protocol !== undefined && !SUPPORTED_PROTOCOLS.includes(protocol)) {
    issues.push(notSupportedIssue('UnsupportedProtocol', `${field}.protocol`, protocol, SUPPORTED_PROTOCOLS));
  }
  if (port === undefined) {
    if (endPort !== undefined) {
      issues.push(
        invalidIssue(
          'EndPortWithoutPort',
          `${field}.endPort`,
          endPort,
          'may not be specified when `port` is not specified',
          details,
        ),
      );
    }
    return issues;
  }
  if (typeof port === 'number') {
    if (!isValidPortNumber(port)) {
      issues.push(invalidIssue('InvalidPort', `${field}.port`, port, PORT_NUMBER_MESSAGE, details));
    }
    if (endPort !== undefined) {
      if (endPort < port) {
        issues.push(
          invalidIssue(
            'IllegalPortRange',
            `${field}.endPort`,
            port,
            'must be greater than or equal to `port`',
            details,
          ),
        );
      }
      if (!isValidPortNumber(endPort)) {
        issues.push(invalidIssue('InvalidPort', `${field}.endPort`, endPort, PORT_NUMBER_MESSAGE, details));
      }
    }
    return issues;
  }
  if (endPort !== undefined) {
    issues.push(
      invalidIssue(
        'EndPortWithNamedPort',
        `${field}.endPort`,
        endPort,
        'may not be specified when `port` is non-numeric',
        details,
      ),
    );
  }
  for (const problem of portNameProblems(port)) {
    issues.push(invalidIssue('InvalidPortName', `${field}.port`, port, problem, details));
  }
  return issues;
}

function validateIpBlock(ipBlock: IpBlock, field: string): NetworkPolicyIssue[] {
  if (ipBlock.cidr === '') return [requiredIssue('InvalidCidr', `${field}.cidr`)];
  const cidr = parseIpBlockCidr(ipBlock.cidr);
  if (!cidr.ok) {
    return [
      invalidIssue(
        'InvalidCidr',
        `${field}.cidr`,
        ipBlock.cidr,
        'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ),
    ];
  }
  const issues: NetworkPolicyIssue[] = [];
  (ipBlock.except ?? []).forEach((text, index) => {
    const path = `${field}.except[${index}]`;
    const except = parseIpBlockCidr(text);
    if (!except.ok) {
      issues.push(
        invalidIssue(
          'InvalidCidr',
          path,
          text,
          'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
        ),
      );
      return;
    }
    // IPv6 blocks are only syntax-checked (this evaluator models IPv4 pods), so subset checks are IPv4 only.
    if (cidr.family === 'ipv6' && except.family === 'ipv6') return;
    const strictSubset =
      cidr.family === 'ipv4' &&
      except.family === 'ipv4' &&
      cidr.range.start <= except.range.start &&
      except.range.end <= cidr.range.end &&
      except.range.end - except.range.start < cidr.range.end - cidr.range.start;
    if (!strictSubset)
      issues.push(invalidIssue('ExceptNotStrictSubset', path, text, 'must be a strict subset of `cidr`'));
  });
  return issues;
}

export function validateNetworkPolicyPeer(peer: NetworkPolicyPeer, field: string): NetworkPolicyIssue[] {
  const issues: NetworkPolicyIssue[] = [];
  let count = 0;
  if (peer.podSelector !== undefined) {
    count++;
    issues.push(...validateLabelSelector(peer.podSelector, `${field}.podSelector`));
  }
  if (peer.namespaceSelector !== undefined) {
    count++;
    issues.push(...validateLabelSelector(peer.namespaceSelector, `${field}.namespaceSelector`));
  }
  if (peer.ipBlock !== undefined) {
    count++;
    issues.push(...validateIpBlock(peer.ipBlock, `${field}.ipBlock`));
  }
  if (count === 0) issues.push(requiredIssue('EmptyPeer', field, 'must specify a peer'));
  else if (count > 1 && peer.ipBlock !== undefined) {
    issues.push(
      forbiddenIssue('IpBlockWithSelector', field, 'may not specify both ipBlock and another peer'),
    );
  }
  return issues;
}

function validateRule(
  peers: readonly NetworkPolicyPeer[] | undefined,
  ports: readonly NetworkPolicyPort[] | undefined,
  field: string,
  peersField: 'from' | 'to',
): NetworkPolicyIssue[] {
  return [
    ...(ports ?? []).flatMap((port, index) => validateNetworkPolicyPort(port, `${field}.ports[${index}]`)),
    ...(peers ?? []).flatMap((peer, index) =>
      validateNetworkPolicyPeer(peer, `${field}.${peersField}[${index}]`),
    ),
  ];
}

/** Every reason the API server would refuse this policy; empty when it is valid. */
export function validateNetworkPolicy(policy: NetworkPolicy): NetworkPolicyIssue[] {
  const issues: NetworkPolicyIssue[] = [];
  if (policy.metadata.name === '') {
    issues.push(requiredIssue('MissingName', 'metadata.name', 'name or generateName is required'));
  }
  const { spec } = policy;
  issues.push(...validateLabelSelector(spec.podSelector, 'spec.podSelector'));
  (spec.ingress ?? []).forEach((rule, index) => {
    issues.push(...validateRule(rule.from, rule.ports, `spec.ingress[${index}]`, 'from'));
  });
  (spec.egress ?? []).forEach((rule, index) => {
    issues.push(...validateRule(rule.to, rule.ports, `spec.egress[${index}]`, 'to'));
  });
  const policyTypes = spec.policyTypes ?? [];
  if (policyTypes.length > SUPPORTED_POLICY_TYPES.length) {
    issues.push(
      invalidIssue(
        'TooManyPolicyTypes',
        'spec.policyTypes',
        policyTypes,
        'may not specify more than two policyTypes',
      ),
    );
    return issues;
  }
  policyTypes.forEach((policyType, index) => {
    if (!SUPPORTED_POLICY_TYPES.includes(policyType)) {
      issues.push(
        notSupportedIssue(
          'UnsupportedPolicyType',
          `spec.policyTypes[${index}]`,
          policyType,
          SUPPORTED_POLICY_TYPES,
        ),
      );
    }
  });
  return issues;
}
