import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object';
import { goQuote, portNameProblems, validateObject } from './validation';

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

describe('object metadata (ValidateObjectMetaAccessor)', () => {
  const object = (metadata: Record<string, unknown>): KubeObject =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata }) as KubeObject;
  const metaMessages = (resource: string, metadata: Record<string, unknown>) =>
    validateObject(resource, object(metadata))
      .filter((c) => c.field.startsWith('metadata.'))
      .map((c) => `${c.reason} ${c.field}: ${c.message}`);
  const SUBDOMAIN_RULE =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

  it('checks the name by the kind: services DNS-1035, namespaces DNS-1123 labels, the rest subdomains', () => {
    expect(metaMessages('services', { name: '1svc' })[0]).toMatch(
      /^FieldValueInvalid metadata.name: Invalid value: "1svc": a DNS-1035 label must/,
    );
    expect(metaMessages('namespaces', { name: 'a.b' })).toEqual([
      'FieldValueInvalid metadata.name: Invalid value: "a.b": must not contain dots',
    ]);
    expect(metaMessages('pods', { name: 'a.b' })).toEqual([]);
    expect(metaMessages('backendconfigs', { name: 'Upper' })).toEqual([
      `FieldValueInvalid metadata.name: Invalid value: "Upper": ${SUBDOMAIN_RULE}`,
    ]);
    const long = 'a'.repeat(254);
    expect(metaMessages('deployments', { name: long })).toEqual([
      `FieldValueInvalid metadata.name: Invalid value: "${long}": must be no more than 253 characters`,
    ]);
    expect(metaMessages('pods', {})).toEqual([
      'FieldValueRequired metadata.name: Required value: name or generateName is required',
    ]);
  });

  it('checks a generateName as a prefix, before the generated name', () => {
    expect(metaMessages('pods', { generateName: 'web-', name: 'web-x7k2q' })).toEqual([]);
    expect(metaMessages('pods', { generateName: 'Web-', name: 'Web-x7k2q' })).toEqual([
      `FieldValueInvalid metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_RULE}`,
      `FieldValueInvalid metadata.name: Invalid value: "Web-x7k2q": ${SUBDOMAIN_RULE}`,
    ]);
  });

  it('gives every label key and value problem its own cause, values quoted as Go quotes them', () => {
    expect(
      metaMessages('pods', { name: 'p', labels: { 'a/b/c': 'x', ok: 'bad value', 'k\n': '"' } }),
    ).toEqual([
      expect.stringMatching(
        /^FieldValueInvalid metadata.labels: Invalid value: "a\/b\/c": a qualified name must/,
      ),
      expect.stringMatching(
        /^FieldValueInvalid metadata.labels: Invalid value: "bad value": a valid label must/,
      ),
      expect.stringMatching(
        /^FieldValueInvalid metadata.labels: Invalid value: "k\\n": name part must consist/,
      ),
      expect.stringMatching(/^FieldValueInvalid metadata.labels: Invalid value: "\\"": a valid label must/),
    ]);
    expect(metaMessages('pods', { name: 'p', labels: { ['a'.repeat(64)]: 'b'.repeat(64) } })).toEqual([
      `FieldValueInvalid metadata.labels: Invalid value: "${'a'.repeat(64)}": name part must be no more than 63 characters`,
      `FieldValueInvalid metadata.labels: Invalid value: "${'b'.repeat(64)}": must be no more than 63 characters`,
    ]);
  });

  it('checks annotation keys case-insensitively and the 256 KiB total of keys and values', () => {
    expect(metaMessages('pods', { name: 'p', annotations: { 'Example.COM/Key': 'x', 'a b': '' } })).toEqual([
      expect.stringMatching(/^FieldValueInvalid metadata.annotations: Invalid value: "a b": name part must/),
    ]);
    // 262,144 bytes exactly is allowed; one more byte is not.
    const fits = { a: 'x'.repeat(262_143) };
    expect(metaMessages('pods', { name: 'p', annotations: fits })).toEqual([]);
    expect(metaMessages('pods', { name: 'p', annotations: { ab: 'x'.repeat(262_143) } })).toEqual([
      'FieldValueTooLong metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
    // Bytes, not characters: 131,072 two-byte characters and a one-byte key are one byte too many.
    expect(metaMessages('pods', { name: 'p', annotations: { a: 'é'.repeat(131_072) } })).toEqual([
      'FieldValueTooLong metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });

  it('checks finalizers as qualified names', () => {
    expect(metaMessages('pods', { name: 'p', finalizers: ['example.com/ok', 'bad name'] })).toEqual([
      expect.stringMatching(
        /^FieldValueInvalid metadata.finalizers: Invalid value: "bad name": name part must/,
      ),
    ]);
  });
});

describe('goQuote (Go %q)', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\r\u0007\b\f\v', '"\\n\\t\\r\\a\\b\\f\\v"'],
    ['\u0001\u007f', '"\\x01\\x7f"'],
    ['é中😀', '"é中😀"'],
    ['\u0085\u00ad\u2028', '"\\u0085\\u00ad\\u2028"'],
    ['\u{e0001}', '"\\U000e0001"'],
    [' ', '" "'],
    ['\u00a0', '"\\u00a0"'],
  ])('%j', (value, expected) => expect(goQuote(value)).toBe(expected));
});

describe('label selectors and label maps in specs', () => {
  const causesOf = (resource: string, object: Record<string, unknown>) =>
    validateObject(resource, { metadata: { name: 'x' }, ...object } as KubeObject).map(
      (c) => `${c.reason} ${c.field}: ${c.message}`,
    );
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  };

  it('checks a Deployment selector`s matchLabels and matchExpressions as ValidateLabelSelector does', () => {
    expect(
      causesOf('deployments', {
        spec: {
          selector: {
            matchLabels: { app: 'web' },
            matchExpressions: [
              { key: 'tier', operator: 'In', values: [] },
              { key: 'tier', operator: 'Exists', values: ['a'] },
              { key: 'Bad Key', operator: 'Near', values: ['-v'] },
            ],
          },
          template,
        },
      }).filter((c) => c.includes(' spec.selector')),
    ).toEqual([
      "FieldValueRequired spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "FieldValueForbidden spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'FieldValueInvalid spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
      expect.stringMatching(
        /^FieldValueInvalid spec.selector.matchExpressions\[2\].key: Invalid value: "Bad Key": name part must consist/,
      ),
      expect.stringMatching(
        /^FieldValueInvalid spec.selector.matchExpressions\[2\].values\[0\]: Invalid value: "-v": a valid label must/,
      ),
      expect.stringMatching(
        /^FieldValueInvalid spec.selector: Invalid value: \{"matchLabels".*: invalid label selector$/,
      ),
    ]);
    expect(
      causesOf('deployments', { spec: { selector: { matchLabels: { 'a/b/c': 'web' } }, template } })[0],
    ).toMatch(/^FieldValueInvalid spec.selector.matchLabels: Invalid value: "a\/b\/c": a qualified name/);
  });

  it('checks a Service selector and a pod nodeSelector as labels', () => {
    expect(
      causesOf('services', { spec: { selector: { app: 'x'.repeat(64) }, ports: [{ port: 80 }] } }),
    ).toEqual([
      `FieldValueInvalid spec.selector: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`,
    ]);
    expect(
      causesOf('pods', {
        spec: { nodeSelector: { 'Pool Name': 'a' }, containers: [{ name: 'c', image: 'i' }] },
      }),
    ).toEqual([
      expect.stringMatching(
        /^FieldValueInvalid spec.nodeSelector: Invalid value: "Pool Name": name part must/,
      ),
    ]);
  });

  it('checks NetworkPolicy pod and namespace selectors, the policy`s and its peers`', () => {
    expect(
      messages(
        policy({
          podSelector: { matchLabels: { app: '-' } },
          ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'k', operator: 'in' }] } }] }],
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^spec.podSelector.matchLabels: Invalid value: "-": a valid label must/),
      'spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator',
    ]);
  });
});

describe('port names', () => {
  it('checks Service port names as DNS-1123 labels and container port names as IANA service names', () => {
    const service = validateObject('services', {
      metadata: { name: 's' },
      spec: {
        ports: [
          { name: 'HTTP', port: 80 },
          { name: 'ok', port: 81 },
        ],
      },
    } as unknown as KubeObject).map((c) => `${c.field}: ${c.message}`);
    expect(service).toEqual([
      expect.stringMatching(/^spec.ports\[0\].name: Invalid value: "HTTP": a lowercase RFC 1123 label must/),
    ]);
    const pod = validateObject('pods', {
      metadata: { name: 'p' },
      spec: {
        containers: [{ name: 'c', image: 'i', ports: [{ name: 'web-server-port-1', containerPort: 80 }] }],
      },
    } as unknown as KubeObject).map((c) => `${c.field}: ${c.message}`);
    expect(pod).toEqual([
      'spec.containers[0].ports[0].name: Invalid value: "web-server-port-1": must be no more than 15 bytes',
    ]);
  });
});
