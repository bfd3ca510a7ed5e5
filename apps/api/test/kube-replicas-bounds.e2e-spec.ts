import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestGkeCluster, useTestApp } from '@gke-emulator/testing';

const app = useTestApp();

const deployment = (name: string, replicas: unknown) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

describe('Deployment replicas: int32 as Kubernetes decodes it, bounded work per write', () => {
  it('refuses what does not fit an int32, with Go decoder`s message', async () => {
    const { kube } = await createTestGkeCluster(app.url, { prefix: 'rep', nodes: 1, maxPods: 8 });
    const deployments = `${kube}/apis/apps/v1/namespaces/default/deployments`;
    for (const [replicas, literal] of [
      [2147483648, '2147483648'],
      [-2147483649, '-2147483649'],
      [0.5, '0.5'],
    ] as const) {
      const res = await request(app.url).post(deployments).send(deployment('big', replicas));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
      expect(res.body.message).toBe(
        `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number ${literal} into Go struct field DeploymentSpec.spec.replicas of type int32`,
      );
    }
    const negative = await request(app.url).post(deployments).send(deployment('neg', -1));
    expect(negative.status).toBe(422);
    expect(negative.body.message).toContain(
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('materialises at most the cluster`s capacity plus 100 Pending pods for replicas: 2147483647', async () => {
    const { kube } = await createTestGkeCluster(app.url, { prefix: 'rep', nodes: 1, maxPods: 8 });
    const deployments = `${kube}/apis/apps/v1/namespaces/default/deployments`;
    const created = await request(app.url).post(deployments).send(deployment('huge', 2147483647));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const pods = await request(app.url)
      .get(`${kube}/api/v1/namespaces/default/pods?labelSelector=app%3Dhuge`)
      .expect(200);
    const items = pods.body.items as { status: { phase: string } }[];
    expect(items).toHaveLength(8 + 100);
    // kube-system's kube-dns pod holds one of the node's 8 slots: 7 of these run.
    expect(items.filter((pod) => pod.status.phase === 'Running')).toHaveLength(7);
    const got = await request(app.url).get(`${deployments}/huge`).expect(200);
    expect(got.body.spec.replicas).toBe(2147483647);
    expect(got.body.status.replicas).toBe(108);
    expect(got.body.status.availableReplicas ?? 0).toBeLessThan(2147483647);
    // Scaling down to what fits removes the Pending surplus; other writes on the cluster were not held up.
    await request(app.url)
      .patch(`${deployments}/huge/scale`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { replicas: 3 } })
      .expect(200);
    const after = await request(app.url)
      .get(`${kube}/api/v1/namespaces/default/pods?labelSelector=app%3Dhuge`)
      .expect(200);
    expect(after.body.items).toHaveLength(3);
  });
});
