import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestGkeCluster, dataplaneConverged, useTestApp, useTestWorker } from '@gke-emulator/testing';

/**
 * Connectivity Tests to a destination given as a DNS name, from a pod (issue 15 item 4): the name resolves as the
 * cluster's kube-dns answers the source pod; each address is traced; a name that does not resolve is
 * UNDETERMINED; a source that is not a pod is the API's 400 on `destination.fqdn`. REST and GraphQL `trace`.
 */
const app = useTestApp();
useTestWorker();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

const post = (path: string, body: object) => request(app.url).post(path).send(body).expect(201);

async function setup() {
  const cluster = await createTestGkeCluster(app.url, { prefix: 'cdns', nodes: 2 });
  const { kube } = cluster;
  await post(`${kube}/api/v1/namespaces`, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'shop' },
  });
  await post(`${kube}/api/v1/namespaces/shop/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  await post(`${kube}/api/v1/namespaces/shop/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db' },
    spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
  });
  const pod = async (name: string, labels: Record<string, string>, port?: number) =>
    (
      await post(`${kube}/api/v1/namespaces/shop/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels },
        spec: {
          containers: [{ name: 'c', image: 'nginx', ...(port ? { ports: [{ containerPort: port }] } : {}) }],
        },
      })
    ).body as Json;
  await pod('web-0', { app: 'web' }, 8080);
  await pod('db-0', { app: 'db' }, 5432);
  await pod('db-1', { app: 'db' }, 5432);
  await pod('client', { app: 'client' });
  const read = async (path: string) =>
    (await request(app.url).get(`${kube}${path}`).expect(200)).body as Json;
  const ipOf = async (name: string) =>
    String((await read(`/api/v1/namespaces/shop/pods/${name}`)).status.podIP);
  const [client, db0, db1] = await Promise.all(['client', 'db-0', 'db-1'].map(ipOf));
  const web = await read('/api/v1/namespaces/shop/services/web');
  await dataplaneConverged(app.url, cluster.project);
  return { ...cluster, client, db0, db1, webIp: String(web.spec.clusterIP) };
}

describe('Connectivity Tests to a DNS name from a pod', () => {
  it('resolves a Service name, a headless name and a name that does not resolve; refuses a non-pod source', async () => {
    const { project, client, db0, db1, webIp } = await setup();
    const tests = `/networkmanagement/v1/projects/${project}/locations/global/connectivityTests`;
    const create = async (testId: string, destination: Json, source: Json = { ipAddress: client }) =>
      (await request(app.url).post(tests).query({ testId }).send({ source, destination, protocol: 'TCP' }))
        .body as Json;

    // A ClusterIP Service by its short name, from the client's namespace: one trace, to the ClusterIP.
    const web = await create('to-web', { fqdn: 'web', port: 80 });
    expect(web.response.destination).toEqual({ fqdn: 'web', port: 80 });
    const webDetails = web.response.reachabilityDetails as Json;
    expect(webDetails.result).toBe('REACHABLE');
    expect(webDetails.traces).toHaveLength(1);
    expect(webDetails.traces[0].endpointInfo).toMatchObject({ sourceIp: client, destinationIp: webIp });
    const delivered = webDetails.traces[0].steps.at(-1) as Json;
    expect(delivered).toMatchObject({ state: 'DELIVER', pod: { namespace: 'shop', name: 'web-0' } });

    // The same name, fully qualified, traces the same path.
    const qualified = await create('to-web-fqdn', { fqdn: 'web.shop.svc.cluster.local.', port: 80 });
    expect(qualified.response.reachabilityDetails.traces[0].steps.map((s: Json) => s.state)).toEqual(
      webDetails.traces[0].steps.map((s: Json) => s.state),
    );

    // A headless Service: one A record per ready pod, one trace per address.
    const db = await create('to-db', { fqdn: 'db.shop', port: 5432 });
    const dbDetails = db.response.reachabilityDetails as Json;
    expect(dbDetails.result).toBe('REACHABLE');
    expect(dbDetails.traces.map((t: Json) => t.endpointInfo.destinationIp).sort()).toEqual([db0, db1].sort());
    expect(dbDetails.traces.map((t: Json) => t.probability)).toEqual([0.5, 0.5]);

    // A name kube-dns does not answer: UNDETERMINED, the ABORT step says so.
    const nope = await create('to-nope', { fqdn: 'nope', port: 80 });
    expect(nope.response.reachabilityDetails.result).toBe('UNDETERMINED');
    const [abort] = nope.response.reachabilityDetails.traces[0].steps as Json[];
    expect(abort).toMatchObject({ state: 'ABORT', abort: { cause: 'DESTINATION_ENDPOINT_NOT_FOUND' } });
    expect(abort?.description).toContain('nope does not resolve from pod shop/client');

    // The stored test is what GET answers.
    const got = (await request(app.url).get(`${tests}/to-db`).expect(200)).body as Json;
    expect(got.destination).toEqual({ fqdn: 'db.shop', port: 5432 });
    expect(got.reachabilityDetails.result).toBe('REACHABLE');

    // Bad input: the API's 400 with the field.
    const bad = async (testId: string, destination: Json, source: Json, field: string) => {
      const res = await request(app.url)
        .post(tests)
        .query({ testId })
        .send({ source, destination, protocol: 'TCP' });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
      expect(res.body.error.message).toContain(field);
    };
    await bad('not-a-pod', { fqdn: 'web', port: 80 }, { ipAddress: '203.0.113.5' }, "'destination.fqdn'");
    await bad(
      'with-ip',
      { fqdn: 'web', ipAddress: webIp, port: 80 },
      { ipAddress: client },
      "'destination.fqdn'",
    );
    await bad('bad-name', { fqdn: 'we b', port: 80 }, { ipAddress: client }, "'destination.fqdn'");
    await bad('on-source', { fqdn: 'web', port: 80 }, { ipAddress: client, fqdn: 'x' }, "'source.fqdn'");
    await bad(
      'other-cluster',
      {
        fqdn: 'web',
        port: 80,
        gkeMasterCluster: `projects/${project}/locations/us-central1-a/clusters/nope`,
      },
      { ipAddress: client },
      "'destination.fqdn'",
    );
    const listed = (await request(app.url).get(tests).expect(200)).body as Json;
    expect((listed.resources as Json[]).map((t) => t.displayName).sort()).toEqual([
      'to-db',
      'to-nope',
      'to-web',
      'to-web-fqdn',
    ]);

    // With the cluster named (as gcloud's --destination-gke-master-cluster with --destination-fqdn sends it).
    const named = await create('named-cluster', {
      fqdn: 'web',
      port: 80,
      gkeMasterCluster: `projects/${project}/locations/us-central1-a/clusters/c1`,
    });
    expect(named.response.reachabilityDetails.result).toBe('REACHABLE');
  });

  it('GraphQL trace takes `to: { fqdn }` and answers as the REST test does', async () => {
    const { project, client, db0, db1 } = await setup();
    const res = await request(app.url)
      .post('/graphql')
      .send({
        query: `query($p: String!, $c: String!) {
          trace(project: $p, from: { ipAddress: $c }, to: { fqdn: "db" }, port: 5432) {
            result traces { probability endpointInfo { destinationIp } steps { state } }
          }
        }`,
        variables: { p: project, c: client },
      })
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    const trace = res.body.data.trace as Json;
    expect(trace.result).toBe('REACHABLE');
    expect(trace.traces.map((t: Json) => t.endpointInfo.destinationIp).sort()).toEqual([db0, db1].sort());

    const refused = await request(app.url)
      .post('/graphql')
      .send({
        query: `query($p: String!) { trace(project: $p, from: { ipAddress: "203.0.113.5" }, to: { fqdn: "db" }, port: 5432) { result } }`,
        variables: { p: project },
      })
      .expect(200);
    expect(refused.body.errors?.[0]?.message).toContain("'destination.fqdn'");
  });
});
