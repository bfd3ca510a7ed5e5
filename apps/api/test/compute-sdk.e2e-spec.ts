import {
  GlobalOperationsClient,
  NetworksClient,
  RegionOperationsClient,
  SubnetworksClient,
} from '@google-cloud/compute';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeClientOptions, startTestApp, testProject, type TestApp } from '@gke-emulator/testing';

type Operation = {
  name?: string | null;
  status?: unknown;
  error?: { errors?: { code?: string | null; message?: string | null }[] | null } | null;
};

let app: TestApp;
let options: ConstructorParameters<typeof NetworksClient>[0];
beforeAll(async () => {
  app = await startTestApp();
  options = computeClientOptions(app);
});
afterAll(async () => {
  await app?.close();
});

async function waitGlobal(ops: GlobalOperationsClient, project: string, op: Operation): Promise<Operation> {
  let current = op;
  let polls = 0;
  while (current.status !== 'DONE') {
    [current] = await ops.wait({ project, operation: String(current.name) });
    polls += 1;
    if (polls > 50) throw new Error('operation never finished');
  }
  return current;
}

async function waitRegion(
  ops: RegionOperationsClient,
  project: string,
  region: string,
  op: Operation,
): Promise<Operation> {
  let current = op;
  for (let polls = 0; current.status !== 'DONE'; polls += 1) {
    if (polls > 50) throw new Error('operation never finished');
    [current] = await ops.wait({ project, region, operation: String(current.name) });
  }
  return current;
}

describe('@google-cloud/compute (REST, PassThroughClient)', () => {
  it('creates a network and a subnetwork, polling operations to DONE, and reads them back', async () => {
    const project = testProject('sdk');
    // Operations of this project stay RUNNING for a while, so the client's polling is exercised.
    await request(app.url)
      .patch('/emulator/v1/settings')
      .query({ project })
      .send({ operationDelayMs: 300 })
      .expect(200);
    const networks = new NetworksClient(options);
    const subnetworks = new SubnetworksClient(options);
    const globalOps = new GlobalOperationsClient(options);
    const regionOps = new RegionOperationsClient(options);

    const [netLro] = await networks.insert({
      project,
      networkResource: { name: 'sdk-vpc', autoCreateSubnetworks: false },
    });
    const netOp = netLro.latestResponse as Operation;
    expect(netOp.status).toBe('RUNNING');
    const doneNet = await waitGlobal(globalOps, project, netOp);
    expect(doneNet.error).toBeFalsy();

    const [subLro] = await subnetworks.insert({
      project,
      region: 'us-central1',
      subnetworkResource: {
        name: 'sdk-subnet',
        network: `projects/${project}/global/networks/sdk-vpc`,
        ipCidrRange: '10.10.0.0/24',
        secondaryIpRanges: [{ rangeName: 'pods', ipCidrRange: '10.20.0.0/16' }],
      },
    });
    await waitRegion(regionOps, project, 'us-central1', subLro.latestResponse as Operation);

    const [subnet] = await subnetworks.get({ project, region: 'us-central1', subnetwork: 'sdk-subnet' });
    expect(subnet.gatewayAddress).toBe('10.10.0.1');
    expect(subnet.secondaryIpRanges?.[0]).toMatchObject({ rangeName: 'pods', ipCidrRange: '10.20.0.0/16' });

    const listed: string[] = [];
    for await (const network of networks.listAsync({ project })) listed.push(String(network.name));
    expect(listed).toEqual(['sdk-vpc']);

    const [expandLro] = await subnetworks.expandIpCidrRange({
      project,
      region: 'us-central1',
      subnetwork: 'sdk-subnet',
      subnetworksExpandIpCidrRangeRequestResource: { ipCidrRange: '10.10.0.0/23' },
    });
    await waitRegion(regionOps, project, 'us-central1', expandLro.latestResponse as Operation);
    const [expanded] = await subnetworks.get({ project, region: 'us-central1', subnetwork: 'sdk-subnet' });
    expect(expanded.ipCidrRange).toBe('10.10.0.0/23');

    // Deleting a network in use is refused at once (400), as on Google Cloud.
    await expect(networks.delete({ project, network: 'sdk-vpc' })).rejects.toMatchObject({
      message: expect.stringContaining(`The network resource 'projects/${project}/global/networks/sdk-vpc'`),
    });
  });

  it('surfaces Google errors as client errors with the HTTP status', async () => {
    const project = testProject('sdk');
    const networks = new NetworksClient(options);
    await expect(networks.get({ project, network: 'missing' })).rejects.toMatchObject({
      message: expect.stringContaining(
        `The resource 'projects/${project}/global/networks/missing' was not found`,
      ),
    });
    const subnetworks = new SubnetworksClient(options);
    await expect(
      subnetworks.insert({
        project,
        region: 'us-central1',
        subnetworkResource: { name: 'x', network: 'global/networks/missing', ipCidrRange: '10.0.0.1/24' },
      }),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        `The resource 'projects/${project}/global/networks/missing' was not found`,
      ),
    });
  });
});
