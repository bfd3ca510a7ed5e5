import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type V1Pod,
} from '@kubernetes/client-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { eventually, executableAvailable, testProject, useTestApp } from '@gke-emulator/testing';

/**
 * `@kubernetes/client-node` 1.4.0 against the TLS listener, configured the way get-credentials does it: the
 * cluster's `endpoint` (with its path) as `https://` server and `masterAuth.clusterCaCertificate` as CA.
 */

const app = useTestApp();

/** A cluster made through the container API, and a KubeConfig aimed at it from what the API reports. */
async function kubeConfigForNewCluster(): Promise<KubeConfig> {
  const project = testProject('kcn');
  const compute = `/compute/v1/projects/${project}`;
  await request(app.url)
    .post(`${compute}/global/networks`)
    .send({ name: 'vpc', autoCreateSubnetworks: false })
    .expect(200);
  await request(app.url)
    .post(`${compute}/regions/us-central1/subnetworks`)
    .send({ name: 's1', network: 'vpc', ipCidrRange: '10.0.0.0/24' })
    .expect(200);
  const clusters = `/v1/projects/${project}/locations/us-central1-a/clusters`;
  await request(app.url)
    .post(clusters)
    .send({ cluster: { name: 'c1', network: 'vpc', subnetwork: 's1', initialNodeCount: 2 } })
    .expect(200);
  const cluster = (await request(app.url).get(`${clusters}/c1`).expect(200)).body;
  expect(cluster.endpoint).toBe(`127.0.0.1:${app.api.kubePort}/k8s/${project}/us-central1-a/c1`);

  const kc = new KubeConfig();
  const name = `gke_${project}_us-central1-a_c1`;
  kc.loadFromOptions({
    clusters: [
      {
        name,
        server: `https://${cluster.endpoint}`,
        caData: cluster.masterAuth.clusterCaCertificate,
        skipTLSVerify: false,
      },
    ],
    users: [{ name, token: 'any-token' }],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return kc;
}

describe('@kubernetes/client-node over TLS with the cluster CA', () => {
  it('creates a deployment, lists its pods by label, watches them scale, serves services, patches and deletes', async () => {
    const kc = await kubeConfigForNewCluster();
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const namespace = 'default';

    const created = await apps.createNamespacedDeployment({
      namespace,
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'hello', labels: { app: 'hello' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'hello' } },
          template: {
            metadata: { labels: { app: 'hello' } },
            spec: {
              containers: [{ name: 'hello', image: 'hello-app:2.0', ports: [{ containerPort: 8080 }] }],
            },
          },
        },
      },
    });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.spec?.replicas).toBe(2);

    const pods = await eventually(async () => {
      const list = await core.listNamespacedPod({ namespace, labelSelector: 'app=hello' });
      return list.items.length === 2 ? list.items : undefined;
    }, '2 pods');
    for (const pod of pods) {
      expect(pod.metadata?.name).toMatch(/^hello-[a-z0-9]+-[a-z0-9]{5}$/);
      expect(pod.metadata?.labels).toMatchObject({ app: 'hello' });
      expect(pod.spec?.nodeName).toMatch(/^gke-c1-default-pool-/);
    }
    const others = await core.listNamespacedPod({ namespace, labelSelector: 'app=other' });
    expect(others.items).toEqual([]);

    // a watch from the list's resourceVersion sees the new pods ADDED when the deployment scales
    const seen: { type: string; pod: V1Pod }[] = [];
    let watchError: unknown;
    const listed = await core.listNamespacedPod({ namespace, labelSelector: 'app=hello' });
    const controller = await new Watch(kc).watch(
      `/api/v1/namespaces/${namespace}/pods`,
      { labelSelector: 'app=hello', resourceVersion: listed.metadata?.resourceVersion },
      (type, pod: V1Pod) => seen.push({ type, pod }),
      (error) => (watchError = error),
    );
    try {
      await apps.patchNamespacedDeploymentScale(
        { name: 'hello', namespace, body: { spec: { replicas: 4 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      const added = await eventually(() => {
        const names = new Set(seen.filter((e) => e.type === 'ADDED').map((e) => e.pod.metadata?.name));
        return names.size >= 2 ? names : undefined;
      }, 'two ADDED events');
      for (const pod of pods) expect(added.has(pod.metadata?.name)).toBe(false);
      expect(watchError ?? null).toBeNull();
    } finally {
      controller.abort();
    }
    expect((await core.listNamespacedPod({ namespace, labelSelector: 'app=hello' })).items).toHaveLength(4);

    const service = await core.createNamespacedService({
      namespace,
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'hello' },
        spec: { type: 'NodePort', selector: { app: 'hello' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    });
    expect(service.spec?.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const read = await core.readNamespacedService({ name: 'hello', namespace });
    expect(read.spec?.ports?.[0]).toMatchObject({ port: 80, protocol: 'TCP' });
    expect(read.spec?.ports?.[0]?.nodePort).toBeGreaterThanOrEqual(30000);
    expect(read.spec?.ports?.[0]?.targetPort).toBe(8080);

    const patched = await apps.patchNamespacedDeployment(
      { name: 'hello', namespace, body: { metadata: { labels: { tier: 'web' } }, spec: { replicas: 1 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.metadata?.labels).toEqual({ app: 'hello', tier: 'web' });
    expect(patched.spec?.replicas).toBe(1);
    await eventually(async () => {
      const list = await core.listNamespacedPod({ namespace, labelSelector: 'app=hello' });
      return list.items.length === 1 ? true : undefined;
    }, 'the deployment to scale down to 1 pod');

    const servicePatched = await core.patchNamespacedService(
      { name: 'hello', namespace, body: { metadata: { annotations: { owner: 'sdk' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(servicePatched.metadata?.annotations).toMatchObject({ owner: 'sdk' });

    await core.deleteNamespacedService({ name: 'hello', namespace });
    await apps.deleteNamespacedDeployment({ name: 'hello', namespace });
    await expect(apps.readNamespacedDeployment({ name: 'hello', namespace })).rejects.toMatchObject({
      code: 404,
    });
    await expect(core.readNamespacedService({ name: 'hello', namespace })).rejects.toMatchObject({
      code: 404,
    });
    await eventually(async () => {
      const list = await core.listNamespacedPod({ namespace, labelSelector: 'app=hello' });
      return list.items.length === 0 ? true : undefined;
    }, 'the pods to go');
  });

  it('refuses a server certificate it cannot verify without the cluster CA', async () => {
    const kc = await kubeConfigForNewCluster();
    const cluster = kc.getCurrentCluster();
    const bare = new KubeConfig();
    bare.loadFromOptions({
      clusters: [{ name: 'bare', server: cluster?.server, skipTLSVerify: false }],
      users: [{ name: 'bare', token: 'any-token' }],
      contexts: [{ name: 'bare', cluster: 'bare', user: 'bare' }],
      currentContext: 'bare',
    });
    await expect(bare.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' })).rejects.toThrow(
      /certificate/i,
    );
  });

  it.skipIf(!executableAvailable('gke-gcloud-auth-plugin'))(
    "loads get-credentials' kubeconfig as it is and authenticates through gke-gcloud-auth-plugin",
    async () => {
      const current = (await kubeConfigForNewCluster()).getCurrentCluster();
      const dir = mkdtempSync(join(tmpdir(), 'kcn-'));
      try {
        writeFileSync(join(dir, 'token'), 'any-token\n');
        const name = current?.name as string;
        const kc = new KubeConfig();
        kc.loadFromString(
          stringify({
            apiVersion: 'v1',
            kind: 'Config',
            clusters: [
              {
                name,
                cluster: { server: current?.server, 'certificate-authority-data': current?.caData },
              },
            ],
            users: [
              {
                name,
                user: {
                  exec: {
                    apiVersion: 'client.authentication.k8s.io/v1beta1',
                    command: 'gke-gcloud-auth-plugin',
                    provideClusterInfo: true,
                    // what `eval "$(gke-emulator env)"` puts in the shell
                    env: [
                      { name: 'CLOUDSDK_CONFIG', value: dir },
                      { name: 'CLOUDSDK_AUTH_ACCESS_TOKEN_FILE', value: join(dir, 'token') },
                    ],
                  },
                },
              },
            ],
            contexts: [{ name, context: { cluster: name, user: name } }],
            'current-context': name,
          }),
        );
        const nodes = await kc.makeApiClient(CoreV1Api).listNode();
        expect(nodes.items.map((n) => n.metadata?.name)).toHaveLength(2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
