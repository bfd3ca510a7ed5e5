import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '@gke-emulator/db';
import { startApi } from '@gke-emulator/server';
import { provisionTestDatabase, startTestApp, testProject, type TestApp } from '@gke-emulator/testing';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const compute = (project: string) => `/compute/v1/projects/${project}`;

async function ok(path: string, body: Record<string, unknown>, url = app.url): Promise<void> {
  const res = await request(url).post(path).send(body);
  expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(200);
}

/** A project holding every kind of reference one resource can make to another. */
async function everyReference(project: string, url = app.url): Promise<void> {
  const post = (path: string, body: Record<string, unknown>) => ok(path, body, url);
  const c = compute(project);
  const r = `${c}/regions/us-central1`;
  await post(`${c}/global/networks`, { name: 'vpc', autoCreateSubnetworks: false });
  await post(`${r}/subnetworks`, {
    name: 's1',
    network: 'vpc',
    ipCidrRange: '10.0.0.0/20',
    secondaryIpRanges: [
      { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
      { rangeName: 'svc', ipCidrRange: '10.8.0.0/20' },
    ],
  });
  await post(`${c}/global/firewalls`, { name: 'fw', network: 'vpc', allowed: [{ IPProtocol: 'tcp' }] });
  await post(`${r}/addresses`, {
    name: 'ilb-ip',
    addressType: 'INTERNAL',
    subnetwork: 'regions/us-central1/subnetworks/s1',
  });
  await post(`${c}/global/addresses`, { name: 'lb-ip' });
  await post(`${c}/global/securityPolicies`, { name: 'armor' });
  await post(`${c}/global/healthChecks`, { name: 'hc', type: 'TCP', tcpHealthCheck: { port: 80 } });
  // INTERNAL backend service → network (the reference that made reset answer 500), health check.
  await post(`${r}/backendServices`, {
    name: 'internal',
    loadBalancingScheme: 'INTERNAL',
    protocol: 'TCP',
    network: 'global/networks/vpc',
    healthChecks: ['global/healthChecks/hc'],
  });
  // Internal forwarding rule → backend service, network, subnetwork, address; a route → that rule.
  await post(`${r}/forwardingRules`, {
    name: 'ilb',
    loadBalancingScheme: 'INTERNAL',
    backendService: 'regions/us-central1/backendServices/internal',
    network: 'global/networks/vpc',
    subnetwork: 'regions/us-central1/subnetworks/s1',
    IPAddress: 'regions/us-central1/addresses/ilb-ip',
    ports: ['80'],
  });
  await post(`${c}/global/routes`, {
    name: 'via-ilb',
    network: 'global/networks/vpc',
    destRange: '192.168.0.0/24',
    nextHopIlb: 'regions/us-central1/forwardingRules/ilb',
  });
  // External chain: backend service → security policy, URL map → backend service, proxy → URL map, rule → proxy
  // and a reserved address.
  await post(`${c}/global/backendServices`, {
    name: 'web',
    healthChecks: ['global/healthChecks/hc'],
    securityPolicy: 'global/securityPolicies/armor',
  });
  await post(`${c}/global/urlMaps`, { name: 'map', defaultService: 'global/backendServices/web' });
  await post(`${c}/global/targetHttpProxies`, { name: 'proxy', urlMap: 'global/urlMaps/map' });
  await post(`${c}/global/forwardingRules`, {
    name: 'front',
    target: 'global/targetHttpProxies/proxy',
    IPAddress: 'global/addresses/lb-ip',
    portRange: '80',
  });
  // A GKE cluster: nodes, secondary ranges, its firewall rules, Kubernetes objects.
  const cluster = await request(url)
    .post(`/v1/projects/${project}/locations/us-central1-a/clusters`)
    .send({
      cluster: {
        name: 'c1',
        network: 'vpc',
        subnetwork: 's1',
        initialNodeCount: 2,
        ipAllocationPolicy: {
          useIpAliases: true,
          clusterSecondaryRangeName: 'pods',
          servicesSecondaryRangeName: 'svc',
        },
      },
    });
  expect(cluster.status, JSON.stringify(cluster.body)).toBe(200);
}

describe('POST /emulator/v1/reset', () => {
  it('forgets a project whatever its resources refer to, and only that project', async () => {
    const drop = testProject('reset');
    const keep = testProject('reset');
    await everyReference(drop);
    await everyReference(keep);

    const reset = await request(app.url).post('/emulator/v1/reset').send({ project: drop });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).toEqual({ projectsDeleted: 1 });

    for (const path of [
      'global/networks/vpc',
      'regions/us-central1/backendServices/internal',
      'global/routes/via-ilb',
    ]) {
      await request(app.url)
        .get(`${compute(drop)}/${path}`)
        .expect(404);
      await request(app.url)
        .get(`${compute(keep)}/${path}`)
        .expect(200);
    }
    await request(app.url).get(`/v1/projects/${drop}/locations/us-central1-a/clusters/c1`).expect(404);
    await request(app.url).get(`/v1/projects/${keep}/locations/us-central1-a/clusters/c1`).expect(200);

    // The same names can be created again at once in the forgotten project.
    await everyReference(drop);
  });

  it('forgets every project at once, whatever they refer to (on a database of its own)', async () => {
    const own = await provisionTestDatabase();
    const database = new Database(own.url, { poolSize: 10 });
    const api = await startApi({ database, host: '127.0.0.1', port: 0, logLevel: 'silent' });
    try {
      await everyReference(testProject('reset'), api.url);
      await everyReference(testProject('reset'), api.url);
      const reset = await request(api.url).post('/emulator/v1/reset').send({});
      expect(reset.status, JSON.stringify(reset.body)).toBe(200);
      expect(reset.body).toEqual({ projectsDeleted: 2 });
      const left = await database.query<{ tables: number }>(
        `select (select count(*) from network) + (select count(*) from load_balancing_resource)
           + (select count(*) from cluster) + (select count(*) from resource_reference) as tables`,
      );
      expect(Number(left[0]?.tables)).toBe(0);
    } finally {
      await api.close();
      await database.close();
      await own.teardown();
    }
  });
});
