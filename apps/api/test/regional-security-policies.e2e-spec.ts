import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

const base = (project: string) => `/compute/v1/projects/${project}`;
const regional = (project: string, region = 'us-central1') =>
  `${base(project)}/regions/${region}/securityPolicies`;
const srcIps = (...ranges: string[]) => ({ versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ranges } });

// regionSecurityPolicies mirror securityPolicies: same bodies, rules and errors, a region in links and operations.
describe('regional securityPolicies', () => {
  it('insert, get, list, patch, addRule/getRule/patchRule/removeRule and delete under regions/{r}', async () => {
    const project = testProject('rsp');
    const path = `projects/${project}/regions/us-central1/securityPolicies/armor`;
    const op = await request(app.url)
      .post(regional(project))
      .send({ name: 'armor', description: 'regional', type: 'CLOUD_ARMOR' })
      .expect(200);
    expect(op.body).toMatchObject({ operationType: 'insert', status: 'DONE' });
    expect(op.body.selfLink).toContain(`projects/${project}/regions/us-central1/operations/`);
    expect(op.body.targetLink).toMatch(new RegExp(`${path}$`));

    const got = await request(app.url)
      .get(`${regional(project)}/armor`)
      .expect(200);
    expect(got.body).toMatchObject({
      kind: 'compute#securityPolicy',
      name: 'armor',
      description: 'regional',
      type: 'CLOUD_ARMOR',
    });
    expect(got.body.region).toMatch(new RegExp(`projects/${project}/regions/us-central1$`));
    expect(got.body.selfLink).toMatch(new RegExp(`${path}$`));
    expect(got.body.rules).toHaveLength(1);

    // Scopes are apart: the global collection and another region do not see it; the same name is free there.
    expect(
      (
        await request(app.url)
          .get(`${base(project)}/global/securityPolicies`)
          .expect(200)
      ).body.items,
    ).toBeUndefined();
    await request(app.url)
      .get(`${regional(project, 'europe-west1')}/armor`)
      .expect(404);
    await request(app.url)
      .post(`${base(project)}/global/securityPolicies`)
      .send({ name: 'armor' })
      .expect(200);
    const again = await request(app.url).post(regional(project)).send({ name: 'armor' });
    expect(again.status).toBe(409);

    const list = await request(app.url).get(regional(project)).expect(200);
    expect(list.body.items.map((p: { name: string }) => p.name)).toEqual(['armor']);

    await request(app.url)
      .patch(`${regional(project)}/armor`)
      .send({ description: 'patched', fingerprint: got.body.fingerprint })
      .expect(200);

    const added = await request(app.url)
      .post(`${regional(project)}/armor/addRule`)
      .send({ priority: 100, action: 'deny(403)', match: srcIps('10.0.0.0/8') })
      .expect(200);
    expect(added.body.operationType).toBe('addRule');
    const rule = await request(app.url)
      .get(`${regional(project)}/armor/getRule?priority=100`)
      .expect(200);
    expect(rule.body).toMatchObject({ priority: 100, action: 'deny(403)' });
    await request(app.url)
      .post(`${regional(project)}/armor/patchRule?priority=100`)
      .send({ action: 'allow' })
      .expect(200);
    expect(
      (
        await request(app.url)
          .get(`${regional(project)}/armor/getRule?priority=100`)
          .expect(200)
      ).body.action,
    ).toBe('allow');
    await request(app.url)
      .post(`${regional(project)}/armor/removeRule?priority=100`)
      .expect(200);

    const patched = await request(app.url)
      .get(`${regional(project)}/armor`)
      .expect(200);
    expect(patched.body.description).toBe('patched');
    expect(patched.body.rules).toHaveLength(1);

    const aggregated = await request(app.url)
      .get(`${base(project)}/aggregated/securityPolicies`)
      .expect(200);
    expect(
      aggregated.body.items['regions/us-central1'].securityPolicies.map((p: { name: string }) => p.name),
    ).toEqual(['armor']);
    expect(aggregated.body.items['global'].securityPolicies).toHaveLength(1);

    const del = await request(app.url)
      .delete(`${regional(project)}/armor`)
      .expect(200);
    expect(del.body.selfLink).toContain('/regions/us-central1/operations/');
    await request(app.url)
      .get(`${regional(project)}/armor`)
      .expect(404);
    await request(app.url)
      .get(`${base(project)}/global/securityPolicies/armor`)
      .expect(200);
  });

  it('answers 404 for an unknown region', async () => {
    const project = testProject('rsp');
    await request(app.url).get(regional(project, 'mars-north1')).expect(404);
  });
});
