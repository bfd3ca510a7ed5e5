import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestGkeCluster, dataplaneConverged, useTestApp, useTestWorker } from '@gke-emulator/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

const app = useTestApp();
useTestWorker();

/**
 * A user's unmanaged instance group behind a load balancer: the trace's backends are the instances added to the
 * group (not the zone's nodes), and a change of membership alone reaches the next trace.
 */
describe('Connectivity Tests through a user’s instance group', () => {
  it('reach the group’s members only, and follow addInstances', async () => {
    const { project, compute } = await createTestGkeCluster(app.url, { prefix: 'cig', nodes: 2 });
    const zone = 'us-central1-a';
    const nodes = (
      (await request(app.url).get(`${compute}/zones/${zone}/instances`).expect(200)).body.items as Json[]
    )
      .map((item) => String(item.name))
      .sort();
    expect(nodes).toHaveLength(2);
    const link = (path: string) => `projects/${project}/${path}`;
    const ok = async (pending: request.Test) => {
      const res = await pending;
      expect(res.status, res.text).toBe(200);
      expect(res.body.error, res.text).toBeUndefined();
    };
    const addInstance = (name: string) =>
      ok(
        request(app.url)
          .post(`${compute}/zones/${zone}/instanceGroups/web/addInstances`)
          .send({ instances: [{ instance: link(`zones/${zone}/instances/${name}`) }] }),
      );

    await ok(request(app.url).post(`${compute}/zones/${zone}/instanceGroups`).send({ name: 'web' }));
    await addInstance(nodes[0] as string);
    await ok(
      request(app.url)
        .post(`${compute}/regions/us-central1/healthChecks`)
        .send({ name: 'web-hc', type: 'TCP', tcpHealthCheck: { port: 80 } }),
    );
    await ok(
      request(app.url)
        .post(`${compute}/regions/us-central1/backendServices`)
        .send({
          name: 'web-bs',
          loadBalancingScheme: 'EXTERNAL',
          protocol: 'TCP',
          healthChecks: [link('regions/us-central1/healthChecks/web-hc')],
          backends: [{ group: link(`zones/${zone}/instanceGroups/web`), balancingMode: 'CONNECTION' }],
        }),
    );
    await ok(
      request(app.url)
        .post(`${compute}/regions/us-central1/forwardingRules`)
        .send({
          name: 'web-fr',
          loadBalancingScheme: 'EXTERNAL',
          IPProtocol: 'TCP',
          portRange: '80',
          backendService: link('regions/us-central1/backendServices/web-bs'),
        }),
    );
    const ip = (
      await request(app.url).get(`${compute}/regions/us-central1/forwardingRules/web-fr`).expect(200)
    ).body.IPAddress as string;
    await dataplaneConverged(app.url, project);

    const backendsOf = async (testId: string) => {
      const test = (
        await request(app.url)
          .post(`/networkmanagement/v1/projects/${project}/locations/global/connectivityTests`)
          .query({ testId })
          .send({
            source: { ipAddress: '203.0.113.5' },
            destination: { ipAddress: ip, port: 80 },
            protocol: 'TCP',
          })
          .expect(200)
      ).body as Json;
      const steps = test.response.reachabilityDetails.traces[0].steps as Json[];
      const lb = steps.find((step) => step.state === 'ARRIVE_AT_EXTERNAL_LOAD_BALANCER');
      expect(lb, JSON.stringify(steps)).toBeDefined();
      return (lb?.loadBalancer.backends as Json[]).map((backend) => String(backend.displayName)).sort();
    };
    expect(await backendsOf('one-member')).toEqual([nodes[0]]);

    // Only the group changes: the next trace sees its second member.
    await addInstance(nodes[1] as string);
    expect(await backendsOf('two-members')).toEqual(nodes);
  });
});
