import { createHash } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

type Json = Record<string, unknown>;
const base = (project: string) => `/compute/v1/projects/${project}`;
const global = (project: string) => `${base(project)}/global/backendServices`;
const regional = (project: string) => `${base(project)}/regions/us-central1/backendServices`;

/** A link field as the client sees it: rendered against the base URL it used. */
const link = (path: string) => `${app.url}/compute/v1/${path}`;

async function insert(url: string, body: Json) {
  const res = await request(app.url).post(url).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.error, JSON.stringify(res.body)).toBeUndefined();
  return res;
}

/** A fresh project with a global and a regional (us-central1) HTTP health check, both named `hc`. */
async function setup(prefix = 'bs') {
  const project = testProject(prefix);
  await insert(`${base(project)}/global/healthChecks`, { name: 'hc', type: 'HTTP' });
  await insert(`${base(project)}/regions/us-central1/healthChecks`, { name: 'hc', type: 'TCP' });
  return project;
}

function expectError(res: request.Response, status: number, message: string, reason = 'invalid') {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.errors[0].reason).toBe(reason);
  expect(res.body.error.message).toContain(message);
}

describe('backendServices', () => {
  it('inserts a global backend service with Google defaults and the health check as a link', async () => {
    const project = await setup();
    const op = await insert(global(project), { name: 'web', healthChecks: ['hc'] });
    expect(op.body).toMatchObject({ operationType: 'insert', status: 'DONE' });
    const got = await request(app.url)
      .get(`${global(project)}/web`)
      .expect(200);
    expect(got.body).toEqual({
      kind: 'compute#backendService',
      id: got.body.id,
      creationTimestamp: got.body.creationTimestamp,
      name: 'web',
      description: '',
      protocol: 'HTTP',
      loadBalancingScheme: 'EXTERNAL',
      port: 80,
      portName: 'http',
      timeoutSec: 30,
      sessionAffinity: 'NONE',
      affinityCookieTtlSec: 0,
      connectionDraining: { drainingTimeoutSec: 0 },
      enableCDN: false,
      healthChecks: [link(`projects/${project}/global/healthChecks/hc`)],
      fingerprint: expect.stringMatching(/^[-_A-Za-z0-9]{11}=$/),
      selfLink: `${app.url}/compute/v1/projects/${project}/global/backendServices/web`,
    });
  });

  it('inserts regional INTERNAL services with CONNECTION backends and regional or global health checks', async () => {
    const project = await setup();
    await insert(regional(project), {
      name: 'ilb',
      loadBalancingScheme: 'INTERNAL',
      protocol: 'TCP',
      healthChecks: [`https://www.googleapis.com/compute/v1/projects/${project}/global/healthChecks/hc`],
      backends: [{ group: `zones/us-central1-a/instanceGroups/k8s-ig` }],
    });
    const got = await request(app.url)
      .get(`${regional(project)}/ilb`)
      .expect(200);
    expect(got.body).toMatchObject({
      loadBalancingScheme: 'INTERNAL',
      protocol: 'TCP',
      timeoutSec: 30,
      sessionAffinity: 'NONE',
      connectionDraining: { drainingTimeoutSec: 0 },
      healthChecks: [link(`projects/${project}/global/healthChecks/hc`)],
      backends: [
        {
          balancingMode: 'CONNECTION',
          group: link(`projects/${project}/zones/us-central1-a/instanceGroups/k8s-ig`),
        },
      ],
      region: `${app.url}/compute/v1/projects/${project}/regions/us-central1`,
    });
    // Passthrough load balancers have no proxy port, cookies or CDN.
    for (const field of ['port', 'portName', 'affinityCookieTtlSec', 'enableCDN'])
      expect(got.body[field]).toBeUndefined();
    expect(got.body.backends[0].capacityScaler).toBeUndefined();

    await insert(regional(project), {
      name: 'regional-hc',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      healthChecks: ['hc'],
      backends: [{ group: `projects/${project}/zones/us-central1-b/networkEndpointGroups/neg` }],
    });
    const managed = await request(app.url)
      .get(`${regional(project)}/regional-hc`)
      .expect(200);
    expect(managed.body).toMatchObject({
      protocol: 'HTTP',
      port: 80,
      portName: 'http',
      healthChecks: [link(`projects/${project}/regions/us-central1/healthChecks/hc`)],
      backends: [{ balancingMode: 'UTILIZATION', capacityScaler: 1 }],
    });
    const wrongScope = await request(app.url)
      .post(regional(project))
      .send({
        name: 'x',
        loadBalancingScheme: 'INTERNAL_MANAGED',
        healthChecks: [`projects/${project}/global/healthChecks/hc`],
      });
    expectError(wrongScope, 400, "The health check must be in region 'us-central1'.");

    const agg = await request(app.url)
      .get(`${base(project)}/aggregated/backendServices`)
      .expect(200);
    expect(agg.body.kind).toBe('compute#backendServiceAggregatedList');
    expect(agg.body.items['regions/us-central1'].backendServices.map((b: Json) => b['name'])).toEqual([
      'ilb',
      'regional-hc',
    ]);
    expect(agg.body.items.global.warning.code).toBe('NO_RESULTS_ON_PAGE');
    const list = await request(app.url).get(regional(project)).expect(200);
    expect(list.body.kind).toBe('compute#backendServiceList');
    expect(list.body.items).toHaveLength(2);
  });

  it('patches (checking the fingerprint), updates and deletes', async () => {
    const project = await setup();
    await insert(global(project), { name: 'web', healthChecks: ['hc'], timeoutSec: 10 });
    const before = (await request(app.url).get(`${global(project)}/web`)).body;
    // What KCC sends: the object as read, with one change.
    const patched = await request(app.url)
      .patch(`${global(project)}/web`)
      .send({ ...before, description: 'updated', customRequestHeaders: [] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const after = (await request(app.url).get(`${global(project)}/web`)).body;
    expect(after).toMatchObject({
      description: 'updated',
      timeoutSec: 10,
      healthChecks: before.healthChecks,
    });
    expect(after.customRequestHeaders).toBeUndefined();
    expect(after.fingerprint).not.toBe(before.fingerprint);
    const stale = await request(app.url)
      .patch(`${global(project)}/web`)
      .send({ description: 'again', fingerprint: before.fingerprint });
    expectError(
      stale,
      412,
      'Supplied fingerprint does not match current metadata fingerprint.',
      'conditionNotMet',
    );

    await request(app.url)
      .put(`${global(project)}/web`)
      .send({ name: 'web', protocol: 'HTTPS', fingerprint: after.fingerprint })
      .expect(200);
    const updated = (await request(app.url).get(`${global(project)}/web`)).body;
    expect(updated).toMatchObject({ protocol: 'HTTPS', timeoutSec: 30, description: '' });
    expect(updated.healthChecks).toBeUndefined();

    const del = await request(app.url)
      .delete(`${global(project)}/web`)
      .expect(200);
    expect(del.body).toMatchObject({ operationType: 'delete', status: 'DONE' });
    expect(del.body.error).toBeUndefined();
    await request(app.url)
      .get(`${global(project)}/web`)
      .expect(404);
  });

  it('validates as Google does', async () => {
    const project = await setup();
    const cases: [Json, number, string][] = [
      [{ protocol: 'FTP' }, 400, "Invalid value for field 'resource.protocol': 'FTP'. Must be one of ["],
      [
        { loadBalancingScheme: 'NOPE' },
        400,
        "Invalid value for field 'resource.loadBalancingScheme': 'NOPE'.",
      ],
      [{ loadBalancingScheme: 'INTERNAL', protocol: 'TCP' }, 400, 'must be regional'],
      [
        { protocol: 'UDP' },
        400,
        "Invalid value for field 'resource.protocol': 'UDP'. Protocol UDP is not supported",
      ],
      [{ healthChecks: ['hc', 'hc'] }, 400, 'At most one health check'],
      [
        { healthChecks: ['nope'] },
        404,
        `The resource 'projects/${project}/global/healthChecks/nope' was not found`,
      ],
      [{ healthChecks: ['global/firewalls/x'] }, 400, "Invalid value for field 'resource.healthChecks[0]'"],
      [{ timeoutSec: 0 }, 400, "Invalid value for field 'resource.timeoutSec': '0'. Must be between 1 and"],
      [{ sessionAffinity: 'STICKY' }, 400, "Invalid value for field 'resource.sessionAffinity': 'STICKY'."],
      [
        { connectionDraining: { drainingTimeoutSec: 4000 } },
        400,
        "'resource.connectionDraining.drainingTimeoutSec'",
      ],
      [{ backends: [{}] }, 400, "Required field 'resource.backends[0].group' not specified"],
      [{ backends: [{ group: 'ig' }] }, 400, "Invalid value for field 'resource.backends[0].group': 'ig'."],
      [
        { backends: [{ group: 'zones/us-central1-a/instanceGroups/ig', capacityScaler: 2 }] },
        400,
        "Invalid value for field 'resource.backends[0].capacityScaler': '2'. Must be between 0 and 1.",
      ],
      [
        { backends: [{ group: 'zones/us-central1-a/instanceGroups/ig', capacityScaler: 'x' }] },
        400,
        "Invalid value at 'resource.backends[0].capacityScaler' (TYPE_FLOAT)",
      ],
      [{ enableCDN: true, protocol: 'TCP' }, 400, "Invalid value for field 'resource.enableCDN'"],
      [
        { securityPolicy: 'nope' },
        404,
        `The resource 'projects/${project}/global/securityPolicies/nope' was not found`,
      ],
      [{ bogus: 1 }, 400, 'Unknown name "bogus"'],
      [{ name: 'Bad' }, 400, "Invalid value for field 'resource.name': 'Bad'"],
    ];
    for (const [body, status, message] of cases) {
      const res = await request(app.url)
        .post(global(project))
        .send({ name: 'x', ...body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
    const regionalCases: [Json, string][] = [
      [{ loadBalancingScheme: 'INTERNAL' }, "Invalid value for field 'resource.protocol': 'HTTP'."],
      [
        {
          loadBalancingScheme: 'INTERNAL',
          protocol: 'TCP',
          backends: [{ group: 'zones/us-central1-a/instanceGroups/ig', balancingMode: 'UTILIZATION' }],
        },
        'Balancing mode must be CONNECTION',
      ],
      [
        { loadBalancingScheme: 'INTERNAL', protocol: 'TCP', securityPolicy: 'p' },
        "Invalid value for field 'resource.securityPolicy': 'p'. Security policies are not supported",
      ],
    ];
    for (const [body, message] of regionalCases) {
      const res = await request(app.url)
        .post(regional(project))
        .send({ name: 'x', ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
    await insert(global(project), { name: 'dup' });
    expectError(
      await request(app.url).post(global(project)).send({ name: 'dup' }),
      409,
      `The resource 'projects/${project}/global/backendServices/dup' already exists`,
      'alreadyExists',
    );
  });

  it('keeps a health check in use while a backend service refers to it', async () => {
    const project = await setup();
    await insert(global(project), { name: 'web', healthChecks: ['hc'] });
    const del = await request(app.url)
      .delete(`${base(project)}/global/healthChecks/hc`)
      .expect(400);
    // computeurlmap (real log): refused at once, health checks named in Google's internal form.
    expect(del.body.error.errors[0].reason).toBe('resourceInUseByAnotherResource');
    expect(del.body.error.message).toMatch(
      /^The health_check resource 'GLOBAL:global\/PROJECT:\d+\/HEALTH_CHECK:hc' is already being used by 'GLOBAL:global\/PROJECT:\d+\/BACKEND_SERVICE:web'$/,
    );
    await request(app.url)
      .get(`${base(project)}/global/healthChecks/hc`)
      .expect(200);
    // Replacing the health check list frees it.
    await request(app.url)
      .patch(`${global(project)}/web`)
      .send({ healthChecks: [] })
      .expect(200);
    const ok = await request(app.url)
      .delete(`${base(project)}/global/healthChecks/hc`)
      .expect(200);
    expect(ok.body.error).toBeUndefined();
  });

  it('attaches and detaches a security policy with setSecurityPolicy; the policy is in use meanwhile', async () => {
    const project = await setup();
    await insert(`${base(project)}/global/securityPolicies`, { name: 'armor' });
    await insert(global(project), { name: 'web' });
    const op = await request(app.url)
      .post(`${global(project)}/web/setSecurityPolicy`)
      .send({ securityPolicy: `projects/${project}/global/securityPolicies/armor` })
      .expect(200);
    expect(op.body).toMatchObject({ operationType: 'setSecurityPolicy', status: 'DONE' });
    const got = (await request(app.url).get(`${global(project)}/web`)).body;
    expect(got.securityPolicy).toEqual(link(`projects/${project}/global/securityPolicies/armor`));
    const del = await request(app.url)
      .delete(`${base(project)}/global/securityPolicies/armor`)
      .expect(200);
    expect(del.body.error.errors[0].code).toBe('RESOURCE_IN_USE_BY_ANOTHER_RESOURCE');
    expect(del.body.error.errors[0].message).toContain(`projects/${project}/global/backendServices/web`);

    const bad = await request(app.url)
      .post(`${global(project)}/web/setSecurityPolicy`)
      .send({ policy: 'armor' });
    expectError(bad, 400, 'Unknown name "policy" at \'securityPolicyReferenceResource\'');
    await request(app.url)
      .post(`${global(project)}/web/setSecurityPolicy`)
      .send({})
      .expect(200);
    const cleared = (await request(app.url).get(`${global(project)}/web`)).body;
    expect(cleared.securityPolicy).toBeUndefined();
    expect(cleared.fingerprint).not.toBe(got.fingerprint);
    const freed = await request(app.url)
      .delete(`${base(project)}/global/securityPolicies/armor`)
      .expect(200);
    expect(freed.body.error).toBeUndefined();
  });

  it('keeps IAP settings, returning the SHA-256 of the client secret instead of the secret', async () => {
    const project = await setup();
    await insert(global(project), {
      name: 'iap',
      protocol: 'HTTPS',
      iap: { enabled: true, oauth2ClientId: 'client', oauth2ClientSecret: 'secret' },
    });
    const got = (await request(app.url).get(`${global(project)}/iap`)).body;
    const sha = createHash('sha256').update('secret').digest('hex');
    expect(got.iap).toEqual({ enabled: true, oauth2ClientId: 'client', oauth2ClientSecretSha256: sha });
    await request(app.url)
      .patch(`${global(project)}/iap`)
      .send({ iap: { ...got.iap, enabled: false } })
      .expect(200);
    const patched = (await request(app.url).get(`${global(project)}/iap`)).body;
    expect(patched.iap).toEqual({ enabled: false, oauth2ClientId: 'client', oauth2ClientSecretSha256: sha });
  });
});
