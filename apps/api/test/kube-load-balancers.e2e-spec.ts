import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestGkeCluster, eventually, useTestApp } from '@gke-emulator/testing';

const app = useTestApp();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

function cluster() {
  return createTestGkeCluster(app.url, { prefix: 'lb', namedRanges: false });
}

const loadBalancerIp = (kube: string, name: string) =>
  eventually(async () => {
    const res = await request(app.url).get(`${kube}/api/v1/namespaces/default/services/${name}`).expect(200);
    return res.body.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined;
  }, `the load balancer IP of ${name}`);

/** Polls `path` until it answers 404. */
const untilGone = (path: string, what: string) =>
  eventually(async () => {
    const res = await request(app.url).get(path);
    return res.status === 404 ? true : undefined;
  }, what);

async function list(url: string): Promise<Json[]> {
  return (await request(app.url).get(url).expect(200)).body.items ?? [];
}

describe('type: LoadBalancer Services become Google load balancers', () => {
  it('external, externalTrafficPolicy Local: address, per-service health check, target pool, forwarding rule, k8s-fw rules; all gone on delete', async () => {
    const { compute, kube } = await cluster();
    const created = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: {
          type: 'LoadBalancer',
          externalTrafficPolicy: 'Local',
          selector: { app: 'web' },
          ports: [{ port: 80, targetPort: 8080 }],
          loadBalancerSourceRanges: ['203.0.113.0/24'],
        },
      })
      .expect(201);
    const uid = created.body.metadata.uid as string;
    const lbName = `a${uid.replace(/-/g, '')}`.slice(0, 32);
    const hcPort = created.body.spec.healthCheckNodePort as number;
    expect(hcPort).toBeGreaterThanOrEqual(30000);
    const ip = await loadBalancerIp(kube, 'web');
    expect(ip).toMatch(/^198\.18\./);

    const address = (
      await request(app.url).get(`${compute}/regions/us-central1/addresses/${lbName}`).expect(200)
    ).body;
    expect(address).toMatchObject({ address: ip, addressType: 'EXTERNAL', status: 'IN_USE' });
    const rule = (
      await request(app.url).get(`${compute}/regions/us-central1/forwardingRules/${lbName}`).expect(200)
    ).body;
    expect(rule).toMatchObject({
      IPAddress: ip,
      IPProtocol: 'TCP',
      portRange: '80-80',
      loadBalancingScheme: 'EXTERNAL',
    });
    expect(rule.target).toMatch(new RegExp(`/regions/us-central1/targetPools/${lbName}$`));
    expect(JSON.parse(rule.description)).toEqual({ 'kubernetes.io/service-name': 'default/web' });
    const pool = (
      await request(app.url).get(`${compute}/regions/us-central1/targetPools/${lbName}`).expect(200)
    ).body;
    expect(pool.instances).toHaveLength(2);
    const hc = (await request(app.url).get(`${compute}/global/httpHealthChecks/${lbName}`).expect(200)).body;
    expect(hc).toMatchObject({ port: hcPort, requestPath: '/healthz' });
    const firewalls = await list(`${compute}/global/firewalls`);
    const fw = firewalls.find((f) => f.name === `k8s-fw-${lbName}`);
    expect(fw).toMatchObject({
      sourceRanges: ['203.0.113.0/24'],
      destinationRanges: [ip],
      allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
    });
    expect(fw?.targetTags[0]).toMatch(/^gke-c1-[0-9a-f]{8}-node$/);
    expect(firewalls.find((f) => f.name === `k8s-${lbName}-http-hc`)).toMatchObject({
      allowed: [{ IPProtocol: 'tcp', ports: [String(hcPort)] }],
    });

    await request(app.url).delete(`${kube}/api/v1/namespaces/default/services/web`).expect(200);
    await untilGone(`${compute}/regions/us-central1/forwardingRules/${lbName}`, 'the forwarding rule to go');
    await eventually(
      async () =>
        (await list(`${compute}/global/firewalls`)).some((f) => String(f.name).startsWith('k8s-'))
          ? undefined
          : true,
      'k8s firewalls to go',
    );
    // The address goes last, once nothing uses it.
    await untilGone(`${compute}/regions/us-central1/addresses/${lbName}`, 'the address to go');
    await request(app.url).get(`${compute}/regions/us-central1/targetPools/${lbName}`).expect(404);
    await request(app.url).get(`${compute}/global/httpHealthChecks/${lbName}`).expect(404);
  });

  it('internal: an INTERNAL forwarding rule on the cluster subnet to a backend service; type change cleans up', async () => {
    const { compute, kube } = await cluster();
    const created = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'ilb', annotations: { 'networking.gke.io/load-balancer-type': 'Internal' } },
        spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 443, targetPort: 8443 }] },
      })
      .expect(201);
    const lbName = `a${String(created.body.metadata.uid).replace(/-/g, '')}`.slice(0, 32);
    const ip = await loadBalancerIp(kube, 'ilb');
    expect(ip).toMatch(/^10\.0\.0\.\d+$/);
    const rule = (
      await request(app.url).get(`${compute}/regions/us-central1/forwardingRules/${lbName}`).expect(200)
    ).body;
    expect(rule).toMatchObject({ IPAddress: ip, loadBalancingScheme: 'INTERNAL', ports: ['443'] });
    expect(rule.backendService).toMatch(new RegExp(`/regions/us-central1/backendServices/${lbName}$`));
    expect(rule.subnetwork).toMatch(/\/subnetworks\/s1$/);

    await request(app.url)
      .patch(`${kube}/api/v1/namespaces/default/services/ilb`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { type: 'ClusterIP' } })
      .expect(200);
    await untilGone(
      `${compute}/regions/us-central1/forwardingRules/${lbName}`,
      'the internal forwarding rule to go',
    );
    await eventually(async () => {
      const res = await request(app.url).get(`${kube}/api/v1/namespaces/default/services/ilb`).expect(200);
      return res.body.status?.loadBalancer?.ingress ? undefined : true;
    }, 'the status to clear');
    await untilGone(`${compute}/regions/us-central1/addresses/${lbName}`, 'the internal address to go');
    await request(app.url).get(`${compute}/regions/us-central1/backendServices/${lbName}`).expect(404);
  });

  it('external with cloud.google.com/l4-rbs on a 1.35 cluster: a forwarding rule to a regional EXTERNAL backend service on the zones’ instance groups, a regional health check; all gone on delete', async () => {
    const { compute, kube } = await cluster();
    const created = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'rbs', annotations: { 'cloud.google.com/l4-rbs': 'enabled' } },
        spec: { type: 'LoadBalancer', selector: { app: 'rbs' }, ports: [{ port: 80, targetPort: 8080 }] },
      })
      .expect(201);
    const lbName = `a${String(created.body.metadata.uid).replace(/-/g, '')}`.slice(0, 32);
    const ip = await loadBalancerIp(kube, 'rbs');
    expect(ip).toMatch(/^198\.18\./);

    const rule = (
      await request(app.url).get(`${compute}/regions/us-central1/forwardingRules/${lbName}`).expect(200)
    ).body;
    expect(rule).toMatchObject({
      IPAddress: ip,
      IPProtocol: 'TCP',
      portRange: '80-80',
      loadBalancingScheme: 'EXTERNAL',
    });
    expect(rule.target).toBeUndefined();
    const backendName = String(rule.backendService).split('/').pop() as string;
    expect(rule.backendService).toMatch(
      /\/regions\/us-central1\/backendServices\/k8s2-[0-9a-z]{8}-default-rbs-[0-9a-z]{8}$/,
    );
    await request(app.url).get(`${compute}/regions/us-central1/targetPools/${lbName}`).expect(404);

    const backend = (
      await request(app.url).get(`${compute}/regions/us-central1/backendServices/${backendName}`).expect(200)
    ).body;
    expect(backend).toMatchObject({ loadBalancingScheme: 'EXTERNAL', protocol: 'TCP' });
    expect(backend.region).toMatch(/\/regions\/us-central1$/);
    const groups = (backend.backends as Json[]).map((item) => String(item.group));
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(group).toMatch(/\/zones\/us-central1-[a-z]\/instanceGroups\/k8s-ig--[0-9a-f]{16}$/);
      const zone = group.split('/zones/')[1]?.split('/')[0];
      const igName = group.split('/').pop();
      const ig = (await request(app.url).get(`${compute}/zones/${zone}/instanceGroups/${igName}`).expect(200))
        .body;
      expect(ig.size).toBeGreaterThan(0);
    }
    const hcLink = String(backend.healthChecks[0]);
    expect(hcLink).toMatch(/\/regions\/us-central1\/healthChecks\/k8s2-[0-9a-z]{8}-l4-shared-hc$/);
    const hcName = hcLink.split('/').pop() as string;
    const hc = (
      await request(app.url).get(`${compute}/regions/us-central1/healthChecks/${hcName}`).expect(200)
    ).body;
    expect(hc).toMatchObject({ type: 'HTTP', httpHealthCheck: { port: 10256, requestPath: '/healthz' } });
    const firewalls = await list(`${compute}/global/firewalls`);
    expect(firewalls.find((f) => f.name === backendName)).toMatchObject({
      destinationRanges: [ip],
      allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
    });
    expect(firewalls.find((f) => f.name === `${hcName}-fw`)).toMatchObject({
      allowed: [{ IPProtocol: 'tcp', ports: ['10256'] }],
    });
    // What the NetLB controller records on the Service.
    const written = await eventually(async () => {
      const res = await request(app.url).get(`${kube}/api/v1/namespaces/default/services/rbs`).expect(200);
      return res.body.metadata.annotations?.['service.kubernetes.io/backend-service'] ? res.body : undefined;
    }, 'the resource annotations');
    expect(written.metadata.annotations).toMatchObject({
      'service.kubernetes.io/backend-service': backendName,
      'service.kubernetes.io/healthcheck': hcName,
      'service.kubernetes.io/firewall-rule': backendName,
      'service.kubernetes.io/firewall-rule-for-hc': `${hcName}-fw`,
      'service.kubernetes.io/tcp-forwarding-rule': lbName,
    });
    expect(written.metadata.finalizers).toEqual(['gke.networking.io/l4-netlb-v2']);

    await request(app.url).delete(`${kube}/api/v1/namespaces/default/services/rbs`).expect(200);
    await untilGone(`${compute}/regions/us-central1/addresses/${lbName}`, 'the address to go');
    await request(app.url).get(`${compute}/regions/us-central1/forwardingRules/${lbName}`).expect(404);
    await request(app.url).get(`${compute}/regions/us-central1/backendServices/${backendName}`).expect(404);
    await request(app.url).get(`${compute}/regions/us-central1/healthChecks/${hcName}`).expect(404);
    const left = await list(`${compute}/global/firewalls`);
    expect(left.filter((f) => String(f.name).startsWith('k8s2-'))).toEqual([]);
    for (const group of groups) {
      const zone = group.split('/zones/')[1]?.split('/')[0];
      await request(app.url)
        .get(`${compute}/zones/${zone}/instanceGroups/${group.split('/').pop()}`)
        .expect(404);
    }
  });

  it('RBS Services share the cluster’s health check until the last one goes; externalTrafficPolicy Local moves one to its own', async () => {
    const { compute, kube } = await cluster();
    const rbsService = (name: string, port: number) =>
      request(app.url)
        .post(`${kube}/api/v1/namespaces/default/services`)
        .send({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, annotations: { 'cloud.google.com/l4-rbs': 'enabled' } },
          spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port }] },
        })
        .expect(201);
    const backendOf = (name: string) =>
      eventually(async () => {
        const res = await request(app.url)
          .get(`${kube}/api/v1/namespaces/default/services/${name}`)
          .expect(200);
        return res.body.metadata.annotations?.['service.kubernetes.io/backend-service'] as string | undefined;
      }, `the backend service of ${name}`);
    const healthCheckOf = async (backend: string) =>
      String(
        (await request(app.url).get(`${compute}/regions/us-central1/backendServices/${backend}`).expect(200))
          .body.healthChecks[0],
      )
        .split('/')
        .pop() as string;
    const first = await rbsService('one', 80);
    await rbsService('two', 443);
    const [one, two] = [await backendOf('one'), await backendOf('two')];
    const shared = await healthCheckOf(one);
    expect(shared).toMatch(/^k8s2-[0-9a-z]{8}-l4-shared-hc$/);
    expect(await healthCheckOf(two)).toBe(shared);

    const oneName = `a${String(first.body.metadata.uid).replace(/-/g, '')}`.slice(0, 32);
    await request(app.url).delete(`${kube}/api/v1/namespaces/default/services/one`).expect(200);
    await untilGone(`${compute}/regions/us-central1/addresses/${oneName}`, 'the first address to go');
    await request(app.url).get(`${compute}/regions/us-central1/backendServices/${one}`).expect(404);
    // still used by the second
    await request(app.url).get(`${compute}/regions/us-central1/healthChecks/${shared}`).expect(200);
    expect((await list(`${compute}/global/firewalls`)).some((f) => f.name === `${shared}-fw`)).toBe(true);

    await request(app.url)
      .patch(`${kube}/api/v1/namespaces/default/services/two`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { externalTrafficPolicy: 'Local' } })
      .expect(200);
    await eventually(
      async () => ((await healthCheckOf(two)) === two ? true : undefined),
      'the second backend service to use its own health check',
    );
    const own = (await request(app.url).get(`${compute}/regions/us-central1/healthChecks/${two}`).expect(200))
      .body;
    expect(own.httpHealthCheck.port).toBeGreaterThanOrEqual(30000);
    await untilGone(
      `${compute}/regions/us-central1/healthChecks/${shared}`,
      'the unused shared health check to go',
    );
    // its firewall goes just after it
    const firewalls = await eventually(async () => {
      const names = (await list(`${compute}/global/firewalls`)).map((f) => String(f.name));
      return names.includes(`${shared}-fw`) ? undefined : names;
    }, 'the shared health check firewall to go');
    expect(firewalls).toContain(`${two}-fw`);

    await request(app.url).delete(`${kube}/api/v1/namespaces/default/services/two`).expect(200);
    await untilGone(`${compute}/regions/us-central1/healthChecks/${two}`, 'the second health check to go');
    await eventually(
      async () =>
        (await list(`${compute}/global/firewalls`)).some((f) => String(f.name).startsWith('k8s2-'))
          ? undefined
          : true,
      'the k8s2 firewalls to go',
    );
  });

  it('spec.loadBalancerClass networking.gke.io/l4-regional-external asks for RBS too', async () => {
    const { compute, kube } = await cluster();
    const created = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'classy' },
        spec: {
          type: 'LoadBalancer',
          loadBalancerClass: 'networking.gke.io/l4-regional-external',
          selector: { app: 'classy' },
          ports: [{ port: 80 }],
        },
      })
      .expect(201);
    const lbName = `a${String(created.body.metadata.uid).replace(/-/g, '')}`.slice(0, 32);
    await loadBalancerIp(kube, 'classy');
    const rule = (
      await request(app.url).get(`${compute}/regions/us-central1/forwardingRules/${lbName}`).expect(200)
    ).body;
    expect(rule.backendService).toMatch(/\/backendServices\/k8s2-[0-9a-z]{8}-default-classy-[0-9a-z]{8}$/);
    expect(rule.target).toBeUndefined();
  });

  it('an RBS Service deleted and created again under the same name keeps its name-derived parts for the new one', async () => {
    const { compute, kube } = await cluster();
    const create = () =>
      request(app.url)
        .post(`${kube}/api/v1/namespaces/default/services`)
        .send({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'again', annotations: { 'cloud.google.com/l4-rbs': 'enabled' } },
          spec: { type: 'LoadBalancer', selector: { app: 'again' }, ports: [{ port: 80 }] },
        })
        .expect(201);
    const old = await create();
    const oldName = `a${String(old.body.metadata.uid).replace(/-/g, '')}`.slice(0, 32);
    await loadBalancerIp(kube, 'again');
    await request(app.url).delete(`${kube}/api/v1/namespaces/default/services/again`).expect(200);
    const fresh = await create();
    const newName = `a${String(fresh.body.metadata.uid).replace(/-/g, '')}`.slice(0, 32);
    await untilGone(`${compute}/regions/us-central1/addresses/${oldName}`, 'the old address to go');
    const rule = await eventually(async () => {
      const res = await request(app.url).get(`${compute}/regions/us-central1/forwardingRules/${newName}`);
      return res.status === 200 ? (res.body as Json) : undefined;
    }, 'the new forwarding rule');
    const backend = String(rule.backendService).split('/').pop() as string;
    await request(app.url).get(`${compute}/regions/us-central1/backendServices/${backend}`).expect(200);
    expect((await list(`${compute}/global/firewalls`)).some((f) => f.name === backend)).toBe(true);
    await request(app.url).get(`${compute}/regions/us-central1/forwardingRules/${oldName}`).expect(404);
  });

  it('a target-pool Service that gets cloud.google.com/l4-rbs later keeps its target pool, and loses the annotation', async () => {
    const { compute, kube } = await cluster();
    const created = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'legacy' },
        spec: { type: 'LoadBalancer', selector: { app: 'legacy' }, ports: [{ port: 80 }] },
      })
      .expect(201);
    const lbName = `a${String(created.body.metadata.uid).replace(/-/g, '')}`.slice(0, 32);
    await loadBalancerIp(kube, 'legacy');
    await request(app.url)
      .patch(`${kube}/api/v1/namespaces/default/services/legacy`)
      .set('content-type', 'application/merge-patch+json')
      .send({ metadata: { annotations: { 'cloud.google.com/l4-rbs': 'enabled' } } })
      .expect(200);
    await eventually(async () => {
      const res = await request(app.url).get(`${kube}/api/v1/namespaces/default/services/legacy`).expect(200);
      return res.body.metadata.annotations?.['cloud.google.com/l4-rbs'] ? undefined : true;
    }, 'the annotation to be removed');
    const rule = (
      await request(app.url).get(`${compute}/regions/us-central1/forwardingRules/${lbName}`).expect(200)
    ).body;
    expect(rule.target).toMatch(new RegExp(`/regions/us-central1/targetPools/${lbName}$`));
    expect(rule.backendService).toBeUndefined();
  });
});

describe('load balancers follow the nodes, as the service controller syncs node changes', () => {
  it('a node pool in another zone joins the internal and Ingress backend services (its zone’s k8s-ig--) and the target pool; its deletion leaves them', async () => {
    const { project, compute, kube } = await cluster();
    const gkeCluster = (
      await request(app.url).get(`/v1/projects/${project}/locations/us-central1-a/clusters/c1`).expect(200)
    ).body as Json;
    const groupName = `k8s-ig--${String(gkeCluster.id).slice(0, 16)}`;
    const service = async (name: string, internal: boolean) => {
      const created = await request(app.url)
        .post(`${kube}/api/v1/namespaces/default/services`)
        .send({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {
            name,
            ...(internal ? { annotations: { 'networking.gke.io/load-balancer-type': 'Internal' } } : {}),
          },
          spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80, targetPort: 8080 }] },
        })
        .expect(201);
      await loadBalancerIp(kube, name);
      return `a${String(created.body.metadata.uid).replace(/-/g, '')}`.slice(0, 32);
    };
    const ilb = await service('ilb', true);
    const elb = await service('elb', false);
    // An Ingress on the external Service's NodePort: its global backend service names the groups too.
    await request(app.url)
      .post(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses`)
      .send({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'site' },
        spec: { defaultBackend: { service: { name: 'elb', port: { number: 80 } } } },
      })
      .expect(201);
    const nodePort = Number(
      (await request(app.url).get(`${kube}/api/v1/namespaces/default/services/elb`).expect(200)).body.spec
        .ports[0].nodePort,
    );
    const ingressBackend = await eventually(async () => {
      const list = (await request(app.url).get(`${compute}/global/backendServices`).expect(200)).body as Json;
      const found = ((list.items ?? []) as Json[]).find((item) => item.portName === `port${nodePort}`);
      return found ? String(found.name) : undefined;
    }, 'the Ingress backend service');
    const zonesOf = (backend: Json) =>
      ((backend.backends ?? []) as Json[])
        .map((item) =>
          String(item.group)
            .match(/\/zones\/([^/]+)\/instanceGroups\/([^/]+)$/)
            ?.slice(1),
        )
        .map((match) => `${match?.[0]}/${match?.[1]}`)
        .sort();
    const backendZones = async () => {
      const internal = (
        await request(app.url).get(`${compute}/regions/us-central1/backendServices/${ilb}`).expect(200)
      ).body as Json;
      const ingress = (
        await request(app.url).get(`${compute}/global/backendServices/${ingressBackend}`).expect(200)
      ).body as Json;
      const zones = zonesOf(internal);
      // Both load balancers name the same groups.
      return zones.join() === zonesOf(ingress).join() ? zones : [];
    };
    const poolInstances = async () => {
      const pool = (
        await request(app.url).get(`${compute}/regions/us-central1/targetPools/${elb}`).expect(200)
      ).body as Json;
      return ((pool.instances ?? []) as string[]).map((link) => link.split('/').slice(-3).join('/')).sort();
    };
    const zoneNodes = async (zone: string) =>
      (
        ((await request(app.url).get(`${compute}/zones/${zone}/instances`).expect(200)).body.items ??
          []) as Json[]
      )
        .map((node) => `${zone}/instances/${String(node.name)}`)
        .sort();
    expect(
      await eventually(async () => {
        const zones = await backendZones();
        return zones.length > 0 ? zones : undefined;
      }, 'the Ingress backend on the group'),
    ).toEqual([`us-central1-a/${groupName}`]);
    const nodesA = await zoneNodes('us-central1-a');
    expect(await poolInstances()).toEqual(nodesA);

    // A pool in us-central1-b: no Service changes, yet both load balancers take its nodes.
    await request(app.url)
      .post(`/v1/projects/${project}/locations/us-central1-a/clusters/c1/nodePools`)
      .send({ nodePool: { name: 'pool-b', initialNodeCount: 2, locations: ['us-central1-b'] } })
      .expect(200);
    const nodesB = await zoneNodes('us-central1-b');
    expect(nodesB).toHaveLength(2);
    await eventually(
      async () =>
        (await backendZones()).join() === [`us-central1-a/${groupName}`, `us-central1-b/${groupName}`].join()
          ? true
          : undefined,
      'the backend services to name the group in us-central1-b',
    );
    const members = (
      await request(app.url)
        .post(`${compute}/zones/us-central1-b/instanceGroups/${groupName}/listInstances`)
        .expect(200)
    ).body as Json;
    expect(
      ((members.items ?? []) as Json[])
        .map((item) => String(item.instance).split('/').slice(-3).join('/'))
        .sort(),
    ).toEqual(nodesB);
    await eventually(
      async () =>
        (await poolInstances()).join() === [...nodesA, ...nodesB].sort().join() ? true : undefined,
      'the target pool to hold the new nodes',
    );

    // The pool goes: so do its zone's backend and its nodes in the target pool.
    await request(app.url)
      .delete(`/v1/projects/${project}/locations/us-central1-a/clusters/c1/nodePools/pool-b`)
      .expect(200);
    await eventually(
      async () => ((await backendZones()).join() === `us-central1-a/${groupName}` ? true : undefined),
      'the backend services to drop us-central1-b',
    );
    await eventually(
      async () => ((await poolInstances()).join() === nodesA.join() ? true : undefined),
      'the target pool to drop the removed nodes',
    );
  });
});
