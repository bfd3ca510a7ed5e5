import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { IngressController, LoadBalancerController } from '@gke-emulator/kube';
import { createTestGkeCluster, eventually, startTestApp, type TestApp } from '@gke-emulator/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

let app: TestApp | undefined;
afterAll(async () => {
  await app?.close();
});

function running(): TestApp {
  if (!app) throw new Error('the emulator is not running');
  return app;
}

/** A read with links made independent of the port the emulator listens on (a restart picks a new one). */
async function get(path: string): Promise<Json> {
  const { url } = running();
  const text = (await request(url).get(path).expect(200)).text;
  return JSON.parse(text.split(url).join('http://emulator')) as Json;
}

/** Waits until both controllers have nothing left to do, including what their own writes asked for. */
async function settled(): Promise<void> {
  const { api } = running();
  for (let pass = 0; pass < 3; pass++) {
    await api.app.get(LoadBalancerController).idle();
    await api.app.get(IngressController).idle();
  }
}

/** Everything a reconcile could write: the project's load-balancing resources, its operations, the objects. */
async function snapshot(compute: string, kube: string): Promise<Json> {
  const collections = [
    'global/healthChecks',
    'global/backendServices',
    'global/urlMaps',
    'global/targetHttpProxies',
    'global/forwardingRules',
    'global/firewalls',
    'regions/us-central1/backendServices',
    'regions/us-central1/healthChecks',
    'regions/us-central1/forwardingRules',
    'regions/us-central1/targetPools',
    'regions/us-central1/addresses',
    'global/httpHealthChecks',
  ];
  const resources: Json = {};
  for (const collection of collections)
    resources[collection] = ((await get(`${compute}/${collection}`)).items ?? []) as Json[];
  const operations = Object.values((await get(`${compute}/aggregated/operations`)).items ?? {}).flatMap(
    (scope) => ((scope as Json).operations ?? []).map((op: Json) => op.name as string),
  );
  const versions = (path: string) =>
    get(path).then((list) =>
      (list.items as Json[]).map(
        (o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`,
      ),
    );
  return {
    resources,
    operations: operations.sort(),
    services: await versions(`${kube}/api/v1/services`),
    ingresses: await versions(`${kube}/apis/networking.k8s.io/v1/ingresses`),
    // Events too: a reconcile that changes nothing reports nothing (no second EnsuringLoadBalancer).
    events: await versions(`${kube}/api/v1/events`),
  };
}

describe('a restart with nothing changed writes nothing', () => {
  it('LoadBalancer Service and Ingress with a BackendConfig: same fingerprints, no new operations, same resourceVersions', async () => {
    app = await startTestApp();
    const { compute, kube } = await createTestGkeCluster(running().url, {
      prefix: 'rst',
      namedRanges: false,
    });
    await request(running().url)
      .post(`${compute}/global/securityPolicies`)
      .send({ name: 'edge-policy' })
      .expect(200);
    await request(running().url)
      .post(`${kube}/apis/cloud.google.com/v1/namespaces/default/backendconfigs`)
      .send({
        apiVersion: 'cloud.google.com/v1',
        kind: 'BackendConfig',
        metadata: { name: 'armored' },
        spec: {
          timeoutSec: 40,
          securityPolicy: { name: 'edge-policy' },
          iap: { enabled: true, oauthclientCredentials: { secretName: 'oauth' } },
        },
      })
      .expect(201);
    for (const [name, type, extra, more] of [
      ['web', 'LoadBalancer', { externalTrafficPolicy: 'Local' }, {}],
      ['edge', 'LoadBalancer', {}, {}],
      ['foo', 'NodePort', {}, {}],
      // a backend service-based one, whose controller also writes annotations and a finalizer on the Service
      ['rbs', 'LoadBalancer', {}, { 'cloud.google.com/l4-rbs': 'enabled' }],
    ] as const) {
      await request(running().url)
        .post(`${kube}/api/v1/namespaces/default/services`)
        .send({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {
            name,
            annotations: { 'cloud.google.com/backend-config': '{"default": "armored"}', ...more },
          },
          spec: { type, selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...extra },
        })
        .expect(201);
    }
    await request(running().url)
      .post(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses`)
      .send({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'site' },
        spec: {
          rules: [
            {
              host: 'foo.example.com',
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: 'foo', port: { number: 80 } } },
                  },
                  {
                    path: '/edge',
                    pathType: 'Prefix',
                    backend: { service: { name: 'edge', port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      })
      .expect(201);
    for (const path of [
      `${kube}/api/v1/namespaces/default/services/web`,
      `${kube}/api/v1/namespaces/default/services/edge`,
      `${kube}/api/v1/namespaces/default/services/rbs`,
      `${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses/site`,
    ])
      await eventually(
        async () =>
          ((await get(path)).status?.loadBalancer?.ingress?.[0]?.ip as string | undefined) ?? undefined,
        `the address of ${path}`,
      );
    await settled();
    const before = await snapshot(compute, kube);
    expect(before.resources['global/backendServices']).toHaveLength(3);
    expect(before.resources['global/forwardingRules']).toHaveLength(1);
    expect(before.resources['regions/us-central1/forwardingRules']).toHaveLength(3);
    expect(before.resources['regions/us-central1/backendServices']).toHaveLength(1);
    expect(before.resources['regions/us-central1/healthChecks']).toHaveLength(1);
    expect(before.operations.length).toBeGreaterThan(0);
    const reasons = (await get(`${kube}/api/v1/namespaces/default/events`)).items.map(
      (e: Json) => `${e.involvedObject.name}:${e.reason}`,
    );
    expect(reasons).toEqual(expect.arrayContaining(['web:EnsuringLoadBalancer', 'web:EnsuredLoadBalancer']));

    await running().close();
    app = undefined;
    app = await startTestApp();
    await settled();
    const after = await snapshot(compute, kube);
    for (const [collection, items] of Object.entries(after.resources))
      expect(
        (items as Json[]).map((r) => `${r.name}:${r.fingerprint}`),
        collection,
      ).toEqual((before.resources[collection] as Json[]).map((r) => `${r.name}:${r.fingerprint}`));
    expect(after).toEqual(before);

    // What did change is still written: a new BackendConfig timeout reaches its backend services.
    await request(running().url)
      .patch(`${kube}/apis/cloud.google.com/v1/namespaces/default/backendconfigs/armored`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { timeoutSec: 55 } })
      .expect(200);
    const foo = (before.resources['global/backendServices'] as Json[]).find((b) =>
      /-default-foo-80-/.test(b.name),
    );
    const updated = await eventually(async () => {
      const current = await get(`${compute}/global/backendServices/${foo?.name}`);
      return current.timeoutSec === 55 ? current : undefined;
    }, 'the new timeout on the backend service');
    expect(updated.fingerprint).not.toBe(foo?.fingerprint);
  });
});
