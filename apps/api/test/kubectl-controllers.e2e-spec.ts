import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from '@gke-emulator/container';
import { createTestGkeCluster, eventually, useTestApp } from '@gke-emulator/testing';

/**
 * Kubernetes as GKE runs it, through the real kubectl and @kubernetes/client-node: `default/kubernetes`, the
 * ReplicaSets of Deployments, `kubectl create deployment` (a protobuf body), the controllers' Events, and a
 * LoadBalancer Service on a reserved static address.
 */

const run = promisify(execFile);
const hasKubectl = await run('kubectl', ['version', '--client'])
  .then(() => true)
  .catch(() => false);
if (!hasKubectl) console.warn('kubectl is not installed: skipping the kubectl end-to-end tests');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

const app = useTestApp();

/** A cluster through the container API (services range 10.8.0.0/20), and kubectl and client-node aimed at it. */
async function clusterWithClients(options: { nodes?: number; maxPods?: number } = {}) {
  const cluster = await createTestGkeCluster(app.url, { prefix: 'kctl', ...options });
  const ca = await app.api.app.get(CertificateAuthority).clusterCaCertificate();
  const server = `https://127.0.0.1:${app.api.kubePort}${cluster.kube}`;
  const name = `gke_${cluster.project}_us-central1-a_c1`;
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-controllers-'));
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': ca } }],
    users: [{ name, user: { token: 'any' } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  };
  writeFileSync(join(dir, 'config'), JSON.stringify(config));
  const kubectl = async (...args: string[]) =>
    (
      await run('kubectl', args, {
        env: { ...process.env, KUBECONFIG: join(dir, 'config') },
        timeout: 30_000,
      })
    ).stdout;
  const kc = new KubeConfig();
  kc.loadFromFile(join(dir, 'config'));
  return { ...cluster, dir, kubectl, kc };
}

describe.skipIf(!hasKubectl)('Kubernetes as GKE runs it', () => {
  it('default/kubernetes takes the first address of the services range, with the control plane as its endpoint', async () => {
    const { project, kubectl, kc } = await clusterWithClients();
    const all = await kubectl('get', 'svc', '-A');
    expect(all).toMatch(/^default\s+kubernetes\s+ClusterIP\s+10\.8\.0\.1\s+<none>\s+443\/TCP\s+/m);
    const cluster = (
      await request(app.url).get(`/v1/projects/${project}/locations/us-central1-a/clusters/c1`).expect(200)
    ).body as Json;
    const slice = JSON.parse(await kubectl('get', 'endpointslice', 'kubernetes', '-o', 'json')) as Json;
    expect(slice).toMatchObject({
      addressType: 'IPv4',
      endpoints: [
        {
          addresses: [
            cluster.privateClusterConfig.privateEndpoint ?? cluster.privateClusterConfig.publicEndpoint,
          ],
        },
      ],
      ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
      metadata: { labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    });
    // a user Service no longer gets .1
    const core = kc.makeApiClient(CoreV1Api);
    const mine = await core.createNamespacedService({
      namespace: 'default',
      body: { metadata: { name: 'mine2' }, spec: { ports: [{ port: 80 }] } },
    });
    expect(mine.spec?.clusterIP).not.toBe('10.8.0.1');
    expect(mine.spec?.clusterIP).toMatch(/^10\.8\.0\.\d+$/);
  });

  it('kubectl create deployment (protobuf) makes a Deployment whose ReplicaSets kubectl and client-node read, with its events', async () => {
    const { kubectl, kc } = await clusterWithClients();
    expect(
      await kubectl(
        'create',
        'deployment',
        'hello',
        '--image=nginx:1.27',
        '--port=80',
        '--replicas=2',
        '--',
        'sh',
      ),
    ).toBe('deployment.apps/hello created\n');
    expect(await kubectl('create', 'deployment', 'idle', '--image=busybox', '--replicas=0')).toBe(
      'deployment.apps/idle created\n',
    );
    const created = JSON.parse(await kubectl('get', 'deployment', 'hello', '-o', 'json')) as Json;
    expect(created.spec.replicas).toBe(2);
    expect(created.spec.template.spec.containers).toEqual([
      expect.objectContaining({
        name: 'nginx',
        image: 'nginx:1.27',
        command: ['sh'],
        ports: [{ containerPort: 80, protocol: 'TCP' }],
      }),
    ]);
    // an explicit zero (a pointer field) stays zero
    expect(JSON.parse(await kubectl('get', 'deployment', 'idle', '-o', 'json')).spec.replicas).toBe(0);

    const rs = await kubectl('get', 'rs', '-l', 'app=hello');
    expect(rs.split('\n')[0]).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/);
    const [, first] = /^(hello-[a-z0-9]+)\s+2\s+2\s+2\s+/m.exec(rs) ?? [];
    expect(first).toBeTruthy();

    await kubectl('set', 'image', 'deployment/hello', 'nginx=nginx:1.28');
    const apps = kc.makeApiClient(AppsV1Api);
    const sets = await eventually(async () => {
      const list = await apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=hello' });
      return list.items.length === 2 ? list.items : undefined;
    }, 'two ReplicaSets');
    const byRevision = sets.sort(
      (a, b) =>
        Number(a.metadata?.annotations?.['deployment.kubernetes.io/revision']) -
        Number(b.metadata?.annotations?.['deployment.kubernetes.io/revision']),
    );
    expect(byRevision.map((s) => [s.metadata?.name === first, s.spec?.replicas])).toEqual([
      [true, 0],
      [false, 2],
    ]);
    const newest = byRevision[1] as (typeof byRevision)[number];
    expect(newest.metadata?.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'hello',
        uid: created.metadata.uid,
        controller: true,
      }),
    ]);
    expect(newest.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
    const pods = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: 'default', labelSelector: 'app=hello' });
    for (const pod of pods.items) {
      expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        name: newest.metadata?.name,
        uid: newest.metadata?.uid,
      });
    }

    const described = await kubectl('describe', 'deployment', 'hello');
    expect(described).toMatch(
      new RegExp(`NewReplicaSet:\\s+${newest.metadata?.name} \\(2/2 replicas created\\)`),
    );
    expect(described).toMatch(
      new RegExp(
        `Normal\\s+ScalingReplicaSet\\s+\\S+\\s+deployment-controller\\s+Scaled up replica set ${first} from 0 to 2`,
      ),
    );
    expect(described).toMatch(/Scaled down replica set hello-[a-z0-9]+ from 2 to 0/);
    expect(await kubectl('rollout', 'history', 'deployment/hello')).toMatch(/^1\s+<none>\n2\s+<none>/m);

    // a deleted ReplicaSet takes its pods, and the Deployment makes it again
    await kubectl('delete', 'rs', String(newest.metadata?.name));
    const again = await eventually(async () => {
      const list = await apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=hello' });
      const back = list.items.find((s) => s.metadata?.name === newest.metadata?.name);
      return back?.status?.readyReplicas === 2 ? back : undefined;
    }, 'the ReplicaSet back');
    expect(again.metadata?.uid).not.toBe(newest.metadata?.uid);
    const replaced = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: 'default', labelSelector: 'app=hello' });
    expect(replaced.items.map((pod) => pod.metadata?.ownerReferences?.[0]?.uid)).toEqual([
      again.metadata?.uid,
      again.metadata?.uid,
    ]);
    await kubectl('delete', 'deployment', 'hello');
    expect(await kubectl('get', 'rs', '-l', 'app=hello', '-o', 'name')).toBe('');
  });

  it('a pod no node has room for gets a FailedScheduling event from the scheduler', async () => {
    const { kubectl } = await clusterWithClients({ nodes: 1, maxPods: 8 });
    // kube-dns's pod holds one of the node's 8 slots: 7 of big's 8 pods run, one stays Pending.
    await kubectl('create', 'deployment', 'big', '--image=nginx', '--replicas=8');
    const pending = await eventually(async () => {
      const out = await kubectl('get', 'pods', '--field-selector=status.phase=Pending', '-o', 'name');
      return out.trim() || undefined;
    }, 'a pending pod');
    const described = await kubectl('describe', pending.trim());
    expect(described).toMatch(
      /Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/1 nodes are available: 1 Too many pods\. preemption: 0\/1 nodes are available: 1 No preemption victims found for incoming pod\./,
    );
  });

  it('a LoadBalancer Service uses the reserved address it names, and reports its failures as events', async () => {
    const { compute, kubectl, dir } = await clusterWithClients();
    await request(app.url)
      .post(`${compute}/regions/us-central1/addresses`)
      .send({ name: 'web-ip' })
      .expect(200);
    const reserved = (
      await request(app.url).get(`${compute}/regions/us-central1/addresses/web-ip`).expect(200)
    ).body as Json;
    const manifest = (name: string, extra: string) => `
apiVersion: v1
kind: Service
metadata:
  name: ${name}
${extra}
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
`;
    writeFileSync(
      join(dir, 'by-ip.yaml'),
      manifest('by-ip', `spec:\n  type: LoadBalancer\n  loadBalancerIP: ${String(reserved.address)}`),
    );
    writeFileSync(
      join(dir, 'missing.yaml'),
      manifest(
        'missing',
        `  annotations: { networking.gke.io/load-balancer-ip-addresses: no-such-address }\nspec:\n  type: LoadBalancer`,
      ),
    );
    await kubectl('apply', '-f', join(dir, 'by-ip.yaml'), '-f', join(dir, 'missing.yaml'));
    const ip = await eventually(async () => {
      const svc = JSON.parse(await kubectl('get', 'svc', 'by-ip', '-o', 'json')) as Json;
      return svc.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined;
    }, 'the static IP on the Service');
    expect(ip).toBe(reserved.address);
    const address = (
      await request(app.url).get(`${compute}/regions/us-central1/addresses/web-ip`).expect(200)
    ).body as Json;
    expect(address.status).toBe('IN_USE');
    const described = await eventually(async () => {
      const out = await kubectl('describe', 'svc', 'by-ip');
      return /EnsuredLoadBalancer/.test(out) ? out : undefined;
    }, 'EnsuredLoadBalancer');
    expect(described).toMatch(
      /Normal\s+EnsuringLoadBalancer\s+\S+\s+service-controller\s+Ensuring load balancer/,
    );
    expect(described).toMatch(
      /Normal\s+EnsuredLoadBalancer\s+\S+\s+service-controller\s+Ensured load balancer/,
    );
    const failed = await eventually(async () => {
      const out = await kubectl('describe', 'svc', 'missing');
      return /SyncLoadBalancerFailed/.test(out) ? out : undefined;
    }, 'SyncLoadBalancerFailed');
    // The controller retries with backoff, so the event may have counted up already (`0s (x2 over 1s)`).
    expect(failed).toMatch(
      /Warning\s+SyncLoadBalancerFailed\s+\S+(?: \(x\d+ over \S+\))?\s+service-controller\s+Error syncing load balancer: failed to ensure load balancer: address "no-such-address" not found/,
    );
    expect(await kubectl('get', 'svc', 'missing')).toMatch(/<pending>/);

    // the reserved address outlives the Service
    await kubectl('delete', 'svc', 'by-ip');
    await eventually(async () => {
      const res = await request(app.url).get(`${compute}/regions/us-central1/addresses/web-ip`).expect(200);
      return res.body.status === 'RESERVED' ? true : undefined;
    }, 'the address released');
  });
});
