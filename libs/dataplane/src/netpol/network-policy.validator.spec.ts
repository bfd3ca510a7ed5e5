import { describe, expect, it } from 'vitest';
import type { NetworkPolicy, NetworkPolicySpec } from './network-policy.types';
import { validateNetworkPolicy } from './network-policy.validator';

function policy(spec: Partial<NetworkPolicySpec>, name = 'p'): NetworkPolicy {
  return { metadata: { name, namespace: 'ns' }, spec: { podSelector: {}, ...spec } };
}

describe('validateNetworkPolicy', () => {
  it('accepts the shapes used by the e2e suite', () => {
    expect(
      validateNetworkPolicy(
        policy({
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] },
                },
                { podSelector: { matchLabels: { pod: 'b' } }, namespaceSelector: {} },
                { ipBlock: { cidr: '10.0.1.1/4', except: ['10.0.1.2/32'] } },
              ],
              ports: [{ port: 'serve-81-tcp' }, { port: 80, protocol: 'UDP' }, { protocol: 'SCTP' }],
            },
          ],
          egress: [{ ports: [{ port: 1, endPort: 65535, protocol: 'TCP' }] }, {}],
        }),
      ),
    ).toEqual([]);
  });

  const cases: {
    name: string;
    spec: Partial<NetworkPolicySpec>;
    field: string;
    code: string;
    message: string;
  }[] = [
    {
      name: 'endPort < port (np-guard IllegalPortRangeError)',
      spec: {
        egress: [
          {
            ports: [
              { port: 3535, protocol: 'UDP' },
              { port: 10, endPort: 1, protocol: 'TCP' },
            ],
          },
        ],
      },
      field: 'spec.egress[0].ports[1].endPort',
      code: 'IllegalPortRange',
      message: 'spec.egress[0].ports[1].endPort: Invalid value: 10: must be greater than or equal to `port`',
    },
    {
      name: 'endPort with a named port (np-guard EndPortWithNamedPortErrStr)',
      spec: { ingress: [{}, { ports: [{ port: 'http', endPort: 10000, protocol: 'TCP' }] }] },
      field: 'spec.ingress[1].ports[0].endPort',
      code: 'EndPortWithNamedPort',
      message:
        'spec.ingress[1].ports[0].endPort: Invalid value: 10000: may not be specified when `port` is non-numeric',
    },
    {
      name: 'endPort without port',
      spec: { ingress: [{ ports: [{ endPort: 80 }] }] },
      field: 'spec.ingress[0].ports[0].endPort',
      code: 'EndPortWithoutPort',
      message:
        'spec.ingress[0].ports[0].endPort: Invalid value: 80: may not be specified when `port` is not specified',
    },
    {
      name: 'port 0',
      spec: { ingress: [{ ports: [{ port: 0 }] }] },
      field: 'spec.ingress[0].ports[0].port',
      code: 'InvalidPort',
      message: 'spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    },
    {
      name: 'endPort above 65535',
      spec: { ingress: [{ ports: [{ port: 1, endPort: 70000 }] }] },
      field: 'spec.ingress[0].ports[0].endPort',
      code: 'InvalidPort',
      message:
        'spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    },
    {
      name: 'a port name without letters',
      spec: { ingress: [{ ports: [{ port: '8080' }] }] },
      field: 'spec.ingress[0].ports[0].port',
      code: 'InvalidPortName',
      message: 'spec.ingress[0].ports[0].port: Invalid value: "8080": must contain at least one letter (a-z)',
    },
    {
      name: 'an unsupported protocol',
      spec: { ingress: [{ ports: [{ protocol: 'ICMP' }] }] },
      field: 'spec.ingress[0].ports[0].protocol',
      code: 'UnsupportedProtocol',
      message:
        'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    },
    {
      name: 'an empty peer (np-guard EmptyRulePeerErrStr)',
      spec: { ingress: [{ from: [{}] }] },
      field: 'spec.ingress[0].from[0]',
      code: 'EmptyPeer',
      message: 'spec.ingress[0].from[0]: Required value: must specify a peer',
    },
    {
      name: 'ipBlock with a selector (np-guard CombinedRulePeerErrStr)',
      spec: { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] },
      field: 'spec.egress[0].to[0]',
      code: 'IpBlockWithSelector',
      message: 'spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer',
    },
    {
      name: 'a malformed cidr',
      spec: { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] },
      field: 'spec.egress[0].to[0].ipBlock.cidr',
      code: 'InvalidCidr',
      message:
        'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    },
    {
      name: 'an except outside the cidr',
      spec: { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] } }] }] },
      field: 'spec.egress[0].to[0].ipBlock.except[0]',
      code: 'ExceptNotStrictSubset',
      message:
        'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
    },
    {
      name: 'an except equal to the cidr',
      spec: { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] }] },
      field: 'spec.egress[0].to[0].ipBlock.except[0]',
      code: 'ExceptNotStrictSubset',
      message:
        'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
    },
    {
      name: 'an unknown selector operator',
      spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['a'] }] } },
      field: 'spec.podSelector.matchExpressions[0].operator',
      code: 'InvalidSelector',
      message:
        'spec.podSelector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator',
    },
    {
      name: 'In without values',
      spec: {
        ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }] }],
      },
      field: 'spec.ingress[0].from[0].podSelector.matchExpressions[0].values',
      code: 'InvalidSelector',
      message:
        "spec.ingress[0].from[0].podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    },
    {
      name: 'Exists with values',
      spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['a'] }] } },
      field: 'spec.podSelector.matchExpressions[0].values',
      code: 'InvalidSelector',
      message:
        "spec.podSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    },
    {
      name: 'an unknown policy type',
      spec: { policyTypes: ['Ingress', 'Sideways'] },
      field: 'spec.policyTypes[1]',
      code: 'UnsupportedPolicyType',
      message: 'spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
    },
    {
      name: 'three policy types',
      spec: { policyTypes: ['Ingress', 'Egress', 'Ingress'] },
      field: 'spec.policyTypes',
      code: 'TooManyPolicyTypes',
      message:
        'spec.policyTypes: Invalid value: []string{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes',
    },
    {
      name: 'a bad label value',
      spec: { podSelector: { matchLabels: { app: 'not ok' } } },
      field: 'spec.podSelector.matchLabels',
      code: 'InvalidSelector',
      message:
        "spec.podSelector.matchLabels: Invalid value: \"not ok\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    },
  ];

  it.each(cases)('reports $name', ({ spec, field, code, message }) => {
    expect(validateNetworkPolicy(policy(spec))).toEqual([expect.objectContaining({ field, code, message })]);
  });

  it('reports a missing name', () => {
    expect(validateNetworkPolicy(policy({}, '')).map((issue) => issue.code)).toEqual(['MissingName']);
  });

  it('carries the port and endPort of a port issue', () => {
    const [issue] = validateNetworkPolicy(policy({ ingress: [{ ports: [{ port: 10, endPort: 1 }] }] }));
    expect(issue).toMatchObject({ port: 10, endPort: 1 });
  });
});
