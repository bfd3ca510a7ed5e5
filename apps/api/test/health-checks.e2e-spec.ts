import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

const base = (project: string) => `/compute/v1/projects/${project}`;

describe('health checks', () => {
  it('inserts global and regional health checks with Google defaults', async () => {
    const project = testProject('hc');
    const op = await request(app.url)
      .post(`${base(project)}/global/healthChecks`)
      .send({ name: 'web', type: 'HTTP' })
      .expect(200);
    expect(op.body).toMatchObject({ operationType: 'insert', status: 'DONE' });
    const got = await request(app.url)
      .get(`${base(project)}/global/healthChecks/web`)
      .expect(200);
    expect(got.body).toEqual({
      kind: 'compute#healthCheck',
      id: got.body.id,
      creationTimestamp: got.body.creationTimestamp,
      name: 'web',
      type: 'HTTP',
      checkIntervalSec: 5,
      timeoutSec: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      httpHealthCheck: {
        port: 80,
        requestPath: '/',
        proxyHeader: 'NONE',
      },
      selfLink: `${app.url}/compute/v1/projects/${project}/global/healthChecks/web`,
    });
    await request(app.url)
      .post(`${base(project)}/regions/us-central1/healthChecks`)
      .send({ name: 'tcp', tcpHealthCheck: { port: 10256 } })
      .expect(200);
    const regional = await request(app.url)
      .get(`${base(project)}/regions/us-central1/healthChecks/tcp`)
      .expect(200);
    expect(regional.body).toMatchObject({
      type: 'TCP',
      tcpHealthCheck: { port: 10256, proxyHeader: 'NONE' },
      region: `${app.url}/compute/v1/projects/${project}/regions/us-central1`,
    });
    const agg = await request(app.url)
      .get(`${base(project)}/aggregated/healthChecks`)
      .expect(200);
    expect(agg.body.kind).toBe('compute#healthCheckAggregatedList');
    expect(agg.body.items.global.healthChecks[0].name).toBe('web');
    expect(agg.body.items['regions/us-central1'].healthChecks[0].name).toBe('tcp');
    const list = await request(app.url)
      .get(`${base(project)}/global/healthChecks`)
      .expect(200);
    expect(list.body.kind).toBe('compute#healthCheckList');
    expect(list.body.items).toHaveLength(1);
  });

  it('patches, updates and deletes', async () => {
    const project = testProject('hc');
    await request(app.url)
      .post(`${base(project)}/global/healthChecks`)
      .send({ name: 'h', type: 'HTTPS' })
      .expect(200);
    await request(app.url)
      .patch(`${base(project)}/global/healthChecks/h`)
      .send({ checkIntervalSec: 30, timeoutSec: 10 })
      .expect(200);
    const patched = await request(app.url)
      .get(`${base(project)}/global/healthChecks/h`)
      .expect(200);
    expect(patched.body).toMatchObject({
      checkIntervalSec: 30,
      timeoutSec: 10,
      httpsHealthCheck: { port: 443 },
    });
    await request(app.url)
      .put(`${base(project)}/global/healthChecks/h`)
      .send({ name: 'h', type: 'TCP' })
      .expect(200);
    const updated = await request(app.url)
      .get(`${base(project)}/global/healthChecks/h`)
      .expect(200);
    expect(updated.body.type).toBe('TCP');
    expect(updated.body.httpsHealthCheck).toBeUndefined();
    expect(updated.body.checkIntervalSec).toBe(5);
    const del = await request(app.url)
      .delete(`${base(project)}/global/healthChecks/h`)
      .expect(200);
    expect(del.body.operationType).toBe('delete');
    await request(app.url)
      .get(`${base(project)}/global/healthChecks/h`)
      .expect(404);
  });

  it('validates as Google does', async () => {
    const project = testProject('hc');
    const cases: [object, number, string][] = [
      [{ name: 'x' }, 400, 'resource.type'],
      [{ name: 'x', type: 'ICMP' }, 400, 'resource.type'],
      [
        { name: 'x', type: 'HTTP', timeoutSec: 10, checkIntervalSec: 5 },
        400,
        'TimeoutSec should be less than or equal to checkIntervalSec.',
      ],
      [{ name: 'x', type: 'HTTP', httpHealthCheck: { port: 70000 } }, 400, 'resource.httpHealthCheck.port'],
      [{ name: 'x', type: 'HTTP', httpHealthCheck: { requestPath: 'healthz' } }, 400, "Must start with '/'"],
      [{ name: 'x', type: 'HTTP', tcpHealthCheck: { port: 1 } }, 400, 'resource.tcpHealthCheck'],
      [{ name: 'x', type: 'HTTP', healthyThreshold: 11 }, 400, 'resource.healthyThreshold'],
      [{ name: 'X', type: 'HTTP' }, 400, 'resource.name'],
      [{ name: 'x', type: 'HTTP', bogus: 1 }, 400, 'Unknown name "bogus"'],
    ];
    for (const [body, status, message] of cases) {
      const res = await request(app.url)
        .post(`${base(project)}/global/healthChecks`)
        .send(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
    await request(app.url)
      .post(`${base(project)}/global/healthChecks`)
      .send({ name: 'dup', type: 'TCP' })
      .expect(200);
    const dup = await request(app.url)
      .post(`${base(project)}/global/healthChecks`)
      .send({ name: 'dup', type: 'TCP' });
    expect(dup.status).toBe(409);
    await request(app.url)
      .get(`${base(project)}/regions/mars-1/healthChecks`)
      .expect(404);
  });

  it('still answers 501 for load-balancing collections the emulator does not implement', async () => {
    const res = await request(app.url)
      .post(`${base(testProject())}/global/externalVpnGateways`)
      .send({ name: 'x' });
    expect(res.status).toBe(501);
    expect(res.body.error.message).toBe(
      "Method 'compute.externalVpnGateways.insert' is not implemented by gke-emulator.",
    );
  });
});
