import {
  AddressesClient,
  GlobalOperationsClient,
  HealthChecksClient,
  NetworksClient,
  RegionOperationsClient,
  SubnetworksClient,
} from '@google-cloud/compute';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeClientOptions, startTestApp, testProject, type TestApp } from '@gke-emulator/testing';

type Operation = { name?: string | null; status?: unknown; error?: unknown };
type Lro = { latestResponse: unknown };

let app: TestApp;
let options: ReturnType<typeof computeClientOptions>;
beforeAll(async () => {
  app = await startTestApp();
  options = computeClientOptions(app);
});
afterAll(async () => {
  await app?.close();
});

/** Polls an operation with `wait` until DONE (the project's operations stay RUNNING for a while). */
async function done(lro: Lro, wait: (name: string) => Promise<Operation>): Promise<Operation> {
  let op = lro.latestResponse as Operation;
  for (let polls = 0; op.status !== 'DONE'; polls++) {
    if (polls > 50) throw new Error('operation never finished');
    op = await wait(String(op.name));
  }
  return op;
}

describe('@google-cloud/compute: addresses and health checks', () => {
  it('reserves addresses and manages health checks through operations to DONE', async () => {
    const project = testProject('sdk-addr');
    await request(app.url)
      .patch('/emulator/v1/settings')
      .query({ project })
      .send({ operationDelayMs: 200 })
      .expect(200);
    const globalOps = new GlobalOperationsClient(options);
    const regionOps = new RegionOperationsClient(options);
    const waitGlobal = async (operation: string) =>
      (await globalOps.wait({ project, operation }))[0] as Operation;
    const waitRegion = async (operation: string) =>
      (await regionOps.wait({ project, region: 'us-central1', operation }))[0] as Operation;

    const [net] = await new NetworksClient(options).insert({
      project,
      networkResource: { name: 'vpc', autoCreateSubnetworks: false },
    });
    await done(net, waitGlobal);
    const [sub] = await new SubnetworksClient(options).insert({
      project,
      region: 'us-central1',
      subnetworkResource: { name: 'nodes', network: 'global/networks/vpc', ipCidrRange: '10.1.0.0/24' },
    });
    await done(sub, waitRegion);

    const addresses = new AddressesClient(options);
    const [reserve] = await addresses.insert({
      project,
      region: 'us-central1',
      addressResource: {
        name: 'vip',
        addressType: 'INTERNAL',
        subnetwork: 'regions/us-central1/subnetworks/nodes',
      },
    });
    expect((reserve.latestResponse as Operation).status).toBe('RUNNING');
    expect((await done(reserve, waitRegion)).error).toBeFalsy();
    const [vip] = await addresses.get({ project, region: 'us-central1', address: 'vip' });
    expect(vip).toMatchObject({ address: '10.1.0.2', addressType: 'INTERNAL', status: 'RESERVED' });
    const listed: string[] = [];
    for await (const a of addresses.listAsync({ project, region: 'us-central1' }))
      listed.push(String(a.name));
    expect(listed).toEqual(['vip']);
    await expect(
      addresses.insert({
        project,
        region: 'us-central1',
        addressResource: { name: 'bad', address: '8.8.8.8' },
      }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('External addresses in gke-emulator come from'),
    });

    const healthChecks = new HealthChecksClient(options);
    const [hcInsert] = await healthChecks.insert({
      project,
      healthCheckResource: {
        name: 'hc',
        type: 'HTTP',
        httpHealthCheck: { port: 10256, requestPath: '/healthz' },
      },
    });
    await done(hcInsert, waitGlobal);
    const [hc] = await healthChecks.get({ project, healthCheck: 'hc' });
    expect(hc).toMatchObject({
      type: 'HTTP',
      checkIntervalSec: 5,
      httpHealthCheck: { port: 10256, requestPath: '/healthz' },
    });
    const [hcPatch] = await healthChecks.patch({
      project,
      healthCheck: 'hc',
      healthCheckResource: { checkIntervalSec: 10 },
    });
    await done(hcPatch, waitGlobal);
    expect((await healthChecks.get({ project, healthCheck: 'hc' }))[0].checkIntervalSec).toBe(10);
    const [hcDelete] = await healthChecks.delete({ project, healthCheck: 'hc' });
    await done(hcDelete, waitGlobal);
    await expect(healthChecks.get({ project, healthCheck: 'hc' })).rejects.toMatchObject({
      message: expect.stringContaining('was not found'),
    });
    const [release] = await addresses.delete({ project, region: 'us-central1', address: 'vip' });
    expect((await done(release, waitRegion)).error).toBeFalsy();
  });
});
