import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object';
import { portNameProblems, validateObject } from './validation';

const policy = (spec: Record<string, unknown>): KubeObject =>
  ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'default' },
    spec: { podSelector: {}, ...spec },
  }) as KubeObject;

const ingressFrom = (ipBlock: unknown) => policy({ ingress: [{ from: [{ ipBlock }] }] });
const ingressPorts = (...ports: unknown[]) => policy({ ingress: [{ ports }] });
const messages = (object: KubeObject) =>
  validateObject('networkpolicies', object).map((c) => `${c.field}: ${c.message}`);

describe('NetworkPolicy validation (pkg/apis/networking/validation)', () => {
  const CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
  it.each([
    [{ cidr: '10.0.0.0/8' }, []],
    [{ cidr: '10.0.0.1/24' }, []],
    [{ cidr: '2001:db8::/64', except: ['2001:db8::/96'] }, []],
    [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.3.0/24'] }, []],
    [
      { cidr: '999.1.1.1/8' },
      [`spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "999.1.1.1/8": ${CIDR}`],
    ],
    [
      { cidr: '10.0.0.0/33' },
      [`spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": ${CIDR}`],
    ],
    [{ cidr: '' }, ['spec.ingress[0].from[0].ipBlock.cidr: Required value']],
    [{}, ['spec.ingress[0].from[0].ipBlock.cidr: Required value']],
    [
      { cidr: '10.0.0.0/8', except: ['10.0.0.0/8', '192.168.0.0/24', '10.0.0.0/40'] },
      [
        'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
        'spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "192.168.0.0/24": must be a strict subset of `cidr`',
        `spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "10.0.0.0/40": ${CIDR}`,
      ],
    ],
    [
      { cidr: '10.0.0.0/8', except: ['2001:db8::/64'] },
      [
        'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "2001:db8::/64": must be a strict subset of `cidr`',
      ],
    ],
  ])('ipBlock %j', (ipBlock, expected) => {
    expect(messages(ingressFrom(ipBlock))).toEqual(expected);
  });

  it('checks egress peers under their own path', () => {
    expect(messages(policy({ egress: [{}, { to: [{ ipBlock: { cidr: '1.2.3/8' } }] }] }))).toEqual([
      `spec.egress[1].to[0].ipBlock.cidr: Invalid value: "1.2.3/8": ${CIDR}`,
    ]);
  });

  const at = 'spec.ingress[0].ports[0]';
  it.each([
    [{ port: 80 }, []],
    [{ port: 1, endPort: 65535, protocol: 'UDP' }, []],
    [{ port: 'http', protocol: 'SCTP' }, []],
    [{ protocol: 'TCP' }, []],
    [{ port: 80, endPort: 80 }, []],
    [{ port: -1 }, [`${at}.port: Invalid value: -1: must be between 1 and 65535, inclusive`]],
    [{ port: 0 }, [`${at}.port: Invalid value: 0: must be between 1 and 65535, inclusive`]],
    [{ port: 65536 }, [`${at}.port: Invalid value: 65536: must be between 1 and 65535, inclusive`]],
    [
      { port: 80, protocol: 'ICMP' },
      [`${at}.protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"`],
    ],
    [
      { port: 80, protocol: 'tcp' },
      [`${at}.protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"`],
    ],
    [
      { port: 90, endPort: 80 },
      [`${at}.endPort: Invalid value: 90: must be greater than or equal to \`port\``],
    ],
    [
      { port: 80, endPort: 70000 },
      [`${at}.endPort: Invalid value: 70000: must be between 1 and 65535, inclusive`],
    ],
    [
      { port: 'http', endPort: 90 },
      [`${at}.endPort: Invalid value: 90: may not be specified when \`port\` is non-numeric`],
    ],
    [
      { endPort: 90 },
      [`${at}.endPort: Invalid value: 90: may not be specified when \`port\` is not specified`],
    ],
    [
      { port: 'HTTP' },
      [
        `${at}.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
        `${at}.port: Invalid value: "HTTP": must contain at least one letter (a-z)`,
      ],
    ],
  ])('port %j', (port, expected) => {
    expect(messages(ingressPorts(port))).toEqual(expected);
  });

  it.each([
    ['http', []],
    ['web-8080', []],
    ['a'.repeat(15), []],
    ['a'.repeat(16), ['must be no more than 15 bytes']],
    ['8080', ['must contain at least one letter (a-z)']],
    ['a--b', ['must not contain consecutive hyphens']],
    ['-ab', ['must not begin or end with a hyphen']],
    ['ab-', ['must not begin or end with a hyphen']],
    ['a_b', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']],
    [
      '',
      [
        'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'must contain at least one letter (a-z)',
      ],
    ],
  ])('port name %j (IANA_SVC_NAME)', (name, expected) => {
    expect(portNameProblems(name)).toEqual(expected);
  });
});
