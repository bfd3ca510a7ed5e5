import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

type Json = Record<string, unknown>;
const base = (project: string) => `/compute/v1/projects/${project}`;
const pools = (project: string) => `${base(project)}/regions/us-central1/targetPools`;
const checks = (project: string) => `${base(project)}/global/httpHealthChecks`;
const instance = (project: string, name: string, zone = 'us-central1-a') =>
  `https://www.googleapis.com/compute/v1/projects/${project}/zones/${zone}/instances/${name}`;

/** A link field as the client sees it: rendered against the base URL it used. */
const link = (path: string) => `${app.url}/compute/v1/${path}`;

async function insert(url: string, body: Json) {
  const res = await request(app.url).post(url).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.error, JSON.stringify(res.body)).toBeUndefined();
  return res;
}

describe('httpHealthChecks (legacy)', () => {
  it('inserts with Google defaults, patches and validates', async () => {
    const project = testProject('hhc');
    await insert(checks(project), { name: 'node', port: 10256, requestPath: '/healthz' });
    const got = await request(app.url)
      .get(`${checks(project)}/node`)
      .expect(200);
    expect(got.body).toEqual({
      kind: 'compute#httpHealthCheck',
      id: got.body.id,
      creationTimestamp: got.body.creationTimestamp,
      name: 'node',
      port: 10256,
      requestPath: '/healthz',
      checkIntervalSec: 5,
      timeoutSec: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      selfLink: `${app.url}/compute/v1/projects/${project}/global/httpHealthChecks/node`,
    });
    await request(app.url)
      .patch(`${checks(project)}/node`)
      .send({ checkIntervalSec: 8, timeoutSec: 1, unhealthyThreshold: 3 })
      .expect(200);
    expect((await request(app.url).get(`${checks(project)}/node`)).body).toMatchObject({
      port: 10256,
      checkIntervalSec: 8,
      timeoutSec: 1,
      unhealthyThreshold: 3,
    });
    const bad = await request(app.url).post(checks(project)).send({ name: 'x', requestPath: 'healthz' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      "Invalid value for field 'resource.requestPath': 'healthz'. Must start with '/'.",
    );
    const regional = await request(app.url)
      .post(`${base(project)}/regions/us-central1/httpHealthChecks`)
      .send({ name: 'x' });
    expect(regional.status).toBe(501);
  });
});

describe('targetPools', () => {
  it('inserts with instances and a legacy health check, lists and aggregates', async () => {
    const project = testProject('tp');
    await insert(checks(project), { name: 'node' });
    const op = await insert(pools(project), {
      name: 'pool',
      description: '{"kubernetes.io/service-name":"default/web"}',
      instances: [instance(project, 'a'), `zones/us-central1-b/instances/b`, instance(project, 'a')],
      healthChecks: [`projects/${project}/global/httpHealthChecks/node`],
    });
    expect(op.body.selfLink).toContain('/regions/us-central1/operations/');
    const got = await request(app.url)
      .get(`${pools(project)}/pool`)
      .expect(200);
    expect(got.body).toEqual({
      kind: 'compute#targetPool',
      id: got.body.id,
      creationTimestamp: got.body.creationTimestamp,
      name: 'pool',
      description: '{"kubernetes.io/service-name":"default/web"}',
      instances: [
        link(`projects/${project}/zones/us-central1-a/instances/a`),
        link(`projects/${project}/zones/us-central1-b/instances/b`),
      ],
      healthChecks: [link(`projects/${project}/global/httpHealthChecks/node`)],
      sessionAffinity: 'NONE',
      region: `${app.url}/compute/v1/projects/${project}/regions/us-central1`,
      selfLink: `${app.url}/compute/v1/projects/${project}/regions/us-central1/targetPools/pool`,
    });
    const agg = await request(app.url)
      .get(`${base(project)}/aggregated/targetPools`)
      .expect(200);
    expect(agg.body.kind).toBe('compute#targetPoolAggregatedList');
    expect(agg.body.items['regions/us-central1'].targetPools).toHaveLength(1);
    expect(agg.body.items.global).toBeUndefined();
    const global = await request(app.url)
      .get(`${base(project)}/global/targetPools`)
      .expect(501);
    expect(global.body.error.errors[0].reason).toBe('notImplemented');
    // Google has no patch or update for target pools.
    await request(app.url)
      .patch(`${pools(project)}/pool`)
      .send({ sessionAffinity: 'CLIENT_IP' })
      .expect(501);
  });

  it('adds and removes instances and health checks, sets a backup pool, and keeps references', async () => {
    const project = testProject('tp');
    await insert(checks(project), { name: 'node' });
    await insert(pools(project), { name: 'pool', sessionAffinity: 'CLIENT_IP' });
    await insert(pools(project), { name: 'backup' });
    const verb = (name: string, body: Json, query = '') =>
      request(app.url)
        .post(`${pools(project)}/pool/${name}${query}`)
        .send(body);
    const add = await verb('addInstance', {
      instances: [
        { instance: instance(project, 'a') },
        { instance: instance(project, 'b', 'us-central1-c') },
      ],
    }).expect(200);
    expect(add.body).toMatchObject({ operationType: 'addInstance', status: 'DONE' });
    await verb('removeInstance', { instances: [{ instance: instance(project, 'a') }] }).expect(200);
    await verb('addHealthCheck', { healthChecks: [{ healthCheck: 'global/httpHealthChecks/node' }] }).expect(
      200,
    );
    await verb('setBackup', { target: 'backup' }, '?failoverRatio=0.5').expect(200);
    const got = (await request(app.url).get(`${pools(project)}/pool`)).body;
    expect(got).toMatchObject({
      sessionAffinity: 'CLIENT_IP',
      instances: [link(`projects/${project}/zones/us-central1-c/instances/b`)],
      healthChecks: [link(`projects/${project}/global/httpHealthChecks/node`)],
      backupPool: link(`projects/${project}/regions/us-central1/targetPools/backup`),
      failoverRatio: 0.5,
    });

    const inUse = await request(app.url)
      .delete(`${checks(project)}/node`)
      .expect(400);
    expect(inUse.body.error.errors[0].reason).toBe('resourceInUseByAnotherResource');
    expect(inUse.body.error.message).toBe(
      `The http_health_check resource 'projects/${project}/global/httpHealthChecks/node' is already being used by 'projects/${project}/regions/us-central1/targetPools/pool'`,
    );
    const backupInUse = await request(app.url)
      .delete(`${pools(project)}/backup`)
      .expect(400);
    expect(backupInUse.body.error.errors[0].reason).toBe('resourceInUseByAnotherResource');

    await verb('removeHealthCheck', {
      healthChecks: [{ healthCheck: `projects/${project}/global/httpHealthChecks/node` }],
    }).expect(200);
    await verb('setBackup', {}).expect(200);
    const cleared = (await request(app.url).get(`${pools(project)}/pool`)).body;
    expect(cleared.healthChecks).toBeUndefined();
    expect(cleared.backupPool).toBeUndefined();
    expect((await request(app.url).delete(`${checks(project)}/node`)).body.error).toBeUndefined();
    expect((await request(app.url).delete(`${pools(project)}/backup`)).body.error).toBeUndefined();
  });

  it('validates as Google does', async () => {
    const project = testProject('tp');
    await insert(checks(project), { name: 'node' });
    await insert(`${base(project)}/global/healthChecks`, { name: 'modern', type: 'HTTP' });
    const cases: [Json, number, string][] = [
      [
        { instances: ['a'] },
        400,
        "Invalid value for field 'resource.instances[0]': 'a'. Must be a link to an instance.",
      ],
      [
        { instances: [instance(project, 'a', 'europe-west1-b')] },
        400,
        "Instances of a target pool must be in zones of region 'us-central1'.",
      ],
      [{ healthChecks: ['node', 'node'] }, 400, 'Only one health check may be specified.'],
      [{ healthChecks: ['global/healthChecks/modern'] }, 400, 'Must be a link to one of: httpHealthChecks.'],
      [
        { healthChecks: ['nope'] },
        404,
        `The resource 'projects/${project}/global/httpHealthChecks/nope' was not found`,
      ],
      [{ sessionAffinity: 'GENERATED_COOKIE' }, 400, "Invalid value for field 'resource.sessionAffinity'"],
      [{ failoverRatio: 0.5 }, 400, 'backupPool and failoverRatio must be set together.'],
      [{ failoverRatio: 2, backupPool: 'x' }, 400, "'resource.failoverRatio': '2'. Must be between 0 and 1."],
      [{ failoverRatio: 0.1, backupPool: 'x' }, 404, `projects/${project}/regions/us-central1/targetPools/x`],
    ];
    for (const [body, status, message] of cases) {
      const res = await request(app.url)
        .post(pools(project))
        .send({ name: 'x', ...body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
  });
});
