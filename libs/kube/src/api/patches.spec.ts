import { describe, expect, it } from 'vitest';
import { SCHEMAS } from './object-schema';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from './patches';

const deployment = {
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
          { name: 'log', image: 'busybox' },
        ],
      },
    },
  },
};

describe('JSON merge patch (RFC 7386)', () => {
  it.each([
    [{ a: 1 }, { a: null }, {}],
    [{ a: [1, 2] }, { a: [3] }, { a: [3] }],
    [{ a: { b: 1, c: 2 } }, { a: { b: null, d: 3 } }, { a: { c: 2, d: 3 } }],
    [{ a: 1 }, 'x', 'x'],
    [undefined, { a: { b: 1 } }, { a: { b: 1 } }],
  ])('%j + %j = %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('adds, replaces, removes, moves, copies and tests', () => {
    const result = applyJsonPatch({ a: { b: [1, 2] }, c: 1 }, [
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'replace', path: '/c', value: 2 },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e~1f' },
      { op: 'remove', path: '/a/b/0' },
      { op: 'test', path: '/c', value: 2 },
    ]);
    expect(result).toEqual({ a: { b: [2, 3] }, c: 2, 'e/f': 2 });
  });
  it.each([
    [[{ op: 'remove', path: '/missing' }]],
    [[{ op: 'test', path: '/a', value: 2 }]],
    [[{ op: 'jump', path: '/a' }]],
    [[{ op: 'add', path: '/x/y', value: 1 }]],
  ])('fails %j with a PatchError', (operations) => {
    expect(() => applyJsonPatch({ a: 1 }, operations)).toThrow(PatchError);
  });
  it.each([
    [[{ op: 'remove', path: '' }], 'doc is missing path: ""'],
    [[{ op: 'copy', from: '/missing', path: '' }], 'doc is missing path: "/missing"'],
    [[{ op: 'move', from: '/a/b', path: '/c' }], 'doc is missing path: "/a/b"'],
    [[{ op: 'replace', path: '/a/0', value: 2 }], 'doc is missing path: "/a/0"'],
    [[{ op: 'add', path: '/a/0', value: 2 }], 'doc is missing path: "/a/0"'],
    [[{ op: 'add', path: '/l/5', value: 2 }], 'Unable to access invalid index: 5'],
    [[{ op: 'test', path: '/a', value: 2 }], 'testing value /a failed: test failed'],
    [
      [{ op: 'add', path: '/constructor/prototype/polluted', value: 1 }],
      'doc is missing path: "/constructor/prototype/polluted"',
    ],
    [[{ op: 'add', path: '/__proto__/polluted', value: 1 }], 'unknown field "__proto__"'],
  ])('refuses %j as the API server does', (operations, message) => {
    expect(() => applyJsonPatch({ a: 1, l: [] }, operations)).toThrow(message);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
  it('compares values in a test operation regardless of key order, and reads a missing value as null', () => {
    const document = { a: { b: 1, c: 2 } };
    expect(applyJsonPatch(document, [{ op: 'test', path: '/a', value: { c: 2, b: 1 } }])).toEqual(document);
    expect(applyJsonPatch(document, [{ op: 'add', path: '/d' }])).toEqual({ ...document, d: null });
    expect(document).toEqual({ a: { b: 1, c: 2 } });
  });
});

describe('strategic merge patch', () => {
  const schema = SCHEMAS['deployments'];
  it('merges containers by name and their ports and env by key', () => {
    const result = applyStrategicMergePatch(
      deployment,
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'web',
                  image: 'nginx:2',
                  ports: [{ containerPort: 443 }],
                  env: [{ name: 'A', value: '2' }],
                },
                { name: 'new', image: 'redis' },
              ],
            },
          },
        },
      },
      schema,
    ) as typeof deployment;
    const containers = result.spec.template.spec.containers;
    expect(containers.map((c) => c.name)).toEqual(['web', 'log', 'new']);
    expect(containers[0]).toEqual({
      name: 'web',
      image: 'nginx:2',
      ports: [{ containerPort: 80 }, { containerPort: 443 }],
      env: [{ name: 'A', value: '2' }],
    });
  });
  it('deletes list items and keys, replaces and retains keys by directive', () => {
    const result = applyStrategicMergePatch(
      deployment,
      {
        metadata: { labels: { tier: null } },
        spec: {
          strategy: { $retainKeys: ['type'], type: 'Recreate' },
          template: {
            spec: {
              containers: [{ name: 'log', $patch: 'delete' }],
              '$setElementOrder/containers': [{ name: 'web' }],
            },
          },
        },
      },
      schema,
    ) as typeof deployment;
    expect(result.metadata.labels).toEqual({ app: 'web' });
    expect(result.spec.strategy).toEqual({ type: 'Recreate' });
    expect(result.spec.template.spec.containers.map((c) => c.name)).toEqual(['web']);
    const replaced = applyStrategicMergePatch(
      deployment,
      { metadata: { labels: { $patch: 'replace', only: 'this' } } },
      schema,
    ) as typeof deployment;
    expect(replaced.metadata.labels).toEqual({ only: 'this' });
  });
  it('replaces lists without a merge key', () => {
    const policy = { spec: { policyTypes: ['Ingress', 'Egress'] } };
    expect(
      applyStrategicMergePatch(policy, { spec: { policyTypes: ['Ingress'] } }, SCHEMAS['networkpolicies']),
    ).toEqual({
      spec: { policyTypes: ['Ingress'] },
    });
  });
});
