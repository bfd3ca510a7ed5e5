// Generates libs/compute/src/shared/wire-schemas.generated.ts: the wire schemas of the Compute request bodies the
// emulator reads (every field's JSON name and type, lists, maps and nested messages), and the enum values of their
// string fields, from the Compute discovery document the repository serves (libs/server/src/discovery/documents/
// compute.v1.json.gz, itself generated from @google-cloud/compute's protos by tools/gen-discovery.mjs). Request
// bodies are checked against them as Google's front end checks JSON against the proto (common's parseWireBody):
// unknown names and wrong types are refused before any use case runs. The legacy messages the document no longer
// carries (HttpHealthCheck) are declared below, in discovery form, from Google's published description.
// Usage: node tools/gen-compute-wire-schemas.mjs          writes the file
//        node tools/gen-compute-wire-schemas.mjs --check  exits 1 when the committed file differs from a regeneration
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
export const INPUT = join(root, 'libs/server/src/discovery/documents/compute.v1.json.gz');
export const OUTPUT = join(root, 'libs/compute/src/shared/wire-schemas.generated.ts');

/** The messages whose bodies the emulator parses (resources, and the request messages of custom verbs). */
export const ROOTS = [
  'Address',
  'BackendBucket',
  'BackendService',
  'CacheInvalidationRule',
  'Firewall',
  'ForwardingRule',
  'HealthCheck',
  'HttpHealthCheck',
  'InstanceGroup',
  'InstanceGroupsAddInstancesRequest',
  'InstanceGroupsListInstancesRequest',
  'InstanceGroupsRemoveInstancesRequest',
  'InstanceGroupsSetNamedPortsRequest',
  'Network',
  'RegionSetLabelsRequest',
  'Route',
  'SecurityPolicy',
  'SecurityPolicyReference',
  'SecurityPolicyRule',
  'SslCertificate',
  'Subnetwork',
  'SubnetworksExpandIpCidrRangeRequest',
  'SubnetworksSetPrivateIpGoogleAccessRequest',
  'TargetGrpcProxy',
  'TargetHttpProxy',
  'TargetHttpsProxy',
  'TargetPool',
  'TargetReference',
  'TargetSslProxy',
  'TargetTcpProxy',
  'UrlMap',
  'UrlMapReference',
];

/**
 * Messages of the Compute API that @google-cloud/compute's protos, hence the discovery document, no longer carry, in
 * discovery form: the legacy `httpHealthChecks` resource (target pools' health checks). Its fields and types are
 * those of Google's v1 discovery description as gcloud ships it (apitools' `HttpHealthCheck` in
 * googlecloudsdk/generated_clients/apis/compute/v1/compute_v1_messages.py; a test compares them when gcloud is
 * installed).
 */
export const LEGACY_SCHEMAS = {
  HttpHealthCheck: {
    id: 'HttpHealthCheck',
    type: 'object',
    properties: {
      checkIntervalSec: { type: 'integer', format: 'int32' },
      creationTimestamp: { type: 'string' },
      description: { type: 'string' },
      healthyThreshold: { type: 'integer', format: 'int32' },
      host: { type: 'string' },
      id: { type: 'string', format: 'uint64' },
      kind: { type: 'string', default: 'compute#httpHealthCheck' },
      name: { type: 'string' },
      port: { type: 'integer', format: 'int32' },
      requestPath: { type: 'string' },
      selfLink: { type: 'string' },
      timeoutSec: { type: 'integer', format: 'int32' },
      unhealthyThreshold: { type: 'integer', format: 'int32' },
    },
  },
};

/** The discovery document with the legacy messages it lacks (`LEGACY_SCHEMAS`). */
export function readDocument(path = INPUT) {
  const document = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
  for (const name of Object.keys(LEGACY_SCHEMAS))
    if (document.schemas[name])
      throw new Error(`${name} is in the discovery document now: drop it from LEGACY_SCHEMAS`);
  return { ...document, schemas: { ...document.schemas, ...LEGACY_SCHEMAS } };
}

/** A discovery property as a wire field spec (common's `FieldSpec`), with `ref` naming a message. */
export function fieldSpec(property, where) {
  if (property.$ref) return { ref: property.$ref };
  switch (property.type) {
    case 'string':
      // 64-bit integers travel as JSON strings (or numbers) in proto JSON
      if (property.format === 'int64') return 'int64';
      if (property.format === 'uint64') return 'uint64';
      return 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
      return property.format === 'uint32' ? 'uint32' : 'int32';
    case 'number':
      return property.format === 'float' ? 'float' : 'double';
    case 'array':
      return { array: fieldSpec(property.items, `${where}[]`) };
    case 'object':
      if (property.additionalProperties)
        return { map: fieldSpec(property.additionalProperties, `${where}{}`) };
      // google.protobuf.Struct and the like: any JSON object
      return 'any';
    case 'any':
      return 'any';
    default:
      throw new Error(`${where}: unsupported property ${JSON.stringify(property).slice(0, 200)}`);
  }
}

const refsIn = (spec) =>
  typeof spec === 'string'
    ? []
    : spec.ref
      ? [spec.ref]
      : spec.array
        ? refsIn(spec.array)
        : spec.map
          ? refsIn(spec.map)
          : [];

/**
 * The messages reachable from `roots`, each after those it refers to; a message that refers back to one being read
 * (a cycle) is declared first and filled in afterwards (`cyclic`).
 */
export function reachable(document, roots = ROOTS) {
  const order = [];
  const state = new Map();
  const cyclic = new Set();
  const visit = (name) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      cyclic.add(name);
      return;
    }
    const schema = document.schemas[name];
    if (!schema) throw new Error(`unknown schema ${name}`);
    state.set(name, 'visiting');
    const fields = {};
    const enums = {};
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      fields[key] = fieldSpec(property, `${name}.${key}`);
      const values = property.enum ?? property.items?.enum;
      // (an enum whose only value was the proto's UNDEFINED_… default lists none)
      if (values?.length) enums[key] = values;
      for (const ref of refsIn(fields[key])) visit(ref);
    }
    state.set(name, 'done');
    order.push({ name, fields, enums });
  };
  for (const name of roots) visit(name);
  return { order, cyclic };
}

const constName = (name) => `${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;

/**
 * Each distinct message written once: a message with the same fields as one written before it (after the same
 * substitution for the messages it refers to) is that constant (where it is referred to, and exported as it if a root), and one with the same field names as a larger
 * earlier message and most of its specs spreads it and writes only the fields that differ.
 */
export function render({ order, cyclic }) {
  const key = (field) => (/^[A-Za-z_$][\w$]*$/.test(field) ? field : `'${field}'`);
  /** message name → the message whose constant stands for it */
  const same = new Map();
  const canonical = (name) => same.get(name) ?? name;
  const expression = (spec) => {
    if (typeof spec === 'string') return `'${spec}'`;
    if (spec.ref) return `{ object: ${constName(canonical(spec.ref))} }`;
    if (spec.array) return `{ array: ${expression(spec.array)} }`;
    return `{ map: ${expression(spec.map)} }`;
  };
  const lines = [
    '// Generated by tools/gen-compute-wire-schemas.mjs from the Compute discovery document; do not edit.',
    "import type { WireSchema } from '@gke-emulator/common';",
    '',
  ];
  const sorted = [...cyclic].sort();
  if (sorted.length) lines[1] = "import type { FieldSpec, WireSchema } from '@gke-emulator/common';";
  for (const name of sorted)
    lines.push(
      `${ROOTS.includes(name) ? 'export ' : ''}const ${constName(name)}: Record<string, FieldSpec> = {};`,
    );
  if (sorted.length) lines.push('');
  /** the messages written in full so far: name → field → its expression */
  const written = [];
  const bodies = new Map();
  for (const { name, fields } of order) {
    const exported = ROOTS.includes(name) ? 'export ' : '';
    const specs = Object.fromEntries(
      Object.keys(fields)
        .sort()
        .map((field) => [field, expression(fields[field])]),
    );
    const entries = (names) => names.map((field) => `  ${key(field)}: ${specs[field]},`);
    if (cyclic.has(name)) {
      lines.push(`Object.assign(${constName(name)}, {`, ...entries(Object.keys(specs)), '});', '');
      continue;
    }
    const body = JSON.stringify(specs);
    if (bodies.has(body)) {
      // the messages that refer to this one use the earlier constant; a root is exported as that constant
      const first = bodies.get(body);
      same.set(name, first.name);
      first.also.push(name);
      if (exported)
        lines.push(`/** ${name} */`, `export const ${constName(name)} = ${constName(first.name)};`, '');
      continue;
    }
    const comment = lines.length;
    bodies.set(body, { name, also: [], comment });
    const names = Object.keys(specs);
    const base = written.find(
      (other) =>
        names.length >= 8 &&
        Object.keys(other.specs).length === names.length &&
        names.every((field) => field in other.specs) &&
        names.filter((field) => other.specs[field] === specs[field]).length * 2 > names.length,
    );
    written.push({ name, specs });
    if (base) {
      const differing = names.filter((field) => base.specs[field] !== specs[field]);
      lines.push(
        `/** ${name}: the fields of ${base.name} but ${differing.join(', ')} */`,
        `${exported}const ${constName(name)}: WireSchema = {`,
        `  ...${constName(base.name)},`,
        ...entries(differing),
        '};',
        '',
      );
      continue;
    }
    lines.push(
      `/** ${name} */`,
      `${exported}const ${constName(name)}: WireSchema = {`,
      ...entries(names),
      '};',
      '',
    );
  }
  for (const { name, also, comment } of bodies.values())
    if (also.length) lines[comment] = `/** ${name}, and ${also.join(', ')} with the same fields */`;
  lines.push(
    '/** The values of the enum fields of these messages, by `Message.field`, in the order the API lists them. */',
    'export const COMPUTE_ENUMS: Readonly<Record<string, readonly string[]>> = {',
  );
  for (const { name, enums } of order)
    for (const field of Object.keys(enums).sort())
      lines.push(`  '${name}.${field}': [${enums[field].map((value) => `'${value}'`).join(', ')}],`);
  lines.push('};', '');
  return lines.join('\n');
}

/** The module's text, formatted as the repository's Prettier settings format it. */
export async function generate(path = INPUT) {
  const text = render(reachable(readDocument(path)));
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
      console.error(`${OUTPUT} differs from a regeneration: run node tools/gen-compute-wire-schemas.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUTPUT, text);
    console.error(`${OUTPUT}: ${text.split('\n').length} lines`);
  }
}
