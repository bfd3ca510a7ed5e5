// Derives the enum tables of the Container v1 API from Google's cluster_service.proto, so request bodies whose
// enums arrive as numbers (the Node client's REST transport sends `enum-encoding=int`) can be read as names.
// Usage: node tools/gen-container-enums.mjs <path/to/google/container/v1/cluster_service.proto> > libs/container/src/wire/container-enums.generated.ts
// Both tables are generated from the proto of @google-cloud/container 7.2.0 (`npm pack @google-cloud/container@7.2.0`,
// build/protos/google/container/v1/cluster_service.proto): newer than the installed client, whose proto lacks fields
// the API has. With --fields, every field of the same messages instead (JSON name, proto name, type, repeated or map), so request
// bodies can be checked as Google's front end does (unknown names, wrong JSON types):
//   node tools/gen-container-enums.mjs <cluster_service.proto> --fields > libs/container/src/wire/container-fields.generated.ts
import { readFileSync } from 'node:fs';

// Comments out; braces inside field options (`[(google.api.resource_reference) = { type: … }]`) are not scopes.
const source = readFileSync(process.argv[2], 'utf8')
  .replace(/\/\/.*$/gm, '')
  .replace(/\[[^\]]*\]/g, (options) => options.replace(/[{}]/g, ' '));
const messages = new Map(); // full name -> { fields: [{name, type}] }
const enums = new Map(); // full name -> [names by number]
const scope = [];
const kinds = [];
const tokenRe = /\b(message|enum|oneof)\s+(\w+)\s*\{|\}|([^;{}]+);/g;
let match;
while ((match = tokenRe.exec(source))) {
  if (match[1]) {
    kinds.push(match[1]);
    if (match[1] === 'oneof') continue;
    scope.push(match[2]);
    const full = scope.join('.');
    if (match[1] === 'message') messages.set(full, { fields: [] });
    else enums.set(full, []);
  } else if (match[0] === '}') {
    const kind = kinds.pop();
    if (kind && kind !== 'oneof') scope.pop();
  } else if (match[3]) {
    const statement = match[3].trim().replace(/\s+/g, ' ');
    const current = scope.join('.');
    const kind = [...kinds].reverse().find((k) => k !== 'oneof');
    if (kind === 'enum') {
      const value = statement.match(/^(\w+) = (-?\d+)/);
      if (value) enums.get(current)[Number(value[2])] = value[1];
    } else if (kind === 'message') {
      const field = statement.match(/^(optional |repeated )?([\w.]+) (\w+) = \d+/);
      const map = statement.match(/^map<\s*(\w+)\s*,\s*([\w.]+)\s*> (\w+) = \d+/);
      const jsonName = statement.match(/json_name = "(\w+)"/)?.[1];
      if (field)
        messages.get(current).fields.push({
          name: field[3],
          type: field[2],
          repeated: field[1] === 'repeated ',
          jsonName,
        });
      else if (map)
        messages.get(current).fields.push({ name: map[3], type: map[2], mapKey: map[1], jsonName });
    }
  }
}

const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
function resolve(type, from) {
  const parts = from.split('.');
  for (let i = parts.length; i >= 0; i--) {
    const candidate = [...parts.slice(0, i), type].join('.');
    if (messages.has(candidate) || enums.has(candidate)) return candidate;
  }
  return undefined;
}

const table = {};
for (const [name, message] of messages) {
  const fields = {};
  for (const field of message.fields) {
    const target = resolve(field.type, name);
    if (!target) continue;
    fields[camel(field.name)] = enums.has(target) ? { enum: target } : { message: target };
  }
  if (Object.keys(fields).length > 0) table[name] = fields;
}
// Keep only what is reachable from request messages and resources, and the enums they use.
const roots = [
  'Cluster',
  'NodePool',
  'ClusterUpdate',
  'Operation',
  'SetNetworkPolicyRequest',
  'CreateClusterRequest',
  'CreateNodePoolRequest',
  'UpdateClusterRequest',
  'UpdateNodePoolRequest',
  'SetNodePoolSizeRequest',
  'SetNodePoolManagementRequest',
  'SetLabelsRequest',
  'SetMasterAuthRequest',
  'SetLoggingServiceRequest',
  'SetMonitoringServiceRequest',
  'SetAddonsConfigRequest',
  'SetLocationsRequest',
  'UpdateMasterRequest',
  'SetLegacyAbacRequest',
  'SetMaintenancePolicyRequest',
  'SetNodePoolAutoscalingRequest',
];
const reachable = new Set();
const usedEnums = new Set();
const visit = (name) => {
  if (reachable.has(name) || !table[name]) return;
  reachable.add(name);
  for (const field of Object.values(table[name])) {
    if (field.message) visit(field.message);
    else usedEnums.add(field.enum);
  }
};
roots.forEach(visit);

if (process.argv.includes('--fields')) {
  // [proto name, type, 'repeated' | 'map<key>' | undefined] by JSON name. A type is a proto scalar (int32, string…),
  // a message or enum of this file by its full name, or a google.* type by its full name.
  const fieldTable = {};
  const visitFields = (name) => {
    if (fieldTable[name] || !messages.has(name)) return;
    const fields = (fieldTable[name] = {});
    for (const field of messages.get(name).fields) {
      const target = resolve(field.type, name) ?? field.type;
      const kind = field.mapKey ? `map<${field.mapKey}>` : field.repeated ? 'repeated' : undefined;
      fields[field.jsonName ?? camel(field.name)] = kind ? [field.name, target, kind] : [field.name, target];
      visitFields(target);
    }
  };
  roots.forEach(visitFields);
  console.log(
    [
      '// Generated by tools/gen-container-enums.mjs --fields from google/container/v1/cluster_service.proto. Do not edit.',
      '/** [proto name, type, repeated or map<key type>]: a type is a proto scalar, a message or enum of the file, or google.* */',
      'export type ContainerField = readonly [string, string, string?];',
      'export const CONTAINER_FIELDS: Record<string, Record<string, ContainerField>> = ' +
        JSON.stringify(
          Object.fromEntries(
            Object.keys(fieldTable)
              .sort()
              .map((n) => [n, fieldTable[n]]),
          ),
        ) +
        ';',
    ].join('\n'),
  );
  process.exit(0);
}

const out = [];
out.push(
  '// Generated by tools/gen-container-enums.mjs from google/container/v1/cluster_service.proto. Do not edit.',
);
out.push('export type FieldType = { readonly message: string } | { readonly enum: string };');
out.push(
  'export const CONTAINER_MESSAGES: Record<string, Record<string, FieldType>> = ' +
    JSON.stringify(Object.fromEntries([...reachable].sort().map((n) => [n, table[n]])), null, 2) +
    ';',
);
out.push('/** Enum value names by number (holes are numbers the proto does not define). */');
out.push(
  'export const CONTAINER_ENUMS: Record<string, readonly (string | null)[]> = ' +
    JSON.stringify(
      Object.fromEntries([...usedEnums].sort().map((n) => [n, Array.from(enums.get(n), (v) => v ?? null)])),
      null,
      2,
    ) +
    ';',
);
console.log(out.join('\n'));
