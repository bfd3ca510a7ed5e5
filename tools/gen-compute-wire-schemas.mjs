// Generates libs/compute/src/shared/wire-schemas.generated.ts: the wire schemas of the Compute request bodies the
// emulator reads (every field's JSON name and type, lists, maps and nested messages), and the enum values of their
// string fields, from the Compute discovery document the repository serves (libs/server/src/discovery/documents/
// compute.v1.json.gz, itself generated from @google-cloud/compute's protos by tools/gen-discovery.mjs). Request
// bodies are checked against them as Google's front end checks JSON against the proto (common's parseWireBody):
// unknown names and wrong types are refused before any use case runs.
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

export function readDocument(path = INPUT) {
  return JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
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

export function render({ order, cyclic }) {
  const key = (field) => (/^[A-Za-z_$][\w$]*$/.test(field) ? field : `'${field}'`);
  const expression = (spec) => {
    if (typeof spec === 'string') return `'${spec}'`;
    if (spec.ref) return `{ object: ${constName(spec.ref)} }`;
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
  for (const { name, fields } of order) {
    const entries = Object.keys(fields)
      .sort()
      .map((field) => `  ${key(field)}: ${expression(fields[field])},`);
    if (cyclic.has(name)) lines.push(`Object.assign(${constName(name)}, {`, ...entries, '});', '');
    else
      lines.push(
        `/** ${name} */`,
        `${ROOTS.includes(name) ? 'export ' : ''}const ${constName(name)}: WireSchema = {`,
        ...entries,
        '};',
        '',
      );
  }
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
