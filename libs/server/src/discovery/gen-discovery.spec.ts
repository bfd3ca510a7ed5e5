import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * tools/gen-discovery.mjs and its pure parts (tools/discovery/*.mjs, plain JavaScript run by node): the proto
 * reader, proto http rules → discovery methods, proto types → schema types; and the committed documents are what a
 * regeneration from the installed client libraries gives.
 */

type Json = Record<string, unknown>;
interface ProtoModel {
  messages: Map<string, { name: string; fields: Field[]; comment: string }>;
  enums: Map<string, { values: { name: string; number: number; comment: string }[] }>;
  services: Map<string, { rpcs: { name: string; comment: string; options: Json }[]; options: Json }>;
}
interface Field {
  name: string;
  type: string;
  label: string;
  keyType?: string;
  comment: string;
  options: Json;
  oneof?: string;
}
interface ProtoTools {
  tokenize(text: string): { kind: string; value: string; comment: string }[];
  parseProto(text: string): ProtoModel;
  resolveType(model: ProtoModel, type: string, scope: string): string | undefined;
  jsonName(field: Pick<Field, 'name' | 'options'>): string;
}
interface Binding {
  httpMethod: string;
  template: string;
  body?: string;
}
interface DiscoveryTools {
  httpBindings(options: Json): Binding[];
  parseTemplate(template: string): { segments: Json[]; verb?: string };
  patternRegex(pattern: string): string;
  flatPattern(pattern: string): string;
  onePlatformName(binding: Binding, rpcName: string): { resources: string[]; method: string };
  fieldSchema(model: ProtoModel, field: Field, scope: string, ctx: Json): Json;
  buildDiscovery(model: ProtoModel, api: Json): Json & { resources: Json; schemas: Record<string, Json> };
}

const root = join(__dirname, '../../../..');
const load = async <T>(path: string) => (await import(pathToFileURL(join(root, path)).href)) as T;
let proto: ProtoTools;
let discovery: DiscoveryTools;
beforeAll(async () => {
  proto = await load<ProtoTools>('tools/discovery/proto.mjs');
  discovery = await load<DiscoveryTools>('tools/discovery/discovery.mjs');
});

const SAMPLE = `
syntax = "proto3";
package demo.v1;
import "google/api/annotations.proto";

// Detached: a blank line follows.

// A thing.
//
// With a second paragraph.
message Thing {
  // The thing's state.
  enum State {
    // Not set.
    STATE_UNSPECIFIED = 0;
    // Up.
    UP = 1;
  }
  message Inner { int32 depth = 1; }
  // The id.
  int64 id = 1 [(google.api.field_behavior) = OUTPUT_ONLY];
  uint32 size = 2;
  repeated string tags = 3;
  map<string, string> labels = 4;
  State state = 5;
  Inner inner = 6 [deprecated = true];
  repeated Inner inners = 7;
  oneof choice { string a = 8; bool b = 9; }
  string I_p_protocol = 10;
  string odd = 11 [json_name = "odd_name"];
  double ratio = 12;
  bytes data = 13;
}
`;

describe('the proto reader', () => {
  it('keeps the comment block right above a declaration, and drops one a blank line detaches', () => {
    const tokens = proto.tokenize('// one\n// two\nmessage A {}\n// gone\n\nmessage B {}');
    expect(tokens.find((t) => t.value === 'message')?.comment).toBe('one\ntwo');
    expect(tokens.filter((t) => t.value === 'message')[1]?.comment).toBe('');
  });

  it('reads messages, nested enums and messages, oneofs, maps and field options', () => {
    const model = proto.parseProto(SAMPLE);
    const thing = model.messages.get('demo.v1.Thing');
    expect(thing?.comment).toBe('A thing.\n\nWith a second paragraph.');
    expect(model.messages.has('demo.v1.Thing.Inner')).toBe(true);
    expect(model.enums.get('demo.v1.Thing.State')?.values).toEqual([
      { name: 'STATE_UNSPECIFIED', number: 0, comment: 'Not set.', options: {} },
      { name: 'UP', number: 1, comment: 'Up.', options: {} },
    ]);
    const fields = Object.fromEntries((thing?.fields ?? []).map((f) => [f.name, f]));
    expect(fields['id']).toMatchObject({
      type: 'int64',
      comment: 'The id.',
      options: { '(google.api.field_behavior)': 'OUTPUT_ONLY' },
    });
    expect(fields['labels']).toMatchObject({ label: 'map', keyType: 'string', type: 'string' });
    expect(fields['a']).toMatchObject({ oneof: 'choice' });
    expect(fields['inner']?.options).toEqual({ deprecated: true });
  });

  it('reads services, rpcs and aggregate options with additional bindings', () => {
    const model = proto.parseProto(`
      package demo.v1;
      service Things {
        option (google.api.oauth_scopes) = "https://a," "https://b";
        // Gets one.
        rpc GetThing(GetThingRequest) returns (Thing) {
          option (google.api.http) = {
            get: "/v1/{name=projects/*/things/*}"
            additional_bindings { get: "/v1/projects/{project_id}/things/{thing_id}" }
          };
          option (google.api.method_signature) = "name";
        }
      }`);
    const service = model.services.get('demo.v1.Things');
    expect(service?.options['(google.api.oauth_scopes)']).toBe('https://a,https://b');
    expect(service?.rpcs[0]).toMatchObject({ name: 'GetThing', comment: 'Gets one.' });
    expect(discovery.httpBindings(service?.rpcs[0]?.options ?? {})).toEqual([
      { httpMethod: 'GET', template: '/v1/{name=projects/*/things/*}' },
      { httpMethod: 'GET', template: '/v1/projects/{project_id}/things/{thing_id}' },
    ]);
  });

  it('resolves type names from the innermost scope out, and names fields as proto3 JSON does', () => {
    const model = proto.parseProto(SAMPLE);
    expect(proto.resolveType(model, 'Inner', 'demo.v1.Thing')).toBe('demo.v1.Thing.Inner');
    expect(proto.resolveType(model, 'Thing.State', 'demo.v1')).toBe('demo.v1.Thing.State');
    expect(proto.resolveType(model, '.demo.v1.Thing', 'x')).toBe('demo.v1.Thing');
    expect(proto.resolveType(model, 'Nope', 'demo.v1.Thing')).toBeUndefined();
    expect(proto.jsonName({ name: 'self_link_with_id', options: {} })).toBe('selfLinkWithId');
    expect(proto.jsonName({ name: 'I_p_protocol', options: {} })).toBe('IPProtocol');
    expect(proto.jsonName({ name: 'I_pv4_range', options: {} })).toBe('IPv4Range');
    expect(proto.jsonName({ name: 'jwks_uri', options: { json_name: 'jwks_uri' } })).toBe('jwks_uri');
  });
});

describe('proto http rules → discovery methods', () => {
  it('splits a path template into literals, variables (with their patterns) and the custom verb', () => {
    expect(discovery.parseTemplate('/v1/{name=projects/*/locations/*/clusters/*}:setSize')).toEqual({
      segments: [{ literal: 'v1' }, { variable: 'name', pattern: 'projects/*/locations/*/clusters/*' }],
      verb: 'setSize',
    });
    expect(discovery.parseTemplate('/compute/v1/projects/{project}/global/networks/{network}')).toEqual({
      segments: [
        { literal: 'compute' },
        { literal: 'v1' },
        { literal: 'projects' },
        { variable: 'project' },
        { literal: 'global' },
        { literal: 'networks' },
        { variable: 'network' },
      ],
    });
    expect(discovery.patternRegex('projects/*/locations/*')).toBe('^projects/[^/]+/locations/[^/]+$');
    expect(discovery.flatPattern('projects/*/locations/*/clusters/*')).toBe(
      'projects/{projectsId}/locations/{locationsId}/clusters/{clustersId}',
    );
  });

  it.each([
    [
      'GET',
      '/v1/{name=projects/*/locations/*/clusters/*}',
      'GetCluster',
      'projects.locations.clusters',
      'get',
    ],
    [
      'GET',
      '/v1/{parent=projects/*/locations/*}/clusters',
      'ListClusters',
      'projects.locations.clusters',
      'list',
    ],
    [
      'POST',
      '/v1/{parent=projects/*/locations/*}/clusters',
      'CreateCluster',
      'projects.locations.clusters',
      'create',
    ],
    [
      'PUT',
      '/v1/{name=projects/*/locations/*/clusters/*}',
      'UpdateCluster',
      'projects.locations.clusters',
      'update',
    ],
    [
      'DELETE',
      '/v1/{name=projects/*/locations/*/clusters/*}',
      'DeleteCluster',
      'projects.locations.clusters',
      'delete',
    ],
    [
      'POST',
      '/v1/{name=projects/*/locations/*/clusters/*/nodePools/*}:setSize',
      'SetNodePoolSize',
      'projects.locations.clusters.nodePools',
      'setSize',
    ],
    [
      'POST',
      '/v1/projects/{project_id}/zones/{zone}/clusters/{cluster_id}/nodePools/{node_pool_id}/autoscaling',
      'SetNodePoolAutoscaling',
      'projects.zones.clusters.nodePools',
      'autoscaling',
    ],
    [
      'GET',
      '/v1/projects/{project_id}/zones/{zone}/serverconfig',
      'GetServerConfig',
      'projects.zones',
      'getServerconfig',
    ],
    [
      'GET',
      '/v1/{name=projects/*/locations/*}/serverConfig',
      'GetServerConfig',
      'projects.locations',
      'getServerConfig',
    ],
    [
      'GET',
      '/v1/{parent=projects/*}/aggregated/usableSubnetworks',
      'ListUsableSubnetworks',
      'projects.aggregated.usableSubnetworks',
      'list',
    ],
    [
      'GET',
      '/v1/{parent=projects/*/locations/*/clusters/*}/.well-known/openid-configuration',
      'GetOpenIDConfig',
      'projects.locations.clusters.well-known',
      'getOpenid-configuration',
    ],
  ])('%s %s (%s) is %s.%s', (httpMethod, template, rpc, resources, method) => {
    expect(discovery.onePlatformName({ httpMethod, template }, rpc)).toEqual({
      resources: resources.split('.'),
      method,
    });
  });
});

describe('proto types → schema types', () => {
  const schemaOf = (name: string, commentEnums = false) => {
    const model = proto.parseProto(SAMPLE);
    const field = model.messages.get('demo.v1.Thing')?.fields.find((f) => f.name === name) as Field;
    const refs = new Set<string>();
    const ctx = { refs, commentEnums, schemaName: (full: string) => full.split('.').pop() };
    return { schema: discovery.fieldSchema(model, field, 'demo.v1.Thing', ctx), refs };
  };

  it('renders scalars as discovery does (64-bit integers as strings with a format)', () => {
    expect(schemaOf('id').schema).toEqual({
      description: 'The id.',
      type: 'string',
      format: 'int64',
      readOnly: true,
    });
    expect(schemaOf('size').schema).toEqual({ type: 'integer', format: 'uint32' });
    expect(schemaOf('ratio').schema).toEqual({ type: 'number', format: 'double' });
    expect(schemaOf('data').schema).toEqual({ type: 'string', format: 'byte' });
    expect(schemaOf('b').schema).toEqual({ type: 'boolean' });
  });

  it('renders enums inline with their descriptions, repeated fields as arrays, maps as objects', () => {
    expect(schemaOf('state').schema).toEqual({
      type: 'string',
      enum: ['STATE_UNSPECIFIED', 'UP'],
      enumDescriptions: ['Not set.', 'Up.'],
    });
    expect(schemaOf('tags').schema).toEqual({ type: 'array', items: { type: 'string' } });
    expect(schemaOf('labels').schema).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  });

  it('refers to messages by $ref (recording them for the schema set) and flags deprecated fields', () => {
    const { schema, refs } = schemaOf('inner');
    expect(schema).toEqual({ $ref: 'Inner', deprecated: true });
    expect([...refs]).toEqual(['demo.v1.Thing.Inner']);
    expect(schemaOf('inners').schema).toEqual({ type: 'array', items: { $ref: 'Inner' } });
  });

  it("reads Compute's enums from the comment its converter leaves on the string field, without UNDEFINED_*", () => {
    const model = proto.parseProto(`
      package c.v1;
      message Op {
        enum Status {
          // A value indicating that the enum field is not set.
          UNDEFINED_STATUS = 0;
          DONE = 2104194;
          // Waiting.
          PENDING = 35394935;
        }
        // The status.
        // Check the Status enum for the list of possible values.
        optional string status = 1;
      }`);
    const field = model.messages.get('c.v1.Op')?.fields[0] as Field;
    const ctx = { refs: new Set(), commentEnums: true, schemaName: (full: string) => full };
    expect(discovery.fieldSchema(model, field, 'c.v1.Op', ctx)).toEqual({
      description: 'The status.\nCheck the Status enum for the list of possible values.',
      type: 'string',
      enum: ['DONE', 'PENDING'],
      enumDescriptions: ['', 'Waiting.'],
    });
  });
});

describe('a whole document from a small API', () => {
  const API = `
    package demo.v1;
    import "google/protobuf/timestamp.proto";
    service Widgets {
      option (google.api.oauth_scopes) = "https://www.googleapis.com/auth/cloud-platform";
      // Creates a widget.
      rpc Insert(InsertWidgetRequest) returns (Operation) {
        option (google.api.http) = {
          body: "widget_resource"
          post: "/demo/v1/projects/{project}/zones/{zone}/widgets"
        };
      }
      rpc List(ListWidgetsRequest) returns (WidgetList) {
        option (google.api.http) = { get: "/demo/v1/projects/{project}/zones/{zone}/widgets" };
      }
      rpc Delete(DeleteWidgetRequest) returns (DeleteWidgetResponse) {
        option (google.api.http) = { delete: "/demo/v1/projects/{project}/zones/{zone}/widgets/{widget}" };
      }
    }
    message DeleteWidgetRequest { string project = 1; string zone = 2; string widget = 3; }
    message DeleteWidgetResponse {}
    message InsertWidgetRequest {
      string project = 1 [(google.api.field_behavior) = REQUIRED];
      string zone = 2 [(google.api.field_behavior) = REQUIRED];
      Widget widget_resource = 3 [(google.api.field_behavior) = REQUIRED];
      optional string request_id = 4;
    }
    message ListWidgetsRequest {
      string project = 1 [(google.api.field_behavior) = REQUIRED];
      string zone = 2 [(google.api.field_behavior) = REQUIRED];
      optional uint32 max_results = 3;
      optional Widget not_a_parameter = 4;
    }
    message Widget { optional string name = 1; optional Part part = 2; }
    message Part { optional string kind = 1; }
    message WidgetList { repeated Widget items = 1; optional string next_page_token = 2; }
    message Operation { optional string status = 1; }
    message Unused { optional string x = 1; }
  `;

  it('lays out a Compute-style API: one resource per service, paths under the service path', () => {
    const doc = discovery.buildDiscovery(proto.parseProto(API), {
      name: 'demo',
      version: 'v1',
      layout: 'compute',
      packageName: 'demo.v1',
      host: 'demo.googleapis.com',
      servicePath: 'demo/v1/',
      batchPath: 'batch/demo/v1',
    });
    expect(doc).toMatchObject({
      kind: 'discovery#restDescription',
      id: 'demo:v1',
      rootUrl: 'https://demo.googleapis.com/',
      baseUrl: 'https://demo.googleapis.com/demo/v1/',
      auth: { oauth2: { scopes: { 'https://www.googleapis.com/auth/cloud-platform': {} } } },
    });
    const widgets = (doc.resources as Json)['widgets'] as { methods: Record<string, Json> };
    expect(widgets.methods['insert']).toEqual({
      id: 'demo.widgets.insert',
      description: 'Creates a widget.',
      httpMethod: 'POST',
      path: 'projects/{project}/zones/{zone}/widgets',
      parameterOrder: ['project', 'zone'],
      parameters: {
        project: { type: 'string', location: 'path', required: true },
        zone: { type: 'string', location: 'path', required: true },
        requestId: { type: 'string', location: 'query' },
      },
      request: { $ref: 'Widget' },
      response: { $ref: 'Operation' },
      scopes: ['https://www.googleapis.com/auth/cloud-platform'],
    });
    expect(widgets.methods['list']?.['parameters']).toEqual({
      project: { type: 'string', location: 'path', required: true },
      zone: { type: 'string', location: 'path', required: true },
      maxResults: { type: 'integer', format: 'uint32', location: 'query' },
    });
    // an empty response message is no body
    expect(widgets.methods['delete']).toMatchObject({
      id: 'demo.widgets.delete',
      httpMethod: 'DELETE',
      path: 'projects/{project}/zones/{zone}/widgets/{widget}',
      parameterOrder: ['project', 'zone', 'widget'],
    });
    expect(widgets.methods['delete']).not.toHaveProperty('response');
    // what the methods reach, and nothing else
    expect(Object.keys(doc.schemas).sort()).toEqual(['Operation', 'Part', 'Widget', 'WidgetList']);
    expect(doc.schemas['Widget']).toEqual({
      id: 'Widget',
      type: 'object',
      properties: { name: { type: 'string' }, part: { $ref: 'Part' } },
    });
  });
});

describe('the committed documents', () => {
  it('are what tools/gen-discovery.mjs generates from the installed client libraries (run it after an update)', async () => {
    const generator = await load<{ generate(): { file: string; text: string }[]; OUTPUT_DIR: string }>(
      'tools/gen-discovery.mjs',
    );
    const generated = generator.generate();
    expect(generated.map((g) => g.file)).toEqual(['compute.v1.json.gz', 'container.v1.json.gz']);
    for (const { file, text } of generated) {
      const committed = gunzipSync(readFileSync(join(generator.OUTPUT_DIR, file))).toString('utf8');
      // compared as text: a difference names the document, not a 3 MB diff
      expect(
        committed === text,
        `${file} differs from a regeneration: run node tools/gen-discovery.mjs`,
      ).toBe(true);
    }
  });
});

describe("Compute's method names by scope", () => {
  it('are what tools/gen-compute-method-names.mjs reads from the generated Compute document', async () => {
    const names = await load<{
      methodResources(document: Json): Map<string, string>;
      render(table: Map<string, string>): string;
      OUTPUT: string;
    }>('tools/gen-compute-method-names.mjs');
    const generator = await load<{ generate(): { file: string; text: string }[] }>('tools/gen-discovery.mjs');
    const table = names.methodResources(JSON.parse(generator.generate()[0]?.text ?? '{}') as Json);
    expect(table.get('zones/operations')).toBe('zoneOperations');
    expect(table.get('regions/backendServices')).toBe('regionBackendServices');
    expect(table.get('global/addresses')).toBe('globalAddresses');
    // a sub-collection (resize requests of a manager) does not rename its parent's methods
    expect(table.get('zones/instanceGroupManagers')).toBeUndefined();
    expect(
      readFileSync(names.OUTPUT, 'utf8') === names.render(table),
      'method-names.generated.ts differs from a regeneration: run node tools/gen-compute-method-names.mjs',
    ).toBe(true);
  });
});
