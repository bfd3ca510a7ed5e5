import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestGkeCluster, eventually, useTestApp } from '@gke-emulator/testing';

const app = useTestApp();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

function cluster() {
  return createTestGkeCluster(app.url, { prefix: 'ing', namedRanges: false });
}

const nodePortService = (name: string, extra: Json = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...extra },
  spec: { type: 'NodePort', selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
});

async function items(url: string): Promise<Json[]> {
  return (await request(app.url).get(url).expect(200)).body.items ?? [];
}

describe('an Ingress becomes an external HTTP load balancer', () => {
  it('two host rules: backend services per Service port, URL map, proxy, global forwarding rule, status IP; BackendConfig attaches Cloud Armor and IAP; delete cleans up', async () => {
    const { compute, kube } = await cluster();
    await request(app.url)
      .post(`${compute}/global/securityPolicies`)
      .send({ name: 'edge-policy' })
      .expect(200);
    await request(app.url)
      .post(`${kube}/apis/cloud.google.com/v1/namespaces/default/backendconfigs`)
      .send({
        apiVersion: 'cloud.google.com/v1',
        kind: 'BackendConfig',
        metadata: { name: 'armored' },
        spec: {
          securityPolicy: { name: 'edge-policy' },
          iap: { enabled: true, oauthclientCredentials: { secretName: 'oauth' } },
        },
      })
      .expect(201);
    await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send(
        nodePortService('foo', {
          annotations: { 'cloud.google.com/backend-config': '{"default": "armored"}' },
        }),
      )
      .expect(201);
    await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send(nodePortService('bar'))
      .expect(201);
    await request(app.url)
      .post(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses`)
      .send({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'my-ingress' },
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
                ],
              },
            },
            {
              host: 'bar.example.com',
              http: {
                paths: [
                  {
                    path: '/api',
                    pathType: 'Prefix',
                    backend: { service: { name: 'bar', port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      })
      .expect(201);
    const ip = await eventually(async () => {
      const res = await request(app.url)
        .get(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses/my-ingress`)
        .expect(200);
      return res.body.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined;
    }, 'the ingress IP');
    expect(ip).toMatch(/^198\.19\./);

    const rules = await items(`${compute}/global/forwardingRules`);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ IPAddress: ip, portRange: '80-80', loadBalancingScheme: 'EXTERNAL' });
    expect(rules[0]?.name).toMatch(/^k8s2-fr-[0-9a-f]{8}-default-my-ingre-[0-9a-f]{8}$/);
    const [urlMap] = await items(`${compute}/global/urlMaps`);
    expect(urlMap?.hostRules.map((h: Json) => h.hosts[0]).sort()).toEqual([
      'bar.example.com',
      'foo.example.com',
    ]);
    const matchers = Object.fromEntries(urlMap?.pathMatchers.map((m: Json) => [m.name, m]));
    const barMatcher =
      matchers[urlMap?.hostRules.find((h: Json) => h.hosts[0] === 'bar.example.com').pathMatcher];
    expect(barMatcher.pathRules[0].paths).toEqual(['/api', '/api/*']);
    expect(urlMap?.defaultService).toMatch(/kube-system-default-http-backend-80/);

    const backends = await items(`${compute}/global/backendServices`);
    expect(backends.map((b) => b.name).sort()).toEqual([
      expect.stringMatching(/-default-bar-80-/),
      expect.stringMatching(/-default-foo-80-/),
      expect.stringMatching(/-kube-system-default-http-backend-80-/),
    ]);
    const foo = backends.find((b) => /-default-foo-80-/.test(b.name));
    expect(foo?.securityPolicy).toMatch(/\/global\/securityPolicies\/edge-policy$/);
    expect(foo?.iap).toMatchObject({ enabled: true });
    const fooService = (
      await request(app.url).get(`${kube}/api/v1/namespaces/default/services/foo`).expect(200)
    ).body;
    expect(foo?.portName).toBe(`port${fooService.spec.ports[0].nodePort}`);
    const checks = await items(`${compute}/global/healthChecks`);
    expect(checks.find((c) => c.name === foo?.name)?.httpHealthCheck.port).toBe(
      fooService.spec.ports[0].nodePort,
    );
    const firewalls = await items(`${compute}/global/firewalls`);
    expect(firewalls.find((f) => String(f.name).startsWith('k8s-fw-l7--'))).toMatchObject({
      sourceRanges: ['130.211.0.0/22', '35.191.0.0/16'],
      allowed: [{ IPProtocol: 'tcp', ports: ['30000-32767'] }],
    });

    await request(app.url)
      .delete(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses/my-ingress`)
      .expect(200);
    await eventually(
      async () => ((await items(`${compute}/global/backendServices`)).length === 0 ? true : undefined),
      'backend services to go',
    );
    expect(await items(`${compute}/global/forwardingRules`)).toEqual([]);
    expect(await items(`${compute}/global/urlMaps`)).toEqual([]);
    // The L7 firewall rule goes last, once no Ingress is left.
    await eventually(
      async () =>
        (await items(`${compute}/global/firewalls`)).some((f) => String(f.name).startsWith('k8s-fw-l7'))
          ? undefined
          : true,
      'the L7 firewall rule to go',
    );
  });

  it('requires NodePort-reachable Services: a ClusterIP backend gets no load balancer', async () => {
    const { compute, kube } = await cluster();
    await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'internal' },
        spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
      })
      .expect(201);
    await request(app.url)
      .post(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses`)
      .send({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'bad' },
        spec: { defaultBackend: { service: { name: 'internal', port: { number: 80 } } } },
      })
      .expect(201);
    // Then a good one in the same cluster converges, which shows the bad one was looked at and skipped.
    await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send(nodePortService('good'))
      .expect(201);
    await request(app.url)
      .post(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses`)
      .send({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'good' },
        spec: { defaultBackend: { service: { name: 'good', port: { number: 80 } } } },
      })
      .expect(201);
    await eventually(async () => {
      const res = await request(app.url)
        .get(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses/good`)
        .expect(200);
      return res.body.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined;
    }, 'the good ingress IP');
    const bad = await request(app.url)
      .get(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses/bad`)
      .expect(200);
    expect(bad.body.status?.loadBalancer?.ingress ?? []).toEqual([]);
    expect(await items(`${compute}/global/forwardingRules`)).toHaveLength(1);
  });
});
