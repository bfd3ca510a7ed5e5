import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from '@gke-emulator/container';
import { createGcloud, createTestGkeCluster, eventually, useTestApp } from '@gke-emulator/testing';

/**
 * GKE's load balancers on instance groups, through gcloud, kubectl and the REST API: the Ingress and internal
 * passthrough controllers put the cluster's nodes in `k8s-ig--<cluster id>` (a named port per Ingress NodePort),
 * their backend services name it, it follows resizes, refuses deletion while used, and goes with its last user.
 * And events.k8s.io/v1: the controllers' Events in its shape, `kubectl events`, and creates through it.
 */

const run = promisify(execFile);
const has = async (tool: string, args: string[]) =>
  run(tool, args)
    .then(() => true)
    .catch(() => false);
const hasKubectl = await has('kubectl', ['version', '--client']);
const hasGcloud = await has('gcloud', ['--version']);
if (!hasKubectl || !hasGcloud)
  console.warn('kubectl or gcloud is not installed: skipping these end-to-end tests');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

const app = useTestApp();
const ZONE = 'us-central1-a';
const DEADLINE = 120_000;

async function clusterWithKubectl() {
  const cluster = await createTestGkeCluster(app.url, { prefix: 'lbig', nodes: 2 });
  const ca = await app.api.app.get(CertificateAuthority).clusterCaCertificate();
  const server = `https://127.0.0.1:${app.api.kubePort}${cluster.kube}`;
  const name = `gke_${cluster.project}_${ZONE}_c1`;
  const dir = mkdtempSync(join(tmpdir(), 'lb-instance-groups-'));
  writeFileSync(
    join(dir, 'config'),
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server, 'certificate-authority-data': ca } }],
      users: [{ name, user: { token: 'any' } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
    }),
  );
  const kubectl = async (...args: string[]) =>
    (
      await run('kubectl', args, {
        env: { ...process.env, KUBECONFIG: join(dir, 'config') },
        timeout: 60_000,
      })
    ).stdout;
  const gkeCluster = (
    await request(app.url).get(`/v1/projects/${cluster.project}/locations/${ZONE}/clusters/c1`).expect(200)
  ).body as Json;
  return { ...cluster, dir, kubectl, groupName: `k8s-ig--${String(gkeCluster.id).slice(0, 16)}` };
}

const MANIFESTS = `
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata:
  name: ilb
  annotations: { networking.gke.io/load-balancer-type: Internal }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: site }
spec:
  defaultBackend: { service: { name: web, port: { number: 80 } } }
`;

describe.skipIf(!hasKubectl || !hasGcloud)('GKE load balancers on the cluster instance groups', () => {
  it('Ingress and internal LB backends are k8s-ig--<cluster id>; resizes, in-use deletes and cleanup follow GKE', async () => {
    const { project, compute, dir, kubectl, groupName } = await clusterWithKubectl();
    writeFileSync(join(dir, 'lb.yaml'), MANIFESTS);
    await kubectl('apply', '-f', join(dir, 'lb.yaml'));
    const web = JSON.parse(await kubectl('get', 'svc', 'web', '-o', 'json')) as Json;
    const nodePort = Number(web.spec.ports[0].nodePort);
    const ilb = JSON.parse(await kubectl('get', 'svc', 'ilb', '-o', 'json')) as Json;
    const ilbName = `a${String(ilb.metadata.uid).replace(/-/g, '')}`.slice(0, 32);
    const groupPath = `${compute}/zones/${ZONE}/instanceGroups/${groupName}`;

    // The group, with the Ingress's named port, and the backend services naming it.
    const group = await eventually(
      async () => {
        const res = await request(app.url).get(groupPath);
        const named = (res.body.namedPorts ?? []) as Json[];
        return res.status === 200 && named.some((p) => p.port === nodePort) ? (res.body as Json) : undefined;
      },
      'the instance group with the named port',
      DEADLINE,
    );
    expect(group).toMatchObject({
      kind: 'compute#instanceGroup',
      name: groupName,
      size: 2,
      namedPorts: [{ name: `port${nodePort}`, port: nodePort }],
      network: expect.stringMatching(new RegExp(`/projects/${project}/global/networks/vpc$`)),
    });
    expect(group).not.toHaveProperty('description');
    const regional = await eventually(
      async () => {
        const res = await request(app.url).get(`${compute}/regions/us-central1/backendServices/${ilbName}`);
        return res.status === 200 ? (res.body as Json) : undefined;
      },
      'the internal backend service',
      DEADLINE,
    );
    expect(regional.backends).toEqual([
      expect.objectContaining({
        group: expect.stringMatching(new RegExp(`/zones/${ZONE}/instanceGroups/${groupName}$`)),
        balancingMode: 'CONNECTION',
      }),
    ]);
    const global = await eventually(
      async () => {
        const list = (await request(app.url).get(`${compute}/global/backendServices`).expect(200))
          .body as Json;
        return ((list.items ?? []) as Json[]).find((item) => item.portName === `port${nodePort}`);
      },
      'the Ingress backend service',
      DEADLINE,
    );
    expect(global.backends).toEqual([
      expect.objectContaining({
        group: expect.stringMatching(new RegExp(`/zones/${ZONE}/instanceGroups/${groupName}$`)),
        balancingMode: 'RATE',
      }),
    ]);

    // gcloud sees it as an unmanaged group, with the cluster's nodes.
    const gcloud = createGcloud(app.url, project);
    try {
      const listed = await gcloud.json<Json[]>([
        'compute',
        'instance-groups',
        'unmanaged',
        'list',
        `--zones=${ZONE}`,
      ]);
      expect(listed.map((item) => item.name)).toContain(groupName);
      const described = await gcloud.json<Json>([
        'compute',
        'instance-groups',
        'unmanaged',
        'describe',
        groupName,
        `--zone=${ZONE}`,
      ]);
      expect(described.namedPorts).toEqual([{ name: `port${nodePort}`, port: nodePort }]);
      const nodes = (await request(app.url).get(`${compute}/zones/${ZONE}/instances`).expect(200))
        .body as Json;
      const nodeNames = ((nodes.items ?? []) as Json[]).map((node) => String(node.name)).sort();
      const instances = await gcloud.json<Json[]>([
        'compute',
        'instance-groups',
        'unmanaged',
        'list-instances',
        groupName,
        `--zone=${ZONE}`,
      ]);
      expect(instances.map((item) => String(item.instance).split('/').pop()).sort()).toEqual(nodeNames);

      // In use: refused at once, with Google's reason, through REST and gcloud.
      const refused = await request(app.url).delete(groupPath).expect(400);
      expect(refused.body.error.errors[0].reason).toBe('resourceInUseByAnotherResource');
      expect(refused.body.error.message).toContain(`instanceGroups/${groupName}' is already being used by`);
      const gcloudDelete = await gcloud.run([
        'compute',
        'instance-groups',
        'unmanaged',
        'delete',
        groupName,
        `--zone=${ZONE}`,
        '--quiet',
      ]);
      expect(gcloudDelete.code).not.toBe(0);
      expect(gcloudDelete.stderr).toContain('is already being used by');
    } finally {
      gcloud.dispose();
    }

    // A resize: the group holds the new node.
    await request(app.url)
      .post(`/v1/projects/${project}/locations/${ZONE}/clusters/c1/nodePools/default-pool:setSize`)
      .send({ nodeCount: 3 })
      .expect(200);
    await eventually(
      async () => {
        const res = await request(app.url).post(`${groupPath}/listInstances`).expect(200);
        return ((res.body.items ?? []) as Json[]).length === 3 ? true : undefined;
      },
      'the group following the resize',
      DEADLINE,
    );

    // The Ingress goes: the internal load balancer still uses the group, so it stays; then that goes too.
    await kubectl('delete', 'ingress', 'site');
    await eventually(
      async () => {
        const list = (await request(app.url).get(`${compute}/global/backendServices`).expect(200))
          .body as Json;
        return ((list.items ?? []) as Json[]).length === 0 ? true : undefined;
      },
      'the Ingress backend services gone',
      DEADLINE,
    );
    await request(app.url).get(groupPath).expect(200);
    await kubectl('delete', 'svc', 'ilb');
    await eventually(
      async () => ((await request(app.url).get(groupPath)).status === 404 ? true : undefined),
      'the group deleted with its last user',
      DEADLINE,
    );
  }, 600_000);
});

describe.skipIf(!hasKubectl)('events.k8s.io/v1', () => {
  it("serves the controllers' Events in its shape, to kubectl events, and takes creates in its names", async () => {
    const { dir, kubectl } = await clusterWithKubectl();
    writeFileSync(
      join(dir, 'svc.yaml'),
      `apiVersion: v1
kind: Service
metadata: { name: missing, annotations: { networking.gke.io/load-balancer-ip-addresses: no-such-address } }
spec: { type: LoadBalancer, selector: { app: x }, ports: [{ port: 80 }] }
`,
    );
    await kubectl('apply', '-f', join(dir, 'svc.yaml'));
    const failed = await eventually(
      async () => {
        const list = JSON.parse(
          await kubectl(
            'get',
            'events.v1.events.k8s.io',
            '--field-selector',
            'regarding.name=missing',
            '-o',
            'json',
          ),
        ) as Json;
        return (list.items as Json[]).find((item) => item.reason === 'SyncLoadBalancerFailed');
      },
      'SyncLoadBalancerFailed through events.k8s.io',
      DEADLINE,
    );
    expect(failed).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      type: 'Warning',
      regarding: { kind: 'Service', name: 'missing', namespace: 'default' },
      reportingController: 'service-controller',
      deprecatedSource: { component: 'service-controller' },
      deprecatedCount: expect.any(Number),
      note: expect.stringContaining('address "no-such-address" not found'),
    });
    expect(failed).not.toHaveProperty('message');
    expect(failed).not.toHaveProperty('involvedObject');
    expect(failed).toHaveProperty('eventTime', null);

    const events = await kubectl('events', '--for', 'service/missing');
    expect(events).toMatch(
      /Warning\s+SyncLoadBalancerFailed\s+Service\/missing\s+Error syncing load balancer/,
    );

    // A create through events.k8s.io is stored once and read through core/v1 in its names.
    writeFileSync(
      join(dir, 'event.yaml'),
      `apiVersion: events.k8s.io/v1
kind: Event
metadata: { name: hello.1 }
eventTime: "2026-12-07T10:00:00.000000Z"
type: Normal
reason: Greeted
action: Greet
note: hello from events.k8s.io
reportingController: example.com/greeter
reportingInstance: greeter-0
regarding: { kind: Service, name: missing, namespace: default, apiVersion: v1 }
`,
    );
    await kubectl('create', '-f', join(dir, 'event.yaml'));
    const core = JSON.parse(await kubectl('get', 'events', 'hello.1', '-o', 'json')) as Json;
    expect(core).toMatchObject({
      apiVersion: 'v1',
      message: 'hello from events.k8s.io',
      involvedObject: { kind: 'Service', name: 'missing' },
      reportingComponent: 'example.com/greeter',
      action: 'Greet',
    });
    await kubectl('patch', 'events.v1.events.k8s.io', 'hello.1', '--type=merge', '-p', '{"note":"patched"}');
    expect(JSON.parse(await kubectl('get', 'events', 'hello.1', '-o', 'json')).message).toBe('patched');

    // Server-side apply through events.k8s.io: kubectl's fields are owned in its names.
    await kubectl('apply', '--server-side', '-f', join(dir, 'event.yaml'));
    const applied = JSON.parse(
      await kubectl('get', 'events.v1.events.k8s.io', 'hello.1', '-o', 'json', '--show-managed-fields'),
    ) as Json;
    expect(applied.note).toBe('hello from events.k8s.io');
    expect(applied.metadata.managedFields).toContainEqual(
      expect.objectContaining({
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'events.k8s.io/v1',
        fieldsV1: expect.objectContaining({ 'f:note': {} }),
      }),
    );

    // What the API server refuses of an events.k8s.io create.
    writeFileSync(
      join(dir, 'bad.yaml'),
      `apiVersion: events.k8s.io/v1
kind: Event
metadata: { name: bad.1 }
type: Normal
reason: Nope
`,
    );
    const bad = await run('kubectl', ['create', '-f', join(dir, 'bad.yaml')], {
      env: { ...process.env, KUBECONFIG: join(dir, 'config') },
    }).then(
      () => '',
      (error: { stderr?: string }) => String(error.stderr),
    );
    expect(bad).toContain('The Event "bad.1" is invalid');
    expect(bad).toContain('eventTime: Required value');
    expect(bad).toContain('reportingController: Required value');

    await kubectl('delete', 'events.v1.events.k8s.io', 'hello.1');
    const gone = await run('kubectl', ['get', 'events', 'hello.1'], {
      env: { ...process.env, KUBECONFIG: join(dir, 'config') },
    }).then(
      () => '',
      (error: { stderr?: string }) => String(error.stderr),
    );
    expect(gone).toContain('not found');
  }, 300_000);
});
