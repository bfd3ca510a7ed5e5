// Builds Google-format discovery documents (`discovery#restDescription`, discoveryVersion v1) from the protos
// Google's client libraries ship (tools/discovery/proto.mjs reads them): resources and methods from the services'
// `google.api.http` rules, schemas from the messages the methods take and return, descriptions from the comments.
// Two layouts, as Google serves them:
// - `compute`: Compute's protos were converted from its discovery document (one service per collection, request
//   fields named after the discovery parameters, string fields whose comment names their enum); its methods are
//   `<collection>.<rpc>` with paths relative to `compute/v1/`.
// - `onePlatform` (container): resources nest by the collections of each binding's path
//   (`projects.locations.clusters`), methods take `{+name}` and have a `flatPath`.
// Pure: a proto model in, a plain object out.
import { jsonName, resolveType } from './proto.mjs';

const HTTP_VERBS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * The HTTP bindings of an rpc: its `google.api.http` rule and the rule's `additional_bindings`, in order.
 * @returns {{ httpMethod: string, template: string, body?: string }[]}
 */
export function httpBindings(options) {
  const rule = options?.['(google.api.http)'];
  if (!rule || typeof rule !== 'object') return [];
  const one = (r) => {
    const verb = HTTP_VERBS.find((v) => typeof r[v] === 'string');
    if (!verb) return [];
    return [{ httpMethod: verb.toUpperCase(), template: r[verb], ...(r.body ? { body: r.body } : {}) }];
  };
  const extra = rule.additional_bindings;
  return [...one(rule), ...(extra ? (Array.isArray(extra) ? extra : [extra]).flatMap(one) : [])];
}

/**
 * A path template's segments: literals, variables (`{name=projects/*\/locations/*}` keeps its pattern) and the
 * custom verb after `:`.
 * @returns {{ segments: ({ literal: string } | { variable: string, pattern?: string })[], verb?: string }}
 */
export function parseTemplate(template) {
  const segments = [];
  let rest = template.replace(/^\//, '');
  let verb;
  // a custom verb is the `:verb` after the last segment, outside any `{...}`
  const outside = rest.replace(/\{[^}]*\}/g, (m) => 'x'.repeat(m.length));
  const colon = outside.lastIndexOf(':');
  if (colon >= 0 && colon > outside.lastIndexOf('/')) {
    verb = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const re = /\{([^}=]+)(?:=([^}]*))?\}|([^/]+)/g;
  let match;
  while ((match = re.exec(rest))) {
    if (match[1]) segments.push({ variable: match[1], ...(match[2] ? { pattern: match[2] } : {}) });
    else segments.push({ literal: match[3] });
  }
  return { segments, ...(verb ? { verb } : {}) };
}

/** `projects/*\/locations/*` → `^projects/[^/]+/locations/[^/]+$` (what Google puts in `pattern`). */
export function patternRegex(pattern) {
  const parts = pattern.split('/').map((part) => (part === '*' ? '[^/]+' : part === '**' ? '.*' : part));
  return `^${parts.join('/')}$`;
}

/** `projects/*\/locations/*` → `projects/{projectsId}/locations/{locationsId}` (a flatPath's pieces). */
export function flatPattern(pattern) {
  const parts = pattern.split('/');
  return parts.map((part, i) => (part === '*' || part === '**' ? `{${parts[i - 1]}Id}` : part)).join('/');
}

const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Where a one-platform binding lives and what it is called: the collections of its path (`projects.locations.
 * clusters`) and the method: a custom verb (`:setSize`), else what the path's end means for the HTTP method
 * (`get`, `list`, `create`, `update`, `patch`, `delete`), else the trailing literal (`.../nodePools/{id}/setSize`
 * → `setSize`; a GET of `.../serverconfig` → `getServerconfig`). `rpcName` decides whether a trailing collection
 * is listed or created.
 * @returns {{ resources: string[], method: string }}
 */
export function onePlatformName(binding, rpcName) {
  const { segments, verb } = parseTemplate(binding.template);
  const expanded = [];
  for (const segment of segments) {
    if ('literal' in segment) expanded.push({ literal: segment.literal });
    else if (segment.pattern) {
      for (const part of segment.pattern.split('/'))
        expanded.push(part === '*' || part === '**' ? { variable: true } : { literal: part });
    } else expanded.push({ variable: true });
  }
  // the version prefix (`v1`) is no resource
  if (expanded[0] && 'literal' in expanded[0] && /^v\d/.test(expanded[0].literal)) expanded.shift();
  const resources = [];
  let i = 0;
  while (i < expanded.length && 'literal' in expanded[i] && expanded[i + 1]?.variable) {
    resources.push(expanded[i].literal);
    i += 2;
  }
  const trailing = expanded.slice(i).map((s) => s.literal);
  const clean = (s) => s.replace(/^\.+/, '');
  if (trailing.length === 0) {
    if (verb) return { resources, method: verb };
    const standard = { GET: 'get', DELETE: 'delete', PUT: 'update', PATCH: 'patch', POST: 'create' };
    return { resources, method: standard[binding.httpMethod] ?? lowerFirst(rpcName) };
  }
  const last = clean(trailing[trailing.length - 1]);
  resources.push(...trailing.slice(0, -1).map(clean));
  if (verb) return { resources: [...resources, last], method: verb };
  if (/^List/.test(rpcName) && binding.httpMethod === 'GET')
    return { resources: [...resources, last], method: 'list' };
  if (/^Create/.test(rpcName) && binding.httpMethod === 'POST')
    return { resources: [...resources, last], method: 'create' };
  return { resources, method: binding.httpMethod === 'GET' ? `get${upperFirst(last)}` : last };
}

/** Discovery's type for a proto scalar (64-bit integers travel as strings, as in proto3 JSON). */
export const SCALAR_TYPES = {
  double: { type: 'number', format: 'double' },
  float: { type: 'number', format: 'float' },
  int32: { type: 'integer', format: 'int32' },
  sint32: { type: 'integer', format: 'int32' },
  sfixed32: { type: 'integer', format: 'int32' },
  uint32: { type: 'integer', format: 'uint32' },
  fixed32: { type: 'integer', format: 'uint32' },
  int64: { type: 'string', format: 'int64' },
  sint64: { type: 'string', format: 'int64' },
  sfixed64: { type: 'string', format: 'int64' },
  uint64: { type: 'string', format: 'uint64' },
  fixed64: { type: 'string', format: 'uint64' },
  bool: { type: 'boolean' },
  string: { type: 'string' },
  bytes: { type: 'string', format: 'byte' },
};

/** Well-known types Google renders inline rather than as schemas. */
export const WELL_KNOWN_TYPES = {
  'google.protobuf.Timestamp': { type: 'string', format: 'google-datetime' },
  'google.protobuf.Duration': { type: 'string', format: 'google-duration' },
  'google.protobuf.FieldMask': { type: 'string', format: 'google-fieldmask' },
  'google.protobuf.BoolValue': { type: 'boolean' },
  'google.protobuf.StringValue': { type: 'string' },
  'google.protobuf.BytesValue': { type: 'string', format: 'byte' },
  'google.protobuf.Int32Value': { type: 'integer', format: 'int32' },
  'google.protobuf.UInt32Value': { type: 'integer', format: 'uint32' },
  'google.protobuf.Int64Value': { type: 'string', format: 'int64' },
  'google.protobuf.UInt64Value': { type: 'string', format: 'uint64' },
  'google.protobuf.DoubleValue': { type: 'number', format: 'double' },
  'google.protobuf.FloatValue': { type: 'number', format: 'float' },
  'google.protobuf.Value': { type: 'any' },
  'google.protobuf.ListValue': { type: 'array', items: { type: 'any' } },
  'google.protobuf.Struct': { type: 'object', additionalProperties: { type: 'any' } },
  'google.protobuf.Any': {
    type: 'object',
    additionalProperties: {
      type: 'any',
      description: 'Properties of the object. Contains field @type with type URL.',
    },
  },
};

/** A comment as a description: trimmed, blank lines kept as paragraph breaks. */
export function describe(comment) {
  return (comment ?? '')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** Compute's protos keep the enum of a string field in its comment: "Check the Status enum for the list…". */
function commentEnum(model, field, scope) {
  const match = /Check the (\w+) enum for the list of possible values\./.exec(field.comment);
  if (!match) return undefined;
  const name = resolveType(model, match[1], scope);
  return name && model.enums.has(name) ? model.enums.get(name) : undefined;
}

/** An enum's values as discovery lists them; Compute's converter added an `UNDEFINED_*` zero that is no value. */
function enumSchema(en, { dropUndefined }) {
  const values = en.values.filter((v) => !(dropUndefined && v.number === 0 && /^UNDEFINED_/.test(v.name)));
  return {
    type: 'string',
    enum: values.map((v) => v.name),
    enumDescriptions: values.map((v) => describe(v.comment)),
  };
}

/**
 * The schema of one field's value (not yet repeated or mapped): a scalar's type, an enum inline, a message by
 * `$ref` (recorded in `refs` for the schema set).
 */
export function valueSchema(model, type, scope, field, ctx) {
  if (Object.hasOwn(SCALAR_TYPES, type)) {
    const en = type === 'string' && field && ctx.commentEnums ? commentEnum(model, field, scope) : undefined;
    return en ? enumSchema(en, { dropUndefined: true }) : { ...SCALAR_TYPES[type] };
  }
  const full = resolveType(model, type, scope) ?? type.replace(/^\./, '');
  if (Object.hasOwn(WELL_KNOWN_TYPES, full)) return JSON.parse(JSON.stringify(WELL_KNOWN_TYPES[full]));
  if (model.enums.has(full)) return enumSchema(model.enums.get(full), { dropUndefined: ctx.commentEnums });
  if (model.messages.has(full)) {
    ctx.refs.add(full);
    return { $ref: ctx.schemaName(full) };
  }
  throw new Error(`unknown type ${type} in ${scope}`);
}

/** A field as a schema property: its value, repeated as an array, a map as an object; documentation flags. */
export function fieldSchema(model, field, scope, ctx) {
  const value = valueSchema(model, field.type, scope, field, ctx);
  let schema;
  if (field.label === 'repeated') schema = { type: 'array', items: value };
  else if (field.label === 'map') schema = { type: 'object', additionalProperties: value };
  else schema = value;
  const description = describe(field.comment);
  const behaviors = [field.options['(google.api.field_behavior)']].flat();
  return {
    ...(description ? { description } : {}),
    ...schema,
    ...(behaviors.includes('OUTPUT_ONLY') ? { readOnly: true } : {}),
    ...(field.options.deprecated === true ? { deprecated: true } : {}),
  };
}

/** A message as a schema (`type: object`, its fields by JSON name). */
export function messageSchema(model, message, ctx) {
  const properties = {};
  for (const field of message.fields)
    properties[jsonName(field)] = fieldSchema(model, field, message.fullName, ctx);
  const description = describe(message.comment);
  return {
    id: ctx.schemaName(message.fullName),
    ...(description ? { description } : {}),
    type: 'object',
    properties,
  };
}

/**
 * A method parameter from a request field: scalars and enums only (messages and maps travel in bodies); a repeated
 * one is `repeated`, not an array.
 */
export function parameterOf(model, field, scope, location, ctx) {
  if (field.label === 'map') return undefined;
  const full = resolveType(model, field.type, scope);
  if (full && model.messages.has(full) && !Object.hasOwn(WELL_KNOWN_TYPES, full)) return undefined;
  const value = valueSchema(model, field.type, scope, field, ctx);
  if (value.$ref || ['object', 'array', 'any'].includes(value.type)) return undefined;
  const description = describe(field.comment);
  return {
    ...(description ? { description } : {}),
    ...value,
    ...(field.label === 'repeated' ? { repeated: true } : {}),
    location,
    ...(location === 'path' ? { required: true } : {}),
    ...(field.options.deprecated === true ? { deprecated: true } : {}),
  };
}

/** Names of the JSON form of request fields a template binds (`{project_id}` → project_id, `{name=…}` → name). */
function boundFields(template) {
  return parseTemplate(template)
    .segments.filter((s) => 'variable' in s)
    .map((s) => s.variable);
}

function fieldByName(message, name) {
  return message.fields.find((f) => f.name === name);
}

/** Sorted object keys, recursively (stable output whatever the protos' declaration order). */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  return value;
}

const COMPUTE_STYLE_PARAMETERS = {
  alt: {
    type: 'string',
    description: 'Data format for the response.',
    default: 'json',
    enum: ['json'],
    enumDescriptions: ['Responses with Content-Type of application/json'],
    location: 'query',
  },
  fields: {
    type: 'string',
    description: 'Selector specifying which fields to include in a partial response.',
    location: 'query',
  },
  key: {
    type: 'string',
    description:
      'API key. Your API key identifies your project and provides you with API access, quota, and reports. Required unless you provide an OAuth 2.0 token.',
    location: 'query',
  },
  oauth_token: { type: 'string', description: 'OAuth 2.0 token for the current user.', location: 'query' },
  prettyPrint: {
    type: 'boolean',
    description: 'Returns response with indentations and line breaks.',
    default: 'true',
    location: 'query',
  },
  quotaUser: {
    type: 'string',
    description: 'An opaque string that represents a user for quota purposes. Must not exceed 40 characters.',
    location: 'query',
  },
  userIp: {
    type: 'string',
    description: 'Deprecated. Please use quotaUser instead.',
    location: 'query',
  },
};

const ONE_PLATFORM_PARAMETERS = {
  '$.xgafv': {
    type: 'string',
    description: 'V1 error format.',
    enum: ['1', '2'],
    enumDescriptions: ['v1 error format', 'v2 error format'],
    location: 'query',
  },
  access_token: { type: 'string', description: 'OAuth access token.', location: 'query' },
  alt: {
    type: 'string',
    description: 'Data format for response.',
    default: 'json',
    enum: ['json', 'media', 'proto'],
    enumDescriptions: [
      'Responses with Content-Type of application/json',
      'Media download with context-dependent Content-Type',
      'Responses with Content-Type of application/x-protobuf',
    ],
    location: 'query',
  },
  callback: { type: 'string', description: 'JSONP', location: 'query' },
  fields: COMPUTE_STYLE_PARAMETERS.fields,
  key: COMPUTE_STYLE_PARAMETERS.key,
  oauth_token: COMPUTE_STYLE_PARAMETERS.oauth_token,
  prettyPrint: COMPUTE_STYLE_PARAMETERS.prettyPrint,
  quotaUser: {
    type: 'string',
    description:
      'Available to use for quota purposes for server-side applications. Can be any arbitrary string assigned to a user, but should not exceed 40 characters.',
    location: 'query',
  },
  upload_protocol: {
    type: 'string',
    description: 'Upload protocol for media (e.g. "raw", "multipart").',
    location: 'query',
  },
  uploadType: {
    type: 'string',
    description: 'Legacy upload protocol for media (e.g. "media", "multipart").',
    location: 'query',
  },
};

/**
 * The discovery document of one API.
 * @param {import('./proto.mjs').ProtoModel} model
 * @param {{ name: string, version: string, title: string, description: string, documentationLink: string,
 *   layout: 'compute' | 'onePlatform', packageName: string, host: string, servicePath: string,
 *   batchPath: string, revision: string, services?: string[] }} api
 */
export function buildDiscovery(model, api) {
  const compute = api.layout === 'compute';
  const names = new Map(); // full name → schema id
  const taken = new Map(); // schema id → full name
  const schemaName = (full) => {
    if (names.has(full)) return names.get(full);
    // Nested messages are named by their own name, as Google names them; a clash keeps the parent's name too.
    const parts = full.slice(api.packageName.length + 1).split('.');
    let name = parts[parts.length - 1];
    if (!full.startsWith(`${api.packageName}.`)) name = full.split('.').pop();
    for (let i = parts.length - 2; taken.has(name) && taken.get(name) !== full && i >= 0; i--)
      name = parts.slice(i).join('');
    names.set(full, name);
    taken.set(name, full);
    return name;
  };
  const ctx = { refs: new Set(), schemaName, commentEnums: compute };

  const services = [...model.services.values()].filter(
    (s) => s.fullName.startsWith(`${api.packageName}.`) && (!api.services || api.services.includes(s.name)),
  );
  const resources = {};
  const resourceAt = (path) => {
    let node = { resources };
    for (const name of path) {
      node.resources ??= {};
      node = node.resources[name] ??= {};
    }
    return node;
  };
  const scopes = new Set();

  for (const service of services) {
    const serviceScopes = String(service.options['(google.api.oauth_scopes)'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    serviceScopes.forEach((s) => scopes.add(s));
    for (const rpc of service.rpcs) {
      const requestName = resolveType(model, rpc.requestType, service.fullName);
      const responseName = resolveType(model, rpc.responseType, service.fullName);
      const request = model.messages.get(requestName);
      if (!request) throw new Error(`unknown request ${rpc.requestType} of ${service.name}.${rpc.name}`);
      const bindings = httpBindings(rpc.options);
      bindings.forEach((binding, index) => {
        let resourcePath;
        let methodName;
        if (compute) {
          if (index > 0) return;
          resourcePath = [lowerFirst(service.name)];
          methodName = lowerFirst(rpc.name);
        } else {
          const named = onePlatformName(binding, rpc.name);
          resourcePath = named.resources;
          methodName = named.method;
        }
        const method = buildMethod(model, api, ctx, {
          rpc,
          binding,
          request,
          responseName,
          id: `${api.name}.${[...resourcePath, methodName].join('.')}`,
          scopes: serviceScopes,
        });
        const node = resourceAt(resourcePath);
        node.methods ??= {};
        if (node.methods[methodName]) throw new Error(`two methods named ${method.id}`);
        node.methods[methodName] = method;
      });
    }
  }

  // schemas: everything reachable from the methods' requests and responses
  const schemas = {};
  const done = new Set();
  while (ctx.refs.size > done.size) {
    for (const full of [...ctx.refs]) {
      if (done.has(full)) continue;
      done.add(full);
      const message = model.messages.get(full);
      schemas[schemaName(full)] = messageSchema(model, message, ctx);
    }
  }

  const rootUrl = `https://${api.host}/`;
  return sortKeys({
    kind: 'discovery#restDescription',
    discoveryVersion: 'v1',
    id: `${api.name}:${api.version}`,
    name: api.name,
    version: api.version,
    revision: api.revision,
    title: api.title,
    description: api.description,
    ownerDomain: 'google.com',
    ownerName: 'Google',
    icons: {
      x16: 'https://www.gstatic.com/images/branding/product/1x/googleg_16dp.png',
      x32: 'https://www.gstatic.com/images/branding/product/1x/googleg_32dp.png',
    },
    documentationLink: api.documentationLink,
    protocol: 'rest',
    rootUrl,
    mtlsRootUrl: rootUrl,
    servicePath: api.servicePath,
    basePath: `/${api.servicePath}`,
    baseUrl: `${rootUrl}${api.servicePath}`,
    batchPath: api.batchPath,
    parameters: compute ? COMPUTE_STYLE_PARAMETERS : ONE_PLATFORM_PARAMETERS,
    auth: {
      oauth2: {
        scopes: Object.fromEntries([...scopes].sort().map((s) => [s, { description: scopeDescription(s) }])),
      },
    },
    schemas,
    resources,
  });
}

/** What a scope's URL says it grants (Google's own wording is not in the protos). */
function scopeDescription(scope) {
  const name = scope.replace('https://www.googleapis.com/auth/', '');
  return /read[-_.]?only/.test(name)
    ? `View your data (${name})`
    : `See, edit, configure and delete your data (${name})`;
}

function buildMethod(model, api, ctx, { rpc, binding, request, responseName, id, scopes }) {
  const compute = api.layout === 'compute';
  const bound = boundFields(binding.template);
  const parameters = {};
  const order = [];
  const { segments, verb } = parseTemplate(binding.template);
  // the path: relative to the service path; simple variables renamed to their JSON names, `{name=…}` as `{+name}`
  const pathParts = [];
  const flatParts = [];
  for (const segment of segments) {
    if ('literal' in segment) {
      pathParts.push(segment.literal);
      flatParts.push(segment.literal);
      continue;
    }
    const field = fieldByName(request, segment.variable.split('.')[0]);
    if (!field) throw new Error(`${id}: the path binds ${segment.variable}, no field of ${request.name}`);
    const name = jsonName(field);
    const parameter = parameterOf(model, field, request.fullName, 'path', ctx);
    if (segment.pattern) {
      pathParts.push(`{+${name}}`);
      flatParts.push(flatPattern(segment.pattern));
      parameter.pattern = patternRegex(segment.pattern);
    } else {
      pathParts.push(`{${name}}`);
      flatParts.push(`{${name}}`);
    }
    parameters[name] = parameter;
    order.push(name);
  }
  let path = pathParts.join('/') + (verb ? `:${verb}` : '');
  let flatPath = flatParts.join('/') + (verb ? `:${verb}` : '');
  const prefix = api.servicePath;
  if (prefix && path.startsWith(prefix)) {
    path = path.slice(prefix.length);
    flatPath = flatPath.slice(prefix.length);
  }
  // query parameters: the request's other scalar fields, unless the whole request is the body
  let requestRef;
  if (binding.body && binding.body !== '*') {
    const bodyField = fieldByName(request, binding.body);
    if (!bodyField) throw new Error(`${id}: body ${binding.body} is no field of ${request.name}`);
    requestRef = valueSchema(model, bodyField.type, request.fullName, bodyField, ctx).$ref;
  } else if (binding.body === '*') {
    requestRef = valueSchema(model, request.name, request.fullName, undefined, ctx).$ref;
  }
  if (binding.body !== '*') {
    for (const field of request.fields) {
      if (bound.includes(field.name) || field.name === binding.body) continue;
      const parameter = parameterOf(model, field, request.fullName, 'query', ctx);
      if (!parameter) continue;
      const behaviors = [field.options['(google.api.field_behavior)']].flat();
      if (behaviors.includes('REQUIRED') && compute) {
        parameter.required = true;
        order.push(jsonName(field));
      }
      parameters[jsonName(field)] = parameter;
    }
  }
  // Compute's converter gave the methods that answer no body (operations' delete, sendDiagnosticInterrupt …) an
  // empty `*Response` message; Google's document has no `response` for them (a client then reads no JSON).
  const responseMessage = model.messages.get(responseName);
  const noBody = compute && responseMessage?.fields.length === 0;
  const response =
    responseMessage && !noBody
      ? valueSchema(model, responseName, responseName, undefined, ctx).$ref
      : undefined;
  const description = describe(rpc.comment);
  return {
    id,
    path,
    ...(compute ? {} : { flatPath }),
    httpMethod: binding.httpMethod,
    ...(description ? { description } : {}),
    parameters,
    parameterOrder: order,
    ...(requestRef ? { request: { $ref: requestRef } } : {}),
    ...(response ? { response: { $ref: response } } : {}),
    scopes,
  };
}
