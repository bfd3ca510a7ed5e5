import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  createTestGkeCluster,
  dataplaneConverged,
  eventually,
  useTestApp,
  useTestWorker,
} from '@gke-emulator/testing';
import { useSubscriptions } from './support/graphql-subscriptions';

/**
 * Connectivity Tests in GraphQL (issue 15 item 6): `trace`, the saved tests' queries and mutations through the same
 * service as `/networkmanagement/v1/` (both see the same tests), and `connectivityTestChanged` firing when a firewall
 * change flips a saved test's result.
 */
const app = useTestApp();
useTestWorker();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL and wire objects read loosely in assertions
type Json = Record<string, any>;

async function graphql(query: string, variables: Record<string, unknown>) {
  const res = await request(app.url).post('/graphql').send({ query, variables });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { data: Json | null; errors?: { message: string; extensions?: Json }[] };
}

async function ok(query: string, variables: Record<string, unknown>): Promise<Json> {
  const body = await graphql(query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as Json;
}

/** A two-node cluster and its nodes' internal addresses. */
async function setup() {
  const cluster = await createTestGkeCluster(app.url, { prefix: 'cng', nodes: 2 });
  await dataplaneConverged(app.url, cluster.project);
  const nodes = (await request(app.url).get(`${cluster.kube}/api/v1/nodes`).expect(200)).body.items as Json[];
  const ips = nodes.map(
    (node) => (node.status.addresses as Json[]).find((a) => a.type === 'InternalIP')?.address as string,
  );
  return { ...cluster, ips: ips as [string, string] };
}

/** Firewall rule `deny-a` (priority 100) on the VPC: TCP from `address` (node a) denied. */
async function denyFrom(compute: string, address: string) {
  await request(app.url)
    .post(`${compute}/global/firewalls`)
    .send({
      name: 'deny-a',
      network: 'global/networks/vpc',
      sourceRanges: [`${address}/32`],
      denied: [{ IPProtocol: 'tcp' }],
      priority: 100,
    })
    .expect(200);
}

const STEPS = `
  result verifyTime
  traces {
    endpointInfo { sourceIp destinationIp protocol destinationPort }
    probability
    steps {
      state description causesDrop projectId
      instance { displayName internalIp networkTags running }
      firewall { displayName action direction priority firewallRuleType }
      route { displayName destIpRange nextHopType routeType }
      drop { cause }
      abort { cause }
      deliver { target ipAddress }
    }
  }`;

const TEST = `
  name displayName protocol createTime updateTime roundTrip bypassFirewallChecks relatedProjects
  labels { key value }
  source { ipAddress }
  destination { ipAddress port }
  reachabilityDetails { ${STEPS} }`;

describe('Connectivity Tests over GraphQL', () => {
  it('traces a packet between two nodes, typed step by step, as a saved test would', async () => {
    const { project, ips } = await setup();
    const [a, b] = ips;
    const { trace } = await ok(
      `query($p: String!, $a: String!, $b: String!) {
        trace(project: $p, from: { ipAddress: $a }, to: { ipAddress: $b }, port: 10250) { ${STEPS} }
      }`,
      { p: project, a, b },
    );
    expect(trace.result).toBe('REACHABLE');
    const [path] = trace.traces as [Json];
    expect(path.endpointInfo).toMatchObject({ sourceIp: a, destinationIp: b, destinationPort: 10250 });
    const states = (path.steps as Json[]).map((step) => step.state);
    expect(states[0]).toBe('START_FROM_INSTANCE');
    expect(states).toContain('APPLY_INGRESS_FIREWALL_RULE');
    expect(states.at(-1)).toBe('DELIVER');
    const ingress = (path.steps as Json[]).find((step) => step.state === 'APPLY_INGRESS_FIREWALL_RULE');
    expect(ingress?.firewall).toMatchObject({ action: 'ALLOW', direction: 'INGRESS' });

    // The same as the REST API's test of that spec.
    const rest = (
      await request(app.url)
        .post(`/networkmanagement/v1/projects/${project}/locations/global/connectivityTests`)
        .query({ testId: 'same' })
        .send({ source: { ipAddress: a }, destination: { ipAddress: b, port: 10250 }, protocol: 'TCP' })
        .expect(200)
    ).body as Json;
    const saved = rest.response.reachabilityDetails as Json;
    expect(saved.result).toBe(trace.result);
    expect(saved.traces[0].steps.map((step: Json) => step.state)).toEqual(states);
  });

  it('creates, lists, reruns and deletes tests, shared with /networkmanagement/v1/', async () => {
    const { project, ips } = await setup();
    const [a, b] = ips;
    const { createConnectivityTest: created } = await ok(
      `mutation($p: String!, $a: String!, $b: String!) {
        createConnectivityTest(project: $p, id: "a-to-b", test: {
          source: { ipAddress: $a }, destination: { ipAddress: $b, port: 10250 }, protocol: "TCP"
        }) { ${TEST} }
      }`,
      { p: project, a, b },
    );
    expect(created).toMatchObject({
      name: `projects/${project}/locations/global/connectivityTests/a-to-b`,
      displayName: 'a-to-b',
      protocol: 'TCP',
      roundTrip: false,
      relatedProjects: [],
      labels: [],
      destination: { ipAddress: b, port: 10250 },
      reachabilityDetails: { result: 'REACHABLE' },
    });
    const rest = (
      await request(app.url)
        .get(`/networkmanagement/v1/projects/${project}/locations/global/connectivityTests/a-to-b`)
        .expect(200)
    ).body as Json;
    expect(rest.reachabilityDetails.result).toBe('REACHABLE');

    const { connectivityTests } = await ok(
      `query($p: String!) { connectivityTests(project: $p) { name reachabilityDetails { result } } }`,
      { p: project },
    );
    expect(connectivityTests).toEqual([{ name: created.name, reachabilityDetails: { result: 'REACHABLE' } }]);
    const { rerunConnectivityTest } = await ok(
      `mutation($p: String!) { rerunConnectivityTest(project: $p, name: "a-to-b") { updateTime reachabilityDetails { verifyTime } } }`,
      { p: project },
    );
    expect(
      rerunConnectivityTest.reachabilityDetails.verifyTime >= created.reachabilityDetails.verifyTime,
    ).toBe(true);
    const { deleteConnectivityTest } = await ok(
      `mutation($p: String!, $n: String!) { deleteConnectivityTest(project: $p, name: $n) }`,
      { p: project, n: created.name },
    );
    expect(deleteConnectivityTest).toBe(created.name);
    const missing = await graphql(
      `
        query ($p: String!) {
          connectivityTest(project: $p, name: "a-to-b") {
            name
          }
        }
      `,
      { p: project },
    );
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'notFound', httpStatus: 404 });
  });

  it("answers bad input with the API's own errors", async () => {
    const { project, ips } = await setup();
    const noPort = await graphql(
      `
        query ($p: String!, $a: String!) {
          trace(project: $p, from: { ipAddress: $a }, to: { ipAddress: "10.0.0.99" }) {
            result
          }
        }
      `,
      { p: project, a: ips[0] },
    );
    expect(noPort.errors?.[0]?.message).toMatch(/destination\.port/);
    const badIp = await graphql(
      `
        query ($p: String!) {
          trace(project: $p, from: { ipAddress: "10.0.0.300" }, to: { ipAddress: "10.0.0.2" }, port: 80) {
            result
          }
        }
      `,
      { p: project },
    );
    expect(badIp.errors?.[0]?.message).toMatch(/source\.ipAddress/);
    const badId = await graphql(
      `
        mutation ($p: String!) {
          createConnectivityTest(
            project: $p
            id: "Bad_Id"
            test: { source: { ipAddress: "10.0.0.2" }, destination: { ipAddress: "10.0.0.3", port: 80 } }
          ) {
            name
          }
        }
      `,
      { p: project },
    );
    expect(badId.errors?.[0]?.message).toMatch(/testId/);
  });
});

describe('the connectivityTestChanged subscription', () => {
  const subscribe = useSubscriptions(app);

  it("fires when a firewall change flips a saved test's result, and the test is rerun as :rerun would", async () => {
    const { project, compute, ips } = await setup();
    const [a, b] = ips;
    await ok(
      `mutation($p: String!, $a: String!, $b: String!) {
        createConnectivityTest(project: $p, id: "a-to-b", test: {
          source: { ipAddress: $a }, destination: { ipAddress: $b, port: 10250 }
        }) { name }
      }`,
      { p: project, a, b },
    );
    const sub = subscribe(
      `subscription($p: String!) {
        connectivityTestChanged(project: $p, name: "a-to-b") {
          project test previousResult
          connectivityTest { name reachabilityDetails { ${STEPS} } }
        }
      }`,
      { p: project },
    );
    // The server registers the subscription asynchronously: wait until it LISTENs (a probe notification for a
    // cluster of the project reruns nothing, the test's result being unchanged, so it cannot fire an event).
    await eventually(
      async () => {
        const [row] = await app.database.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN "dataplane_node_changed"%'`,
        );
        return Number(row?.n) > 0 ? true : undefined;
      },
      'the subscription to LISTEN',
      10_000,
      100,
    );
    await denyFrom(compute, a);
    const event = await eventually(
      () => sub.results.find((r) => r.data?.connectivityTestChanged)?.data?.connectivityTestChanged as Json,
      'a change of a-to-b',
      30_000,
    );
    expect(event).toMatchObject({ project, test: 'a-to-b', previousResult: 'REACHABLE' });
    const details = event.connectivityTest.reachabilityDetails as Json;
    expect(details.result).toBe('UNREACHABLE');
    const drop = (details.traces[0].steps as Json[]).find((step) => step.causesDrop);
    expect(drop).toMatchObject({ state: 'APPLY_INGRESS_FIREWALL_RULE', firewall: { displayName: 'deny-a' } });
    // Stored as a rerun: the REST API reads the new result, and the rerun has its operation.
    const rest = (
      await request(app.url)
        .get(`/networkmanagement/v1/projects/${project}/locations/global/connectivityTests/a-to-b`)
        .expect(200)
    ).body as Json;
    expect(rest.reachabilityDetails.result).toBe('UNREACHABLE');
    const operations = (
      await request(app.url)
        .get(`/networkmanagement/v1/projects/${project}/locations/global/operations`)
        .expect(200)
    ).body.operations as Json[];
    expect(operations.map((op) => op.metadata.verb)).toEqual(['create', 'rerun']);
    expect(sub.errors).toEqual([]);
  });

  it('one LISTEN connection serves nodeEffectiveStateChanged and connectivityTestChanged', async () => {
    const { project, compute, ips } = await setup();
    const [a, b] = ips;
    await request(app.url)
      .post(`/networkmanagement/v1/projects/${project}/locations/global/connectivityTests`)
      .query({ testId: 'a-to-b' })
      .send({ source: { ipAddress: a }, destination: { ipAddress: b, port: 10250 }, protocol: 'TCP' })
      .expect(200);
    const tests = subscribe(
      `subscription($p: String!) { connectivityTestChanged(project: $p) { test previousResult } }`,
      { p: project },
    );
    const nodes = subscribe(
      `subscription($p: String!) {
        nodeEffectiveStateChanged(project: $p, location: "us-central1-a", cluster: "c1") { node generation }
      }`,
      { p: project },
    );
    const [{ id }] = await app.database.query<{ id: string }>(
      `SELECT id::text FROM cluster WHERE project_id = $1`,
      [project],
    );
    await eventually(
      async () => {
        await app.database.query(`SELECT pg_notify('dataplane_node_changed', $1)`, [
          JSON.stringify({ clusterId: id, generation: '0', nodes: null }),
        ]);
        return nodes.results.length > 0 || nodes.errors.length > 0 ? true : undefined;
      },
      'nodeEffectiveStateChanged to be registered',
      10_000,
      100,
    );
    await denyFrom(compute, a);
    const change = await eventually(
      () => tests.results.find((r) => r.data?.connectivityTestChanged)?.data?.connectivityTestChanged as Json,
      'a change of a-to-b',
      30_000,
    );
    expect(change).toEqual({ test: 'a-to-b', previousResult: 'REACHABLE' });
    await eventually(
      () =>
        nodes.results.some((r) => BigInt(r.data?.nodeEffectiveStateChanged?.generation ?? '0') > 0n)
          ? true
          : undefined,
      'the firewall change on the nodes',
      30_000,
    );
    const listening = await app.database.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_stat_activity
        WHERE datname = current_database() AND query LIKE 'LISTEN "dataplane_node_changed"%'`,
    );
    expect(Number(listening[0]?.n)).toBe(1);
    expect([...tests.errors, ...nodes.errors]).toEqual([]);
  });
});

describe('saved tests rerun without a subscriber', () => {
  it('a firewall change flips the stored result, as :rerun would, before anyone asks', async () => {
    const { project, compute, ips } = await setup();
    const [a, b] = ips;
    const base = `/networkmanagement/v1/projects/${project}/locations/global`;
    await request(app.url)
      .post(`${base}/connectivityTests`)
      .query({ testId: 'a-to-b' })
      .send({ source: { ipAddress: a }, destination: { ipAddress: b, port: 10250 }, protocol: 'TCP' })
      .expect(200);
    // Another test of the project on a path the change does not touch stays as it was (no rerun, no operation).
    await request(app.url)
      .post(`${base}/connectivityTests`)
      .query({ testId: 'b-to-a' })
      .send({ source: { ipAddress: b }, destination: { ipAddress: a, port: 10250 }, protocol: 'TCP' })
      .expect(200);
    const untouched = (await request(app.url).get(`${base}/connectivityTests/b-to-a`).expect(200))
      .body as Json;
    await denyFrom(compute, a);
    await dataplaneConverged(app.url, project);
    const rerun = await eventually(async () => {
      const test = (await request(app.url).get(`${base}/connectivityTests/a-to-b`).expect(200)).body as Json;
      return test.reachabilityDetails.result === 'UNREACHABLE' ? test : undefined;
    }, 'a-to-b to be rerun');
    const drop = (rerun.reachabilityDetails.traces[0].steps as Json[]).find((step) => step.causesDrop);
    expect(drop).toMatchObject({ state: 'APPLY_INGRESS_FIREWALL_RULE', firewall: { displayName: 'deny-a' } });
    expect(rerun.updateTime > rerun.createTime).toBe(true);
    const operations = (await request(app.url).get(`${base}/operations`).expect(200)).body
      .operations as Json[];
    expect(operations.map((op) => [op.metadata.verb, op.metadata.target.split('/').at(-1)])).toEqual([
      ['create', 'a-to-b'],
      ['create', 'b-to-a'],
      ['rerun', 'a-to-b'],
    ]);
    const after = (await request(app.url).get(`${base}/connectivityTests/b-to-a`).expect(200)).body as Json;
    expect(after).toEqual(untouched);
  });
});
