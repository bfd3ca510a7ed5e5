import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

const base = (project: string) => `/compute/v1/projects/${project}`;

interface GraphqlError {
  message: string;
  path?: string[];
  extensions?: { code?: string; httpStatus?: number };
}
interface GraphqlResponse {
  data: Record<string, unknown> | null;
  errors?: GraphqlError[];
}

/** One GraphQL request; GraphQL answers 200 even for errors, which come back in `errors`. */
async function graphql(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponse> {
  const res = await request(app.url).post('/graphql').send({ query, variables });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as GraphqlResponse;
}

/** A GraphQL request that must succeed: returns `data` (untyped, like supertest's `body`: the assertions check it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function ok<T = Record<string, any>>(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const body = await graphql(query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as T;
}

/** A GraphQL request that must fail with exactly one error: returns it. */
async function fails(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlError> {
  const body = await graphql(query, variables);
  expect(body.errors, JSON.stringify(body.data)).toHaveLength(1);
  return (body.errors as GraphqlError[])[0] as GraphqlError;
}

const OPERATION =
  'name operationType status progress targetLink region httpErrorStatusCode errors { code message }';

const CREATE_NETWORK = `mutation ($project: String!, $input: NetworkInput!) { createNetwork(project: $project, input: $input) { ${OPERATION} } }`;
const CREATE_SUBNETWORK = `mutation ($project: String!, $region: String!, $input: SubnetworkInput!) {
  createSubnetwork(project: $project, region: $region, input: $input) { ${OPERATION} }
}`;
const SUBNETWORK = `query ($project: String!, $region: String!, $name: String!) {
  subnetwork(project: $project, region: $region, name: $name) {
    name region network ipCidrRange gatewayAddress fingerprint privateIpGoogleAccess description
    secondaryIpRanges { rangeName ipCidrRange }
  }
}`;
const PATCH_SUBNETWORK = `mutation ($project: String!, $region: String!, $name: String!, $input: SubnetworkPatchInput!) {
  patchSubnetwork(project: $project, region: $region, name: $name, input: $input) { ${OPERATION} }
}`;
const EXPAND = `mutation ($project: String!, $region: String!, $name: String!, $range: String!) {
  expandSubnetworkIpCidrRange(project: $project, region: $region, name: $name, ipCidrRange: $range) { ${OPERATION} }
}`;

/** A custom mode network `vpc` with subnetwork `s1` (10.0.0.0/24, one secondary range) in us-central1. */
async function networkWithSubnetwork(project: string) {
  await ok(CREATE_NETWORK, { project, input: { name: 'vpc', autoCreateSubnetworks: false } });
  await ok(CREATE_SUBNETWORK, {
    project,
    region: 'us-central1',
    input: {
      name: 's1',
      network: 'vpc',
      ipCidrRange: '10.0.0.0/24',
      secondaryIpRanges: [{ rangeName: 'pods', ipCidrRange: '10.4.0.0/16' }],
    },
  });
}

describe('GraphQL', () => {
  it('creates a network and a subnetwork with secondary ranges, and queries them back through the network', async () => {
    const project = testProject();
    const created = await ok(CREATE_NETWORK, {
      project,
      input: {
        name: 'vpc',
        autoCreateSubnetworks: false,
        description: 'made by GraphQL',
        routingMode: 'GLOBAL',
        mtu: 1500,
      },
    });
    expect(created.createNetwork).toMatchObject({
      operationType: 'insert',
      status: 'DONE',
      progress: 100,
      targetLink: `${app.url}/compute/v1/projects/${project}/global/networks/vpc`,
      region: null,
      httpErrorStatusCode: null,
      errors: null,
    });
    const subnet = await ok(CREATE_SUBNETWORK, {
      project,
      region: 'us-central1',
      input: {
        name: 's1',
        network: 'vpc',
        ipCidrRange: '10.0.0.0/24',
        privateIpGoogleAccess: true,
        secondaryIpRanges: [
          { rangeName: 'pods', ipCidrRange: '10.4.0.0/16' },
          { rangeName: 'services', ipCidrRange: '10.8.0.0/20' },
        ],
      },
    });
    expect(subnet.createSubnetwork).toMatchObject({
      operationType: 'insert',
      status: 'DONE',
      region: 'us-central1',
      targetLink: `${app.url}/compute/v1/projects/${project}/regions/us-central1/subnetworks/s1`,
    });

    const read = await ok(
      `query ($project: String!) {
        network(project: $project, name: "vpc") {
          id name description autoCreateSubnetworks mtu routingMode selfLink creationTimestamp
          subnetworks { name region network ipCidrRange gatewayAddress privateIpGoogleAccess purpose stackType selfLink
            secondaryIpRanges { rangeName ipCidrRange } }
        }
        networks(project: $project) { name }
      }`,
      { project },
    );
    expect(read.network).toMatchObject({
      name: 'vpc',
      description: 'made by GraphQL',
      autoCreateSubnetworks: false,
      mtu: 1500,
      routingMode: 'GLOBAL',
      selfLink: `${app.url}/compute/v1/projects/${project}/global/networks/vpc`,
      subnetworks: [
        {
          name: 's1',
          region: 'us-central1',
          network: 'vpc',
          ipCidrRange: '10.0.0.0/24',
          gatewayAddress: '10.0.0.1',
          privateIpGoogleAccess: true,
          purpose: 'PRIVATE',
          stackType: 'IPV4_ONLY',
          selfLink: `${app.url}/compute/v1/projects/${project}/regions/us-central1/subnetworks/s1`,
          secondaryIpRanges: [
            { rangeName: 'pods', ipCidrRange: '10.4.0.0/16' },
            { rangeName: 'services', ipCidrRange: '10.8.0.0/20' },
          ],
        },
      ],
    });
    expect(read.network.id).toMatch(/^\d{19}$/);
    expect(read.networks).toEqual([{ name: 'vpc' }]);

    const lists = await ok(
      `query ($project: String!) {
        all: subnetworks(project: $project) { name region }
        central: subnetworks(project: $project, region: "us-central1") { name }
        east: subnetworks(project: $project, region: "us-east1") { name }
      }`,
      { project },
    );
    expect(lists).toEqual({
      all: [{ name: 's1', region: 'us-central1' }],
      central: [{ name: 's1' }],
      east: [],
    });
  });

  it('patches a subnetwork with its fingerprint and refuses a stale one with conditionNotMet', async () => {
    const project = testProject();
    await networkWithSubnetwork(project);
    const vars = { project, region: 'us-central1', name: 's1' };
    const before = (await ok(SUBNETWORK, vars)).subnetwork;
    expect(before.fingerprint).toMatch(/\S/);

    const patched = await ok(PATCH_SUBNETWORK, {
      ...vars,
      input: {
        fingerprint: before.fingerprint,
        description: 'patched',
        secondaryIpRanges: [
          { rangeName: 'pods', ipCidrRange: '10.4.0.0/16' },
          { rangeName: 'more', ipCidrRange: '10.12.0.0/20' },
        ],
      },
    });
    expect(patched.patchSubnetwork).toMatchObject({
      operationType: 'patch',
      status: 'DONE',
      region: 'us-central1',
    });
    const after = (await ok(SUBNETWORK, vars)).subnetwork;
    expect(after).toMatchObject({
      description: 'patched',
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: '10.4.0.0/16' },
        { rangeName: 'more', ipCidrRange: '10.12.0.0/20' },
      ],
    });
    expect(after.fingerprint).not.toBe(before.fingerprint);

    const stale = await fails(PATCH_SUBNETWORK, {
      ...vars,
      input: { fingerprint: before.fingerprint, description: 'lost update' },
    });
    expect(stale).toMatchObject({
      message: 'Supplied fingerprint does not match current metadata fingerprint.',
      path: ['patchSubnetwork'],
      extensions: { code: 'conditionNotMet', httpStatus: 412 },
    });
    expect((await ok(SUBNETWORK, vars)).subnetwork.description).toBe('patched');

    const access = await ok(
      `mutation ($project: String!, $region: String!, $name: String!) {
        setSubnetworkPrivateIpGoogleAccess(project: $project, region: $region, name: $name, privateIpGoogleAccess: true) { operationType status }
      }`,
      vars,
    );
    expect(access.setSubnetworkPrivateIpGoogleAccess).toEqual({
      operationType: 'setPrivateIpGoogleAccess',
      status: 'DONE',
    });
    expect((await ok(SUBNETWORK, vars)).subnetwork.privateIpGoogleAccess).toBe(true);
  });

  it('expands the primary range and deletes the subnetwork and the network', async () => {
    const project = testProject();
    await networkWithSubnetwork(project);
    const vars = { project, region: 'us-central1', name: 's1' };
    const expanded = await ok(EXPAND, { ...vars, range: '10.0.0.0/22' });
    expect(expanded.expandSubnetworkIpCidrRange).toMatchObject({
      operationType: 'expandIpCidrRange',
      status: 'DONE',
    });
    expect((await ok(SUBNETWORK, vars)).subnetwork).toMatchObject({
      ipCidrRange: '10.0.0.0/22',
      gatewayAddress: '10.0.0.1',
    });

    const shrink = await fails(EXPAND, { ...vars, range: '10.0.0.0/23' });
    expect(shrink.extensions).toEqual({ code: 'invalid', httpStatus: 400 });
    expect(shrink.message).toContain('must be a strict superset of the current range 10.0.0.0/22');

    // While the subnetwork exists the network delete is refused (400 resourceInUseByAnotherResource), as in Google.
    const inUse = await fails(
      `mutation ($project: String!) { deleteNetwork(project: $project, name: "vpc") { ${OPERATION} } }`,
      { project },
    );
    expect(inUse.extensions).toEqual({ code: 'resourceInUseByAnotherResource', httpStatus: 400 });
    expect(inUse.message).toContain(`The network resource 'projects/${project}/global/networks/vpc'`);

    const deleted = await ok(
      `mutation ($project: String!, $region: String!, $name: String!) {
        deleteSubnetwork(project: $project, region: $region, name: $name) { ${OPERATION} }
      }`,
      vars,
    );
    expect(deleted.deleteSubnetwork).toMatchObject({ operationType: 'delete', status: 'DONE', errors: null });
    const gone = await fails(SUBNETWORK, vars);
    expect(gone).toMatchObject({
      message: `The resource 'projects/${project}/regions/us-central1/subnetworks/s1' was not found`,
      path: ['subnetwork'],
      extensions: { code: 'notFound', httpStatus: 404 },
    });

    const networkDeleted = await ok(
      `mutation ($project: String!) { deleteNetwork(project: $project, name: "vpc") { ${OPERATION} } }`,
      { project },
    );
    expect(networkDeleted.deleteNetwork).toMatchObject({
      operationType: 'delete',
      status: 'DONE',
      errors: null,
    });
    expect(
      await ok(`query ($project: String!) { networks(project: $project) { name } }`, { project }),
    ).toEqual({ networks: [] });

    const operations = await ok(
      `query ($project: String!) {
        global: operations(project: $project) { operationType targetLink }
        regional: operations(project: $project, region: "us-central1") { operationType }
      }`,
      { project },
    );
    // The refused delete created no operation.
    expect(operations.global.map((op: { operationType: string }) => op.operationType)).toEqual([
      'insert',
      'delete',
    ]);
    expect(operations.regional.map((op: { operationType: string }) => op.operationType)).toEqual([
      'insert',
      'expandIpCidrRange',
      'delete',
    ]);
  });

  it('returns use case errors as GraphQL errors carrying the Google reason and HTTP status', async () => {
    const project = testProject();
    await networkWithSubnetwork(project);

    const overlap = await fails(CREATE_SUBNETWORK, {
      project,
      region: 'us-east1',
      input: { name: 's2', network: 'vpc', ipCidrRange: '10.0.0.128/25' },
    });
    expect(overlap).toMatchObject({
      message:
        "Invalid IPCidrRange: 10.0.0.128/25 conflicts with existing subnetwork 's1' in region 'us-central1'.",
      path: ['createSubnetwork'],
      extensions: { code: 'invalid', httpStatus: 400 },
    });

    const secondaryOverlap = await fails(CREATE_SUBNETWORK, {
      project,
      region: 'us-east1',
      input: {
        name: 's2',
        network: 'vpc',
        ipCidrRange: '10.1.0.0/24',
        secondaryIpRanges: [{ rangeName: 'x', ipCidrRange: '10.4.1.0/24' }],
      },
    });
    expect(secondaryOverlap.extensions).toEqual({ code: 'invalid', httpStatus: 400 });

    const duplicate = await fails(CREATE_NETWORK, {
      project,
      input: { name: 'vpc', autoCreateSubnetworks: false },
    });
    expect(duplicate).toMatchObject({
      message: `The resource 'projects/${project}/global/networks/vpc' already exists`,
      extensions: { code: 'alreadyExists', httpStatus: 409 },
    });

    const badName = await fails(CREATE_NETWORK, {
      project,
      input: { name: 'Caps', autoCreateSubnetworks: false },
    });
    expect(badName.extensions).toEqual({ code: 'invalid', httpStatus: 400 });
    expect(badName.message).toContain("Invalid value for field 'resource.name': 'Caps'");

    const missing = await fails(
      `query ($project: String!) { network(project: $project, name: "nope") { name } }`,
      { project },
    );
    expect(missing).toMatchObject({
      message: `The resource 'projects/${project}/global/networks/nope' was not found`,
      extensions: { code: 'notFound', httpStatus: 404 },
    });
    const missingOperation = await fails(
      `query ($project: String!) { operation(project: $project, name: "operation-nope") { name } }`,
      {
        project,
      },
    );
    expect(missingOperation.extensions).toMatchObject({ code: 'notFound', httpStatus: 404 });

    const unknownRegion = await fails(
      `query ($project: String!) { subnetworks(project: $project, region: "mars-north1") { name } }`,
      {
        project,
      },
    );
    expect(unknownRegion).toMatchObject({
      message: `The resource 'projects/${project}/regions/mars-north1' was not found`,
      extensions: { code: 'notFound', httpStatus: 404 },
    });

    // The request's own GraphQL mistakes (syntax, validation, variables) keep GraphQL's message, with no Google reason.
    const invalidQuery = await graphql('{ networks(project: "x") { nope } }');
    expect(invalidQuery.data).toBeNull();
    expect(invalidQuery.errors).toEqual([
      {
        message: 'Cannot query field "nope" on type "Network". Did you mean "name"?',
        locations: [{ line: 1, column: 28 }],
      },
    ]);
    const syntax = await graphql('{ networks(project: ');
    expect(syntax.errors?.[0]?.message).toMatch(/^Syntax Error/);
    expect(syntax.errors?.[0]?.extensions).toBeUndefined();
    const badVariable = await graphql(CREATE_NETWORK, {
      project,
      input: { name: 'v2', autoCreateSubnetworks: 'yes' },
    });
    expect(badVariable.errors?.[0]?.message).toContain('Boolean cannot represent a non boolean value: "yes"');
    expect(badVariable.errors?.[0]?.extensions).toBeUndefined();

    // Nothing of the failed mutations was written.
    const state = await ok(
      `query ($project: String!) { networks(project: $project) { name subnetworks { name } } }`,
      { project },
    );
    expect(state).toEqual({ networks: [{ name: 'vpc', subnetworks: [{ name: 's1' }] }] });
  });

  it('lists the projects it holds: a project appears with its first write, with a 12-digit number', async () => {
    const project = testProject();
    const listed = async () =>
      (
        await ok<{ projects: { projectId: string; projectNumber: string; createTime: string }[] }>(
          '{ projects { projectId projectNumber createTime } }',
        )
      ).projects;
    expect((await listed()).map((p) => p.projectId)).not.toContain(project);
    await networkWithSubnetwork(project);
    const projects = await listed();
    const ids = projects.map((p) => p.projectId);
    expect(ids).toEqual([...ids].sort());
    const mine = projects.find((p) => p.projectId === project);
    expect(mine?.projectNumber).toMatch(/^[1-9]\d{11}$/);
    expect(Date.parse(mine?.createTime ?? '')).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(mine?.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('shares its data with REST in both directions', async () => {
    const project = testProject();
    await networkWithSubnetwork(project);

    // REST reads what GraphQL wrote, in Google's shape.
    const network = await request(app.url)
      .get(`${base(project)}/global/networks/vpc`)
      .expect(200);
    expect(network.body).toMatchObject({
      kind: 'compute#network',
      name: 'vpc',
      autoCreateSubnetworks: false,
      subnetworks: [`${app.url}/compute/v1/projects/${project}/regions/us-central1/subnetworks/s1`],
    });
    const subnet = await request(app.url)
      .get(`${base(project)}/regions/us-central1/subnetworks/s1`)
      .expect(200);
    expect(subnet.body).toMatchObject({
      kind: 'compute#subnetwork',
      name: 's1',
      network: `${app.url}/compute/v1/projects/${project}/global/networks/vpc`,
      ipCidrRange: '10.0.0.0/24',
      secondaryIpRanges: [{ rangeName: 'pods', ipCidrRange: '10.4.0.0/16' }],
    });
    const viaGraphql = (await ok(SUBNETWORK, { project, region: 'us-central1', name: 's1' })).subnetwork;
    expect(viaGraphql.fingerprint).toBe(subnet.body.fingerprint);

    // GraphQL's operations are REST's operations.
    const expanded = await ok(EXPAND, { project, region: 'us-central1', name: 's1', range: '10.0.0.0/23' });
    const op = await request(app.url)
      .get(`${base(project)}/regions/us-central1/operations/${expanded.expandSubnetworkIpCidrRange.name}`)
      .expect(200);
    expect(op.body).toMatchObject({
      kind: 'compute#operation',
      operationType: 'expandIpCidrRange',
      status: 'DONE',
    });
    await request(app.url)
      .get(`${base(project)}/regions/us-central1/subnetworks/s1`)
      .expect(200)
      .expect((res) => {
        expect(res.body.ipCidrRange).toBe('10.0.0.0/23');
      });

    // GraphQL reads what REST wrote, and a REST write makes GraphQL's fingerprint stale.
    const current = await request(app.url)
      .get(`${base(project)}/regions/us-central1/subnetworks/s1`)
      .expect(200);
    expect(current.body.fingerprint).not.toBe(viaGraphql.fingerprint);
    await request(app.url)
      .patch(`${base(project)}/regions/us-central1/subnetworks/s1`)
      .send({ fingerprint: current.body.fingerprint, description: 'by REST' })
      .expect(200);
    const stale = await fails(PATCH_SUBNETWORK, {
      project,
      region: 'us-central1',
      name: 's1',
      input: { fingerprint: viaGraphql.fingerprint, description: 'by GraphQL' },
    });
    expect(stale.extensions).toEqual({ code: 'conditionNotMet', httpStatus: 412 });
    await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'rest-made', autoCreateSubnetworks: false, routingConfig: { routingMode: 'GLOBAL' } })
      .expect(200);
    const read = await ok(
      `query ($project: String!) {
        subnetwork(project: $project, region: "us-central1", name: "s1") { description ipCidrRange }
        network(project: $project, name: "rest-made") { name routingMode subnetworks { name } }
      }`,
      { project },
    );
    expect(read).toEqual({
      subnetwork: { description: 'by REST', ipCidrRange: '10.0.0.0/23' },
      network: { name: 'rest-made', routingMode: 'GLOBAL', subnetworks: [] },
    });

    // A REST delete is seen by GraphQL.
    await request(app.url)
      .delete(`${base(project)}/regions/us-central1/subnetworks/s1`)
      .expect(200);
    expect((await fails(SUBNETWORK, { project, region: 'us-central1', name: 's1' })).extensions).toEqual({
      code: 'notFound',
      httpStatus: 404,
    });
  });
});

describe('GraphQL firewalls and routes', () => {
  it('creates a firewall rule and a route, and reads them back with the derived subnet routes', async () => {
    const project = testProject('gqlfw');
    const gql = async (query: string, variables: Record<string, unknown> = {}) =>
      (await request(app.url).post('/graphql').send({ query, variables }).expect(200)).body as {
        data: Record<string, unknown> | null;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
    const mutations = [
      `mutation { createNetwork(project: "${project}", input: { name: "vpc", autoCreateSubnetworks: false }) { status } }`,
      `mutation { createSubnetwork(project: "${project}", region: "us-central1", input: { name: "s", network: "vpc", ipCidrRange: "10.0.0.0/24" }) { status } }`,
      `mutation { createFirewall(project: "${project}", input: { name: "web", network: "vpc", allowed: [{ IPProtocol: "tcp", ports: ["80"] }], targetTags: ["web"] }) { status } }`,
      `mutation { createRoute(project: "${project}", input: { name: "out", network: "vpc", destRange: "8.8.8.0/24", nextHopGateway: "default-internet-gateway", priority: 10 }) { status } }`,
    ];
    for (const mutation of mutations) expect((await gql(mutation)).errors).toBeUndefined();
    const read = await gql(
      `query { firewalls(project: "${project}", network: "vpc") { name priority direction sourceRanges targetTags allowed { IPProtocol ports } }
               routes(project: "${project}") { name destRange priority routeType } }`,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data?.['firewalls']).toEqual([
      {
        name: 'web',
        priority: 1000,
        direction: 'INGRESS',
        sourceRanges: ['0.0.0.0/0'],
        targetTags: ['web'],
        allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
      },
    ]);
    const routes = read.data?.['routes'] as {
      name: string;
      destRange: string;
      priority: number;
      routeType: string;
    }[];
    expect(routes.map((r) => [r.destRange, r.priority, r.routeType]).sort()).toEqual([
      ['0.0.0.0/0', 1000, 'STATIC'],
      ['10.0.0.0/24', 0, 'SUBNET'],
      ['8.8.8.0/24', 10, 'STATIC'],
    ]);
    const bad = await gql(
      `mutation { createFirewall(project: "${project}", input: { name: "x", network: "vpc", priority: 70000, allowed: [{ IPProtocol: "tcp" }] }) { status } }`,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('invalid');
  });
});

describe('GraphQL addresses and load-balancing resources', () => {
  it('reserves an address and lists health checks as JSON', async () => {
    const project = testProject('gqladdr');
    const gql = async (query: string) =>
      (await request(app.url).post('/graphql').send({ query }).expect(200)).body as {
        data: Record<string, unknown> | null;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
    expect(
      (
        await gql(
          `mutation { createAddress(project: "${project}", region: "us-central1", input: { name: "ip" }) { status } }`,
        )
      ).errors,
    ).toBeUndefined();
    await request(app.url)
      .post(`/compute/v1/projects/${project}/global/healthChecks`)
      .send({ name: 'hc', type: 'TCP' })
      .expect(200);
    const read = await gql(
      `query { addresses(project: "${project}", region: "us-central1") { name addressType status region users }
               loadBalancingResources(project: "${project}", collection: "healthChecks") { name scope json } }`,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data?.['addresses']).toEqual([
      { name: 'ip', addressType: 'EXTERNAL', status: 'RESERVED', region: 'us-central1', users: [] },
    ]);
    const [hc] = read.data?.['loadBalancingResources'] as { name: string; scope: string; json: string }[];
    expect(hc?.name).toBe('hc');
    expect(JSON.parse(hc?.json ?? '{}')).toMatchObject({
      kind: 'compute#healthCheck',
      type: 'TCP',
      tcpHealthCheck: { port: 80 },
    });
    const bad = await gql(
      `query { loadBalancingResources(project: "${project}", collection: "nope") { name } }`,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('invalid');
  });
});

describe('GraphQL security policies', () => {
  it('creates a policy, adds and removes rules, and reads them sorted with the default rule last', async () => {
    const project = testProject('gqlsp');
    const gql = async (query: string) =>
      (await request(app.url).post('/graphql').send({ query }).expect(200)).body as {
        data: Record<string, unknown> | null;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
    expect(
      (await gql(`mutation { createSecurityPolicy(project: "${project}", name: "edge") { status } }`)).errors,
    ).toBeUndefined();
    const add = await gql(
      `mutation { addSecurityPolicyRule(project: "${project}", policy: "edge", rule: { priority: 100, action: "deny(403)", srcIpRanges: ["9.9.9.0/24"] }) { status } }`,
    );
    expect(add.errors).toBeUndefined();
    const cel = await gql(
      `mutation { addSecurityPolicyRule(project: "${project}", policy: "edge", rule: { priority: 50, action: "allow", expression: "inIpRange(origin.ip, '1.2.3.0/24')" }) { status } }`,
    );
    expect(cel.errors).toBeUndefined();
    const read = await gql(
      `query { securityPolicies(project: "${project}") { name type rules { priority action srcIpRanges expression } } }`,
    );
    expect(read.errors).toBeUndefined();
    const [policy] = read.data?.['securityPolicies'] as {
      name: string;
      type: string;
      rules: { priority: number; action: string }[];
    }[];
    expect(policy?.type).toBe('CLOUD_ARMOR');
    expect(policy?.rules.map((r) => [r.priority, r.action])).toEqual([
      [50, 'allow'],
      [100, 'deny(403)'],
      [2147483647, 'allow'],
    ]);
    const bad = await gql(
      `mutation { addSecurityPolicyRule(project: "${project}", policy: "edge", rule: { priority: 7, action: "allow", expression: "nosuchfunction(1)" }) { status } }`,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('invalid');
    expect(
      (
        await gql(
          `mutation { removeSecurityPolicyRule(project: "${project}", policy: "edge", priority: 100) { status } }`,
        )
      ).errors,
    ).toBeUndefined();
    expect(
      (await gql(`mutation { deleteSecurityPolicy(project: "${project}", name: "edge") { status } }`)).errors,
    ).toBeUndefined();
  });
});
