import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestGkeCluster, dataplaneConverged, useTestApp, useTestWorker } from '@gke-emulator/testing';

const app = useTestApp();
useTestWorker();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

const post = (path: string, body: object) => request(app.url).post(path).send(body).expect(201);

describe('cluster DNS: kube-system/kube-dns and the names it answers', () => {
  it('every cluster has kube-dns at the services range`s .10, with its pods, in kube-proxy`s rules', async () => {
    const { project, kube, dataplane } = await createTestGkeCluster(app.url, { prefix: 'dns', nodes: 2 });
    const service = (
      await request(app.url).get(`${kube}/api/v1/namespaces/kube-system/services/kube-dns`).expect(200)
    ).body as Json;
    expect(service.metadata.labels).toEqual({
      'addonmanager.kubernetes.io/mode': 'Reconcile',
      'k8s-app': 'kube-dns',
      'kubernetes.io/cluster-service': 'true',
      'kubernetes.io/name': 'KubeDNS',
    });
    expect(service.spec).toMatchObject({
      clusterIP: '10.8.0.10',
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
    });
    const deployment = (
      await request(app.url)
        .get(`${kube}/apis/apps/v1/namespaces/kube-system/deployments/kube-dns`)
        .expect(200)
    ).body as Json;
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.status).toMatchObject({ readyReplicas: 2 });
    const pods = (
      await request(app.url)
        .get(`${kube}/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns`)
        .expect(200)
    ).body.items as Json[];
    expect(pods).toHaveLength(2);
    expect(new Set(pods.map((pod) => pod.spec.nodeName)).size).toBe(2);
    const slices = (
      await request(app.url)
        .get(
          `${kube}/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dkube-dns`,
        )
        .expect(200)
    ).body.items as Json[];
    expect(slices.flatMap((slice) => slice.endpoints.map((e: Json) => e.addresses[0])).sort()).toEqual(
      pods.map((pod) => pod.status.podIP).sort(),
    );

    // A user's Service never takes .10 dynamically.
    for (let i = 0; i < 10; i++) {
      await post(`${kube}/api/v1/namespaces/default/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `s${i}` },
        spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
      });
    }
    const ips = (
      (await request(app.url).get(`${kube}/api/v1/namespaces/default/services`).expect(200)).body
        .items as Json[]
    ).map((s) => s.spec.clusterIP);
    expect(ips).not.toContain('10.8.0.10');
    expect(ips).toContain('10.8.0.11');

    await dataplaneConverged(app.url, project);
    const node = pods[0]?.spec.nodeName as string;
    const text = (await request(app.url).get(`${dataplane}/nodes/${node}/iptables`).expect(200)).text;
    // The chain names every cluster's kube-dns has (kube-proxy's hash of the port's name and protocol).
    expect(text).toContain(
      '-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.8.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU',
    );
    expect(text).toContain(
      '-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.8.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4',
    );
    for (const pod of pods) {
      expect(text).toContain(
        `--comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination ${String(pod.status.podIP)}:53`,
      );
    }

    // kube-dns-autoscaler: one replica for one node.
    await request(app.url)
      .post(`/v1/projects/${project}/locations/us-central1-a/clusters/c1/nodePools/default-pool:setSize`)
      .send({ nodeCount: 1 })
      .expect(200);
    const scaled = (
      await request(app.url)
        .get(`${kube}/apis/apps/v1/namespaces/kube-system/deployments/kube-dns`)
        .expect(200)
    ).body as Json;
    expect(scaled.spec.replicas).toBe(1);
  });

  it('answers names as kube-dns does for a pod, with each name of its search path', async () => {
    const { kube, dataplane } = await createTestGkeCluster(app.url, { prefix: 'dns', nodes: 2 });
    await post(`${kube}/api/v1/namespaces`, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop' },
    });
    await post(`${kube}/api/v1/namespaces/shop/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    await post(`${kube}/api/v1/namespaces/shop/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db' },
      spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
    });
    await post(`${kube}/api/v1/namespaces/shop/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'mail' },
      spec: { type: 'ExternalName', externalName: 'smtp.example.com' },
    });
    for (const name of ['db-0', 'client']) {
      await post(`${kube}/api/v1/namespaces/shop/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: name === 'db-0' ? { app: 'db' } : { app: 'client' } },
        spec: {
          ...(name === 'db-0' ? { hostname: 'db-0', subdomain: 'db' } : {}),
          containers: [{ name: 'c', image: 'nginx' }],
        },
      });
    }
    const web = (await request(app.url).get(`${kube}/api/v1/namespaces/shop/services/web`).expect(200))
      .body as Json;
    const db0 = (await request(app.url).get(`${kube}/api/v1/namespaces/shop/pods/db-0`).expect(200))
      .body as Json;
    const dns = (name: string, from?: string) =>
      request(app.url)
        .get(`${dataplane}/dns`)
        .query({ name, ...(from ? { from } : {}) });

    const short = (await dns('web', 'shop/client').expect(200)).body as Json;
    expect(short).toMatchObject({
      from: 'shop/client',
      nameserver: '10.8.0.10',
      dnsPolicy: 'ClusterFirst',
      search: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      ndots: 5,
      rcode: 'NOERROR',
      answeredName: 'web.shop.svc.cluster.local.',
      addresses: [web.spec.clusterIP],
    });
    expect(short.steps).toHaveLength(1);

    const qualified = (await dns('web.shop', 'kube-system/' + (await dnsPod(kube))).expect(200)).body as Json;
    // kube-dns's own pods use their node's resolver (dnsPolicy Default)
    expect(qualified).toMatchObject({
      dnsPolicy: 'Default',
      rcode: 'NXDOMAIN',
      upstream: true,
      addresses: [],
    });

    const fromDefault = (await dns('web.shop')).body as Json;
    expect(fromDefault.steps.map((s: Json) => [s.name, s.rcode])).toEqual([
      ['web.shop.default.svc.cluster.local.', 'NXDOMAIN'],
      ['web.shop.svc.cluster.local.', 'NOERROR'],
    ]);
    expect((await dns('db', 'shop/client').expect(200)).body.addresses).toEqual([db0.status.podIP]);
    expect((await dns('db-0.db', 'shop/client').expect(200)).body.addresses).toEqual([db0.status.podIP]);
    const pod = `${String(db0.status.podIP).replace(/\./g, '-')}.shop.pod`;
    expect((await dns(pod, 'shop/client').expect(200)).body.addresses).toEqual([db0.status.podIP]);
    expect((await dns('mail', 'shop/client').expect(200)).body.records).toEqual([
      { name: 'mail.shop.svc.cluster.local.', type: 'CNAME', ttl: 30, value: 'smtp.example.com.' },
    ]);
    const missing = (await dns('web', 'default/' + 'x').expect(404)).body as Json;
    expect(missing.error.code).toBe(404);
    const nx = (await dns('nope.shop').expect(200)).body as Json;
    expect(nx).toMatchObject({ rcode: 'NXDOMAIN', upstream: true });
    expect(nx.steps[1]).toMatchObject({
      name: 'nope.shop.svc.cluster.local.',
      detail: 'no Service shop/nope',
    });
  });

  it('refuses bad input with Google`s error shape', async () => {
    const { project, dataplane } = await createTestGkeCluster(app.url, { prefix: 'dns', nodes: 1 });
    const missing = (await request(app.url).get(`${dataplane}/dns`).expect(400)).body as Json;
    expect(missing.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(missing.error.message).toContain('name');
    for (const from of ['shop', 'a/b/c', '/x', 'x/']) {
      const bad = (await request(app.url).get(`${dataplane}/dns`).query({ name: 'web', from }).expect(400))
        .body as Json;
      expect(bad.error.message).toContain('from');
    }
    await request(app.url).get(`${dataplane}/dns`).query({ name: 'we b' }).expect(400);
    await request(app.url)
      .get(`/emulator/v1/projects/${project}/locations/us-central1-a/clusters/nope/dns`)
      .query({ name: 'web' })
      .expect(404);
  });
});

async function dnsPod(kube: string): Promise<string> {
  const pods = (
    await request(app.url)
      .get(`${kube}/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns`)
      .expect(200)
  ).body.items as Json[];
  return String(pods[0]?.metadata.name);
}
