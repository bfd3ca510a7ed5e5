// Generates libs/kube/src/api/kube-schemas.generated.ts: the field schemas of the Kubernetes kinds the emulator serves
// (every field with its JSON type, and for lists their strategic-merge key), read from the OpenAPI v3 documents of the
// Kubernetes version the emulator reports (/version: v1.32), committed gzipped in tools/kube-openapi/v1.32/ (see its
// README.md for their source). Strict field validation, pruning, strategic merge patch and managed fields read them.
// Usage: node tools/gen-kube-schemas.mjs          writes the file
//        node tools/gen-kube-schemas.mjs --check  exits 1 when the committed file differs from a regeneration
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
export const KUBERNETES_VERSION = 'v1.32';
export const INPUT_DIR = join(root, 'tools/kube-openapi', KUBERNETES_VERSION);
export const OUTPUT = join(root, 'libs/kube/src/api/kube-schemas.generated.ts');

/** The kinds served, by resource (as the store names them), and their OpenAPI definition. */
export const SERVED = {
  namespaces: 'io.k8s.api.core.v1.Namespace',
  nodes: 'io.k8s.api.core.v1.Node',
  pods: 'io.k8s.api.core.v1.Pod',
  services: 'io.k8s.api.core.v1.Service',
  events: 'io.k8s.api.core.v1.Event',
  deployments: 'io.k8s.api.apps.v1.Deployment',
  replicasets: 'io.k8s.api.apps.v1.ReplicaSet',
  endpointslices: 'io.k8s.api.discovery.v1.EndpointSlice',
  ingresses: 'io.k8s.api.networking.v1.Ingress',
  networkpolicies: 'io.k8s.api.networking.v1.NetworkPolicy',
};
/** Subresources with a kind of their own. */
export const SUBRESOURCES = { scale: 'io.k8s.api.autoscaling.v1.Scale' };

/** Definitions that are JSON scalars (or free-form) on the wire, whatever their Go type. */
const SCALARS = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'intOrString',
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': 'any',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'any',
};

/** Every `components.schemas` entry of the committed documents, by name (documents repeat shared definitions). */
export function readDefinitions(dir = INPUT_DIR) {
  const definitions = {};
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.json.gz'))
    .sort()) {
    const document = JSON.parse(gunzipSync(readFileSync(join(dir, file))).toString('utf8'));
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      if (definitions[name] && JSON.stringify(definitions[name]) !== JSON.stringify(schema))
        throw new Error(`${name} differs between documents (${file})`);
      definitions[name] = schema;
    }
  }
  return definitions;
}

const refOf = (schema) => {
  const ref = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0].$ref : undefined);
  return ref?.replace('#/components/schemas/', '');
};
const shortName = (name) => name.split('.').pop();

/**
 * The field schema of one OpenAPI schema, as a model: `{ type, … }` with `ref` naming another definition. The
 * property's patch extensions (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`) decide how strategic
 * merge patch treats it: lists merge by key only when the strategy says `merge`, objects keep only the patch's keys
 * when it says `retainKeys`.
 */
export function fieldModel(schema, definitions, where) {
  const strategies = (schema['x-kubernetes-patch-strategy'] ?? '').split(',').filter(Boolean);
  const ref = refOf(schema);
  if (ref) {
    if (SCALARS[ref]) return { type: SCALARS[ref] };
    const target = definitions[ref];
    if (!target) throw new Error(`${where}: unknown definition ${ref}`);
    if (target.type === 'object' && !target.properties && !target.additionalProperties)
      return { type: 'any' };
    return { type: 'object', ref, ...(strategies.includes('retainKeys') ? { retainKeys: true } : {}) };
  }
  if (schema['x-kubernetes-preserve-unknown-fields']) return { type: 'any' };
  switch (schema.type) {
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return { type: 'number' };
    case 'integer':
      // Go's decoder names the width it refuses a number for.
      return { type: schema.format === 'int64' ? 'int64' : 'integer' };
    case 'array': {
      const items = fieldModel(schema.items, definitions, `${where}[]`);
      const mergeKey = strategies.includes('merge') ? schema['x-kubernetes-patch-merge-key'] : undefined;
      if (items.type === 'object' && strategies.includes('retainKeys')) items.retainKeys = true;
      const scalar = !['object', 'list', 'map', 'any'].includes(items.type);
      return {
        type: 'list',
        items,
        ...(mergeKey ? { mergeKey } : {}),
        ...(!mergeKey && scalar && strategies.includes('merge') ? { setOfScalars: true } : {}),
      };
    }
    case 'object':
      if (schema.additionalProperties)
        return { type: 'map', values: fieldModel(schema.additionalProperties, definitions, `${where}{}`) };
      return { type: 'any' };
    default:
      throw new Error(`${where}: unsupported schema ${JSON.stringify(schema).slice(0, 200)}`);
  }
}

/** The object definitions reachable from `roots`, each after those it refers to (Kubernetes' kinds have no cycles). */
export function reachable(roots, definitions) {
  const order = [];
  const state = new Map(); // name -> 'visiting' | 'done'
  const visit = (name, path) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`cycle: ${[...path, name].join(' → ')}`);
    state.set(name, 'visiting');
    const fields = {};
    for (const [key, property] of Object.entries(definitions[name].properties ?? {})) {
      const model = fieldModel(property, definitions, `${name}.${key}`);
      fields[key] = model;
      for (const ref of refsIn(model)) visit(ref, [...path, name]);
    }
    state.set(name, 'done');
    order.push({ name, fields });
  };
  for (const name of roots) visit(name, []);
  return order;
}

function refsIn(model) {
  if (model.type === 'object') return [model.ref];
  if (model.type === 'list') return refsIn(model.items);
  if (model.type === 'map') return refsIn(model.values);
  return [];
}

const SCALAR_CONSTS = {
  string: 'string',
  integer: 'int32',
  int64: 'int64',
  number: 'number',
  boolean: 'boolean',
  intOrString: 'intOrString',
  quantity: 'quantity',
  time: 'time',
  any: 'any',
};

export function render(order) {
  const names = new Map();
  for (const { name } of order) {
    const short = shortName(name);
    const taken = [...names.values()].includes(short);
    if (taken) throw new Error(`two definitions named ${short}: give one a qualified constant name`);
    names.set(name, short);
  }
  const usedScalars = new Set();
  const expression = (model) => {
    switch (model.type) {
      case 'object':
        return model.retainKeys ? `{ ...${names.get(model.ref)}, retainKeys: true }` : names.get(model.ref);
      case 'list': {
        const extra = [
          model.mergeKey ? `mergeKey: '${model.mergeKey}'` : '',
          model.setOfScalars ? 'setOfScalars: true' : '',
        ].filter(Boolean);
        return `{ type: 'list', items: ${expression(model.items)}${extra.map((e) => `, ${e}`).join('')} }`;
      }
      case 'map':
        return `{ type: 'map', values: ${expression(model.values)} }`;
      default:
        usedScalars.add(model.type);
        return SCALAR_CONSTS[model.type];
    }
  };
  const key = (field) => (/^[A-Za-z_$][\w$]*$/.test(field) ? field : `'${field}'`);
  const lines = [
    `// Generated by tools/gen-kube-schemas.mjs from Kubernetes ${KUBERNETES_VERSION}'s OpenAPI v3 documents`,
    '// (tools/kube-openapi/); do not edit.',
    "import type { FieldSchema, ObjectSchema } from './field-schema';",
    '',
    '',
  ];
  const body = [];
  for (const { name, fields } of order) {
    const entries = Object.keys(fields)
      .sort()
      .map((field) => `    ${key(field)}: ${expression(fields[field])},`);
    body.push(
      `/** ${name} */`,
      `const ${names.get(name)}: ObjectSchema = {`,
      "  type: 'object',",
      `  name: '${names.get(name)}',`,
      entries.length ? '  fields: {' : '  fields: {},',
      ...(entries.length ? [...entries, '  },'] : []),
      '};',
      '',
    );
  }
  // the scalar constants the definitions use
  const used = Object.entries(SCALAR_CONSTS).filter(([type]) => usedScalars.has(type));
  lines.push(...used.map(([type, constant]) => `const ${constant}: FieldSchema = { type: '${type}' };`), '');
  lines.push(...body);
  lines.push(
    '/** The kinds served, by resource. */',
    'export const KUBE_SCHEMAS: Readonly<Record<string, ObjectSchema>> = {',
    ...Object.entries(SERVED).map(([resource, name]) => `  ${resource}: ${names.get(name)},`),
    '};',
    '',
    '/** Subresources with a kind of their own. */',
    'export const KUBE_SUBRESOURCE_SCHEMAS: Readonly<Record<string, ObjectSchema>> = {',
    ...Object.entries(SUBRESOURCES).map(([resource, name]) => `  ${resource}: ${names.get(name)},`),
    '};',
    '',
  );
  return lines.join('\n');
}

/** The module's text, formatted as the repository's Prettier settings format it. */
export async function generate(dir = INPUT_DIR) {
  const definitions = readDefinitions(dir);
  const text = render(reachable([...Object.values(SERVED), ...Object.values(SUBRESOURCES)], definitions));
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(OUTPUT)) ?? {};
  return prettier.format(text, { ...options, filepath: OUTPUT });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await generate();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(OUTPUT, 'utf8');
    } catch {
      // missing: stale
    }
    if (committed !== text) {
      console.error(`${OUTPUT} differs from a regeneration: run node tools/gen-kube-schemas.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUTPUT, text);
    console.error(`${OUTPUT}: ${text.split('\n').length} lines`);
  }
}
