import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTestGkeCluster,
  dataplaneConverged,
  eventually,
  startTestApp,
  type TestApp,
  useTestWorker,
} from '@gke-emulator/testing';

/**
 * Saved Connectivity Tests across a restart of the API: the new process follows the worker's data-plane changes
 * from its start (the database keeps tests), so a change made before anyone uses the tests still reruns them.
 */
useTestWorker();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

let app: TestApp | undefined;
afterAll(async () => {
  await app?.close();
});

function running(): TestApp {
  if (!app) throw new Error('the emulator is not running');
  return app;
}

describe('saved Connectivity Tests after a restart', () => {
  it('a firewall change made before any call reruns the stored test: GET answers the new result', async () => {
    app = await startTestApp();
    const { project, compute, kube } = await createTestGkeCluster(running().url, { prefix: 'ctr', nodes: 2 });
    await dataplaneConverged(running().url, project);
    const nodes = (await request(running().url).get(`${kube}/api/v1/nodes`).expect(200)).body.items as Json[];
    const [a, b] = nodes.map(
      (node) => (node.status.addresses as Json[]).find((x) => x.type === 'InternalIP')?.address as string,
    );
    const base = `/networkmanagement/v1/projects/${project}/locations/global`;
    await request(running().url)
      .post(`${base}/connectivityTests`)
      .query({ testId: 'a-to-b' })
      .send({ source: { ipAddress: a }, destination: { ipAddress: b, port: 10250 }, protocol: 'TCP' })
      .expect(200);
    const before = (await request(running().url).get(`${base}/connectivityTests/a-to-b`).expect(200))
      .body as Json;
    expect(before.reachabilityDetails.result).toBe('REACHABLE');

    // A new API process over the same database: nothing touches the tests before the change.
    await running().close();
    app = await startTestApp();
    await request(running().url)
      .post(`${compute}/global/firewalls`)
      .send({
        name: 'deny-a',
        network: 'global/networks/vpc',
        sourceRanges: [`${a}/32`],
        denied: [{ IPProtocol: 'tcp' }],
        priority: 100,
      })
      .expect(200);
    await dataplaneConverged(running().url, project);
    const rerun = await eventually(async () => {
      const test = (await request(running().url).get(`${base}/connectivityTests/a-to-b`).expect(200))
        .body as Json;
      return test.reachabilityDetails.result === 'UNREACHABLE' ? test : undefined;
    }, 'a-to-b to be rerun after the restart');
    const drop = (rerun.reachabilityDetails.traces[0].steps as Json[]).find((step) => step.causesDrop);
    expect(drop).toMatchObject({ state: 'APPLY_INGRESS_FIREWALL_RULE', firewall: { displayName: 'deny-a' } });
    const operations = (await request(running().url).get(`${base}/operations`).expect(200)).body
      .operations as Json[];
    expect(operations.map((op) => op.metadata.verb)).toEqual(['create', 'rerun']);
  });
});
