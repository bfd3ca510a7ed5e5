import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestGkeCluster, useTestApp } from '@gke-emulator/testing';

const app = useTestApp();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes objects read loosely in assertions
type Json = Record<string, any>;

/** A VPC-native cluster made through the container API, and the path prefix of its Kubernetes API. */
/** A VPC-native cluster on the subnet's named ranges, and the path prefix of its Kubernetes API. */
function cluster(nodes = 3, maxPods?: number) {
  return createTestGkeCluster(app.url, { prefix: 'kw', nodes, maxPods });
}

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
    },
  },
});

async function pods(kube: string, app_: string): Promise<Json[]> {
  const res = await request(app.url)
    .get(`${kube}/api/v1/namespaces/default/pods?labelSelector=app%3D${app_}`)
    .expect(200);
  return res.body.items;
}

async function slices(kube: string, service: string): Promise<Json[]> {
  const res = await request(app.url)
    .get(
      `${kube}/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${service}`,
    )
    .expect(200);
  return res.body.items;
}

describe('emulated controllers', () => {
  it('a Deployment gets its pods, spread over nodes with IPs from each node`s pod range; scale and delete follow', async () => {
    const { kube } = await cluster(3);
    await request(app.url)
      .post(`${kube}/apis/apps/v1/namespaces/default/deployments`)
      .send(deployment('web', 6))
      .expect(201);
    const created = await pods(kube, 'web');
    expect(created).toHaveLength(6);
    const nodes = (await request(app.url).get(`${kube}/api/v1/nodes`).expect(200)).body.items as Json[];
    const cidrOf = new Map(nodes.map((n) => [n.metadata.name, n.spec.podCIDR as string]));
    const perNode = new Map<string, number>();
    for (const pod of created) {
      expect(pod.status.phase).toBe('Running');
      expect(pod.metadata.name).toMatch(/^web-[a-z0-9]{10}-[a-z0-9]{5}$/);
      expect(pod.metadata.labels['pod-template-hash']).toBeTruthy();
      const prefix = cidrOf.get(pod.spec.nodeName)?.replace(/\.0\/24$/, '.');
      expect(pod.status.podIP.startsWith(prefix)).toBe(true);
      perNode.set(pod.spec.nodeName, (perNode.get(pod.spec.nodeName) ?? 0) + 1);
    }
    expect([...perNode.values()]).toEqual([2, 2, 2]);
    expect(new Set(created.map((p) => p.status.podIP)).size).toBe(6);
    const status = (
      await request(app.url).get(`${kube}/apis/apps/v1/namespaces/default/deployments/web`).expect(200)
    ).body.status;
    expect(status).toMatchObject({ replicas: 6, readyReplicas: 6, availableReplicas: 6, updatedReplicas: 6 });

    await request(app.url)
      .patch(`${kube}/apis/apps/v1/namespaces/default/deployments/web/scale`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { replicas: 2 } })
      .expect(200);
    expect(await pods(kube, 'web')).toHaveLength(2);

    // A deleted pod is replaced, as its ReplicaSet would do.
    const victim = (await pods(kube, 'web'))[0] as Json;
    await request(app.url)
      .delete(`${kube}/api/v1/namespaces/default/pods/${victim.metadata.name}`)
      .expect(200);
    const after = await pods(kube, 'web');
    expect(after).toHaveLength(2);
    expect(after.map((p) => p.metadata.name)).not.toContain(victim.metadata.name);

    await request(app.url).delete(`${kube}/apis/apps/v1/namespaces/default/deployments/web`).expect(200);
    expect(await pods(kube, 'web')).toEqual([]);
  });

  it('Services get a ClusterIP from the services range, NodePorts, and EndpointSlices that follow the pods', async () => {
    const { kube } = await cluster(2);
    const svc = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: {
          type: 'NodePort',
          selector: { app: 'web' },
          ports: [{ name: 'http', port: 80, targetPort: 'http' }],
        },
      })
      .expect(201);
    expect(svc.body.spec.clusterIP).toMatch(/^10\.8\.\d+\.\d+$/);
    expect(svc.body.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect((await slices(kube, 'web'))[0]?.endpoints ?? []).toEqual([]);

    await request(app.url)
      .post(`${kube}/apis/apps/v1/namespaces/default/deployments`)
      .send(deployment('web', 3))
      .expect(201);
    const [slice] = await slices(kube, 'web');
    expect(slice?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice?.endpoints).toHaveLength(3);
    const ips = (await pods(kube, 'web')).map((p) => p.status.podIP).sort();
    expect(slice?.endpoints.map((e: Json) => e.addresses[0]).sort()).toEqual(ips);
    expect(slice?.endpoints[0]).toMatchObject({ conditions: { ready: true }, zone: 'us-central1-a' });

    // Relabel one pod out of the selector: it leaves the slice.
    const pod = (await pods(kube, 'web'))[0] as Json;
    await request(app.url)
      .patch(`${kube}/api/v1/namespaces/default/pods/${pod.metadata.name}`)
      .set('content-type', 'application/merge-patch+json')
      .send({ metadata: { labels: { app: 'other' } } })
      .expect(200);
    // ...and the ReplicaSet does not see it as its own any more only by labels; ours keeps ownership by reference.
    const [again] = await slices(kube, 'web');
    expect(again?.endpoints.map((e: Json) => e.targetRef.name)).not.toContain(pod.metadata.name);

    await request(app.url).delete(`${kube}/api/v1/namespaces/default/services/web`).expect(200);
    expect(await slices(kube, 'web')).toEqual([]);
  });

  it('rejects a ClusterIP outside the range and NodePort collisions with 422 Invalid', async () => {
    const { kube } = await cluster(1);
    const outside = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'a' },
        spec: { clusterIP: '10.99.0.1', ports: [{ port: 80 }] },
      })
      .expect(422);
    expect(outside.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
    expect(outside.body.message).toContain(
      'is not in the valid range. The range of valid IPs is 10.8.0.0/20',
    );

    await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'b' },
        spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] },
      })
      .expect(201);
    const clash = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'c' },
        spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] },
      })
      .expect(422);
    expect(clash.body.message).toContain('provided port is already allocated');
    const out = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'd' },
        spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] },
      })
      .expect(422);
    expect(out.body.message).toContain('30000-32767');
    const taken = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'e' },
        spec: { clusterIP: '10.8.0.77', ports: [{ port: 80 }] },
      })
      .expect(201);
    expect(taken.body.spec.clusterIP).toBe('10.8.0.77');
    const again = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'f' },
        spec: { clusterIP: '10.8.0.77', ports: [{ port: 80 }] },
      })
      .expect(422);
    expect(again.body.message).toContain('provided IP is already allocated');
  });

  it('pods move off nodes the pool loses, and stay Pending when no node has room', async () => {
    const { project, kube } = await cluster(2, 8);
    await request(app.url)
      .post(`${kube}/apis/apps/v1/namespaces/default/deployments`)
      .send(deployment('web', 4))
      .expect(201);
    await request(app.url)
      .post(`/v1/projects/${project}/locations/us-central1-a/clusters/c1/nodePools/default-pool:setSize`)
      .send({ nodeCount: 1 })
      .expect(200);
    const nodes = (await request(app.url).get(`${kube}/api/v1/nodes`).expect(200)).body.items as Json[];
    expect(nodes).toHaveLength(1);
    const moved = await pods(kube, 'web');
    expect(moved).toHaveLength(4);
    expect(new Set(moved.map((p) => p.spec.nodeName))).toEqual(new Set([nodes[0]?.metadata.name]));

    await request(app.url)
      .patch(`${kube}/apis/apps/v1/namespaces/default/deployments/web`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { replicas: 10 } })
      .expect(200);
    // kube-dns, scaled to one replica for one node, holds one of the node's 8 pod slots: 7 of web's 10 run.
    const dns = (
      await request(app.url)
        .get(`${kube}/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns`)
        .expect(200)
    ).body.items as Json[];
    expect(dns.map((p) => p.spec.nodeName)).toEqual([nodes[0]?.metadata.name]);
    const all = await pods(kube, 'web');
    expect(all.filter((p) => p.status.phase === 'Running')).toHaveLength(7);
    const pending = all.filter((p) => p.status.phase === 'Pending');
    expect(pending).toHaveLength(3);
    expect(pending[0]?.status.conditions[0]).toMatchObject({
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
    });
  });

  it('with a podReadyDelayMs setting, pods start Running but not Ready, then turn Ready; endpoints and the Deployment follow', async () => {
    const { project, kube } = await cluster(2);
    await request(app.url)
      .patch(`/emulator/v1/settings?project=${project}`)
      .send({ podReadyDelayMs: 400 })
      .expect(200);
    await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'slow' },
        spec: { selector: { app: 'slow' }, ports: [{ port: 80, targetPort: 8080 }] },
      })
      .expect(201);
    await request(app.url)
      .post(`${kube}/apis/apps/v1/namespaces/default/deployments`)
      .send(deployment('slow', 2))
      .expect(201);
    const early = await pods(kube, 'slow');
    expect(early.map((p) => p.status.phase)).toEqual(['Running', 'Running']);
    const ready = (p: Json) => p.status.conditions.find((c: Json) => c.type === 'Ready').status;
    expect(early.map(ready)).toEqual(['False', 'False']);
    expect((await slices(kube, 'slow'))[0]?.endpoints.map((e: Json) => e.conditions.ready)).toEqual([
      false,
      false,
    ]);

    const deadline = Date.now() + 10_000;
    let later = early;
    while (later.some((p) => ready(p) !== 'True') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      later = await pods(kube, 'slow');
    }
    expect(later.map(ready)).toEqual(['True', 'True']);
    expect(later[0]?.metadata.annotations?.['emulator.gke.dev/ready-at']).toBeUndefined();
    expect((await slices(kube, 'slow'))[0]?.endpoints.map((e: Json) => e.conditions.ready)).toEqual([
      true,
      true,
    ]);
    const status = (
      await request(app.url).get(`${kube}/apis/apps/v1/namespaces/default/deployments/slow`).expect(200)
    ).body.status;
    expect(status).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
  });
});
