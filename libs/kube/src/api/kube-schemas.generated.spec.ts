import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { KUBE_SCHEMAS } from './kube-schemas.generated';
import { KUBELET_VERSION } from './node-view';
import type { ObjectSchema } from './field-schema';

/**
 * tools/gen-kube-schemas.mjs: the committed module is what a regeneration from the committed OpenAPI v3 documents
 * gives, for the Kubernetes version /version reports; and the reader of OpenAPI's schemas follows Kubernetes' patch
 * extensions.
 */
interface Generator {
  KUBERNETES_VERSION: string;
  OUTPUT: string;
  SERVED: Record<string, string>;
  generate(): Promise<string>;
  fieldModel(schema: unknown, definitions: Record<string, unknown>, where: string): Record<string, unknown>;
}

const root = join(__dirname, '../../../..');
let generator: Generator;
beforeAll(async () => {
  generator = (await import(pathToFileURL(join(root, 'tools/gen-kube-schemas.mjs')).href)) as Generator;
});

describe('gen-kube-schemas', () => {
  it('the committed module is a regeneration from the committed documents', async () => {
    expect(readFileSync(generator.OUTPUT, 'utf8')).toBe(await generator.generate());
  }, 60_000);

  it('reads the documents of the Kubernetes version the emulator reports', () => {
    expect(KUBELET_VERSION.startsWith(`${generator.KUBERNETES_VERSION}.`)).toBe(true);
  });

  it('serves every generated kind under its resource', () => {
    expect(Object.keys(KUBE_SCHEMAS).sort()).toEqual(Object.keys(generator.SERVED).sort());
    expect(KUBE_SCHEMAS['deployments']?.name).toBe('Deployment');
  });

  it('keeps merge keys only where the patch strategy merges, and retainKeys where it retains', () => {
    const definitions = { 'x.Item': { type: 'object', properties: { name: { type: 'string' } } } };
    const items = { allOf: [{ $ref: '#/components/schemas/x.Item' }] };
    const model = (schema: unknown) => generator.fieldModel(schema, definitions, 'test');
    expect(
      model({
        type: 'array',
        items,
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
      }),
    ).toEqual({ type: 'list', items: { type: 'object', ref: 'x.Item', retainKeys: true }, mergeKey: 'name' });
    // a list-map for server-side apply with no patch strategy is replaced whole by a strategic merge patch
    expect(
      model({
        type: 'array',
        items,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      }),
    ).toEqual({ type: 'list', items: { type: 'object', ref: 'x.Item' } });
    expect(
      model({ type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' }),
    ).toEqual({ type: 'list', items: { type: 'string' }, setOfScalars: true });
    expect(model({ type: 'integer', format: 'int64' })).toEqual({ type: 'int64' });
    expect(model({ type: 'integer', format: 'int32' })).toEqual({ type: 'integer' });
    expect(model({ type: 'object', additionalProperties: { type: 'string' } })).toEqual({
      type: 'map',
      values: { type: 'string' },
    });
    expect(() => model({ $ref: '#/components/schemas/x.Missing' })).toThrow('unknown definition x.Missing');
  });

  it('types what the hand-written tables left free-form (probes, security contexts, volume sources)', () => {
    const pod = KUBE_SCHEMAS['pods'] as ObjectSchema;
    const spec = pod.fields['spec'] as ObjectSchema;
    const containers = spec.fields['containers'] as Extract<(typeof spec.fields)[string], { type: 'list' }>;
    expect(containers.mergeKey).toBe('name');
    const container = containers.items as ObjectSchema;
    expect(container.fields['livenessProbe']).toMatchObject({ type: 'object', name: 'Probe' });
    expect(container.fields['securityContext']).toMatchObject({ type: 'object', name: 'SecurityContext' });
    const volumes = spec.fields['volumes'] as Extract<(typeof spec.fields)[string], { type: 'list' }>;
    expect(volumes.items).toMatchObject({ name: 'Volume', retainKeys: true });
  });
});
