import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestGkeCluster, useTestApp } from '@gke-emulator/testing';

/**
 * Google Cloud resource labels wherever Compute and GKE take them: keys of 1–63 lowercase letters (international
 * ones too), digits, `_` and `-` starting with a letter; values of 0–63 of the same; at most 64. Refused with
 * Google's 400 and words; nothing changes.
 */
const app = useTestApp();
let project: string;
let clusters: string;
const compute = () => `/compute/v1/projects/${project}`;

const KEY_RULE =
  'violates format constraints. The key must start with a lowercase character, can only contain lowercase letters, numeric characters, underscores and dashes. The key can be at most 63 characters long. International characters are allowed.';
const VALUE_RULE =
  'violates format constraints. The value can only contain lowercase letters, numeric characters, underscores and dashes. The value can be at most 63 characters long. International characters are allowed.';

beforeAll(async () => {
  const cluster = await createTestGkeCluster(app.url, { prefix: 'labels', nodes: 1, maxPods: 8 });
  project = cluster.project;
  clusters = `/v1/projects/${project}/locations/us-central1-a/clusters`;
}, 120_000);

function computeError(res: request.Response, message: string) {
  expect(res.status, res.text).toBe(400);
  expect(res.body).toEqual({
    error: { code: 400, message, errors: [{ message, domain: 'global', reason: 'invalid' }] },
  });
}

describe('Compute labels', () => {
  it('addresses.setLabels refuses a bad key, a bad value and 65 labels; takes international ones', async () => {
    await request(app.url).post(`${compute()}/global/addresses`).send({ name: 'a1' }).expect(200);
    const setLabels = (labels: Record<string, string>, labelFingerprint = '42WmSpB8rSM=') =>
      request(app.url).post(`${compute()}/global/addresses/a1/setLabels`).send({ labels, labelFingerprint });

    computeError(
      await setLabels({ KubernetesCluster: 'x' }),
      `Invalid value for field 'labels': ''. Label key 'KubernetesCluster' ${KEY_RULE}`,
    );
    computeError(
      await setLabels({ ['k'.repeat(64)]: 'x' }),
      `Invalid value for field 'labels': ''. Label key '${'k'.repeat(64)}' ${KEY_RULE}`,
    );
    computeError(
      await setLabels({ env: 'head.default' }),
      `Invalid value for field 'labels': ''. Label value 'head.default' ${VALUE_RULE}`,
    );
    computeError(
      await setLabels({ env: 'v'.repeat(64) }),
      `Invalid value for field 'labels': ''. Label value '${'v'.repeat(64)}' ${VALUE_RULE}`,
    );
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, '']));
    expect((await setLabels(many)).status).toBe(400);
    expect((await request(app.url).get(`${compute()}/global/addresses/a1`)).body.labels).toBeUndefined();

    const ok = await setLabels({ équipe: 'données', ['k'.repeat(63)]: '', env: 'v'.repeat(63) });
    expect(ok.status, ok.text).toBe(200);
    const labelled = (await request(app.url).get(`${compute()}/global/addresses/a1`)).body;
    expect(labelled.labels).toEqual({ équipe: 'données', ['k'.repeat(63)]: '', env: 'v'.repeat(63) });
  });

  it('securityPolicies.insert and patch check the labels they are given', async () => {
    computeError(
      await request(app.url)
        .post(`${compute()}/global/securityPolicies`)
        .send({ name: 'sp', labels: { Team: 'a' } }),
      `Invalid value for field 'resource.labels': ''. Label key 'Team' ${KEY_RULE}`,
    );
    await request(app.url).post(`${compute()}/global/securityPolicies`).send({ name: 'sp' }).expect(200);
    const policy = (await request(app.url).get(`${compute()}/global/securityPolicies/sp`)).body;
    computeError(
      await request(app.url)
        .patch(`${compute()}/global/securityPolicies/sp`)
        .send({ fingerprint: policy.fingerprint, labels: { team: 'A' } }),
      `Invalid value for field 'resource.labels': ''. Label value 'A' ${VALUE_RULE}`,
    );
  });
});

describe('GKE resource labels', () => {
  const INVALID_VALUE =
    'It must only contain lowercase letters ([a-z]), numeric characters ([0-9]), underscores (_) and dashes (-). International characters are allowed.';
  const INVALID_KEY =
    'It must only contain lowercase letters ([a-z]), numeric characters ([0-9]), underscores (_) and dashes (-), and must start with a letter. International characters are allowed.';

  function containerError(res: request.Response, message: string) {
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toMatchObject({ code: 400, message, status: 'INVALID_ARGUMENT' });
  }

  it('clusters.create refuses bad resourceLabels and node config resourceLabels before creating anything', async () => {
    const create = (cluster: Record<string, unknown>) =>
      request(app.url)
        .post(clusters)
        .send({ cluster: { name: 'c2', network: 'vpc', subnetwork: 's1', initialNodeCount: 1, ...cluster } });
    containerError(
      await create({ resourceLabels: { env: 'myasset-storeTest' } }),
      `Invalid field 'cluster.resource_labels.value': "myasset-storeTest". ${INVALID_VALUE}`,
    );
    containerError(
      await create({ resourceLabels: { TeleportKubernetesName: 'x' } }),
      `Invalid field 'cluster.resource_labels.key': "TeleportKubernetesName". ${INVALID_KEY}`,
    );
    containerError(
      await create({ nodeConfig: { resourceLabels: { '1st': 'x' } } }),
      `Invalid field 'cluster.node_config.resource_labels.key': "1st". ${INVALID_KEY}`,
    );
    containerError(
      await create({
        initialNodeCount: 0,
        nodePools: [{ name: 'p', initialNodeCount: 1, config: { resourceLabels: { a: 'B' } } }],
      }),
      `Invalid field 'cluster.node_pools[0].config.resource_labels.value': "B". ${INVALID_VALUE}`,
    );
    expect((await request(app.url).get(`${clusters}/c2`)).status).toBe(404);
  });

  it('nodePools.create and update check config resource labels', async () => {
    containerError(
      await request(app.url)
        .post(`${clusters}/c1/nodePools`)
        .send({ nodePool: { name: 'p2', initialNodeCount: 1, config: { resourceLabels: { 'a.b': '' } } } }),
      `Invalid field 'node_pool.config.resource_labels.key': "a.b". ${INVALID_KEY}`,
    );
    containerError(
      await request(app.url)
        .put(`${clusters}/c1/nodePools/default-pool`)
        .send({ resourceLabels: { labels: { team: 'x'.repeat(64) } } }),
      `Invalid field 'resource_labels.labels.value': "${'x'.repeat(64)}". ${INVALID_VALUE}`,
    );
  });

  it('clusters.setResourceLabels checks the labels, then the fingerprint, and replaces the labels', async () => {
    const set = (body: Record<string, unknown>) =>
      request(app.url).post(`${clusters}/c1:setResourceLabels`).send(body);
    const before = (await request(app.url).get(`${clusters}/c1`)).body;
    containerError(
      await set({
        resourceLabels: { TeleportKubernetesName: 'x' },
        labelFingerprint: before.labelFingerprint,
      }),
      `Invalid field 'resource_labels.key': "TeleportKubernetesName". ${INVALID_KEY}`,
    );
    const stale = await set({ resourceLabels: { env: 'dev' } });
    expect(stale.status).toBe(400);
    expect(stale.body.error).toMatchObject({
      code: 400,
      status: 'FAILED_PRECONDITION',
      message: `Labels could not be set due to fingerprint mismatch; try again with the proper fingerprint: incorrect fingerprint supplied was "", the expected one is "${before.labelFingerprint}".`,
      errors: [expect.objectContaining({ reason: 'failedPrecondition' })],
    });

    const op = await set({
      resourceLabels: { env: 'dev', équipe: '' },
      labelFingerprint: before.labelFingerprint,
    });
    expect(op.status, op.text).toBe(200);
    expect(op.body).toMatchObject({ operationType: 'SET_LABELS', status: 'DONE' });
    const after = (await request(app.url).get(`${clusters}/c1`)).body;
    expect(after.resourceLabels).toEqual({ env: 'dev', équipe: '' });
    expect(after.labelFingerprint).not.toBe(before.labelFingerprint);
  });
});
