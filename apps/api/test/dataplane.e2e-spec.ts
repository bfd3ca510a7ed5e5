import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { kubeProxy } from '@gke-emulator/dataplane';
import { loadDataplaneInputs } from '@gke-emulator/effective';
import { createTestGkeCluster, useTestApp, dataplaneConverged, useTestWorker } from '@gke-emulator/testing';

const app = useTestApp();
useTestWorker();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

const converged = (project: string) => dataplaneConverged(app.url, project);

async function setup() {
  const {
    project,
    compute,
    kube,
    dataplane: base,
    // NetworkPolicy enforcement on: as on GKE, a cluster without it applies no NetworkPolicy (asserted below).
  } = await createTestGkeCluster(app.url, { prefix: 'dp', nodes: 3, networkPolicy: true });
  await request(app.url)
    .post(`${kube}/apis/apps/v1/namespaces/default/deployments`)
    .send({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }],
          },
        },
      },
    })
    .expect(201);
  const service = await request(app.url)
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
  const nodes = (await request(app.url).get(`${kube}/api/v1/nodes`).expect(200)).body.items as Json[];
  return { project, compute, kube, base, nodes, service: service.body as Json };
}

describe('the effective data plane, computed by the worker', () => {
  it('converges, and serves routes, firewall, iptables, traces and reachability per node with their generation', async () => {
    const { project, kube, base, nodes, service } = await setup();
    const status = await converged(project);
    expect(status.clusters[0]).toMatchObject({ cluster: 'c1', current: true });
    const node = nodes[0]?.metadata.name as string;

    const routes = (await request(app.url).get(`${base}/nodes/${node}/routes`).expect(200)).body;
    expect(routes).toMatchObject({ node, current: true });
    expect(JSON.stringify(routes.routes)).toContain('10.4.0.0/14');
    const firewall = (await request(app.url).get(`${base}/nodes/${node}/firewall`).expect(200)).body;
    const names = (firewall.rules as Json[]).map((rule) => JSON.stringify(rule));
    expect(names.some((rule) => /gke-c1-[0-9a-f]{8}-exkubelet/.test(rule))).toBe(true);

    const text = await request(app.url).get(`${base}/nodes/${node}/iptables`).expect(200);
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.headers['x-current']).toBe('true');
    expect(text.text).toContain('*nat');
    expect(text.text).toMatch(
      /-A KUBE-SERVICES -m comment --comment "default\/web:http cluster IP" .* -d 10\.8\.\d+\.\d+ --dport 80 -j KUBE-SVC-/,
    );
    expect(text.text).toContain('--probability 0.3333333333 ');
    // The same inputs through the pure library give the same text, byte for byte.
    const id = await clusterId(project);
    const inputs = await app.database.transaction((tx) =>
      loadDataplaneInputs({ query: (q, v = []) => tx.$queryRawUnsafe(q, ...v) }, id),
    );
    const nodeIp = nodes[0]?.status.addresses.find((a: Json) => a.type === 'InternalIP').address;
    expect(text.text).toBe(
      kubeProxy.renderKubeProxyIptables(inputs?.kubeProxy ?? { services: [], endpointSlices: [] }, {
        nodeName: node,
        nodeIP: nodeIp,
        podCidr: nodes[0]?.spec.podCIDR,
      }),
    );

    const pods = (await request(app.url).get(`${kube}/api/v1/namespaces/default/pods`).expect(200)).body
      .items as Json[];
    const trace = (
      await request(app.url)
        .get(`${base}/nodes/${node}/iptables/trace`)
        .query({ src: '203.0.113.9', dst: service.spec.clusterIP, dport: 80, protocol: 'TCP' })
        .expect(200)
    ).body;
    expect(trace.verdict).toBe('DNAT');
    expect([...trace.targets].sort()).toEqual(pods.map((p) => `${p.status.podIP}:8080`).sort());
    expect(trace.chains).toContain('nat:KUBE-SERVICES');

    const reach = (
      await request(app.url)
        .get(`${base}/reachability`)
        .query({ namespaces: 'default', port: 8080 })
        .expect(200)
    ).body;
    expect(reach.pods).toHaveLength(3);
    expect(Object.values(reach.allowed[reach.pods[0]])).toEqual([true, true, true]);

    // A NetworkPolicy isolating the pods: ingress only from pods labelled role=client.
    await request(app.url)
      .post(`${kube}/apis/networking.k8s.io/v1/namespaces/default/networkpolicies`)
      .send({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'only-clients' },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }],
        },
      })
      .expect(201);
    await converged(project);
    const denied = (
      await request(app.url)
        .get(`${base}/reachability`)
        .query({ namespaces: 'default', port: 8080 })
        .expect(200)
    ).body;
    // Every pod runs on a node of its own here, and traffic from a pod's own node always passes (kubelet probes).
    const client = denied.pods[0] as string;
    expect(Object.entries(denied.allowed[client]).filter(([server, ok]) => ok && server !== client)).toEqual(
      [],
    );
    const policies = (await request(app.url).get(`${base}/nodes/${node}/networkPolicies`).expect(200)).body;
    expect(policies.pods[0].ingress).toMatchObject({ isolated: true });

    // One connection, with the deciding policies; the same answer as the matrix.
    const server = denied.pods[1] as string;
    const verdict = (
      await request(app.url)
        .get(`${base}/networkPolicyVerdict`)
        .query({ source: client, destination: server, port: 8080 })
        .expect(200)
    ).body;
    expect(verdict.allowed).toBe(denied.allowed[client][server]);
    expect(verdict.allowed).toBe(false);
    expect(verdict).toMatchObject({ current: true, ingress: { direction: 'ingress' } });
    await request(app.url)
      .get(`${base}/networkPolicyVerdict`)
      .query({ source: 'nope', destination: server, port: 8080 })
      .expect(400);
    await request(app.url)
      .get(`${base}/networkPolicyVerdict`)
      .query({ source: 'default/ghost', destination: server, port: 8080 })
      .expect(404);
    expect(verdict).toMatchObject({
      enforced: true,
      enforcement: 'networkPolicy.enabled',
      policyAllowed: false,
    });

    // Enforcement off (clusters.setNetworkPolicy): the policy is still stored, but no read applies it.
    const zone = 'us-central1-a';
    await request(app.url)
      .post(`/v1/projects/${project}/locations/${zone}/clusters/c1:setNetworkPolicy`)
      .send({ networkPolicy: { enabled: false } })
      .expect(200);
    const open = (
      await request(app.url)
        .get(`${base}/reachability`)
        .query({ namespaces: 'default', port: 8080 })
        .expect(200)
    ).body;
    expect(open.enforced).toBe(false);
    expect(open.note).toContain('1 policy selects pods but nothing applies them');
    for (const row of Object.values(open.allowed as Record<string, Record<string, boolean>>)) {
      expect(Object.values(row).every(Boolean)).toBe(true);
    }
    const unenforced = (
      await request(app.url)
        .get(`${base}/networkPolicyVerdict`)
        .query({ source: client, destination: server, port: 8080 })
        .expect(200)
    ).body;
    expect(unenforced).toMatchObject({
      allowed: true,
      policyAllowed: false,
      enforced: false,
      ingress: { allowed: false, isolatingPolicies: [{ namespace: 'default', name: 'only-clients' }] },
    });
    const none = (await request(app.url).get(`${base}/nodes/${node}/networkPolicies`).expect(200)).body;
    expect(none).toMatchObject({ enforced: false, pods: [] });
  });

  it('an endpoint change recomputes kube-proxy state without rewriting VPC results; a firewall change rewrites every node', async () => {
    const { project, compute, kube, base, nodes, service } = await setup();
    const first = await converged(project);
    const node = nodes[0]?.metadata.name as string;
    const computedAt = async () =>
      (
        await app.database.query<{ node_name: string; computed_at: Date }>(
          `SELECT node_name, computed_at FROM node_dataplane WHERE cluster_id = $1 ORDER BY node_name`,
          [await clusterId(project)],
        )
      ).map((row) => row.computed_at.getTime());
    const before = await computedAt();
    expect(before).toHaveLength(3);

    await request(app.url)
      .patch(`${kube}/apis/apps/v1/namespaces/default/deployments/web/scale`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { replicas: 2 } })
      .expect(200);
    const second = await converged(project);
    expect(BigInt(second.clusters[0].observedGeneration)).toBeGreaterThan(
      BigInt(first.clusters[0].observedGeneration),
    );
    expect(await computedAt()).toEqual(before);
    const trace = (
      await request(app.url)
        .get(`${base}/nodes/${node}/iptables/trace`)
        .query({ src: '203.0.113.9', dst: service.spec.clusterIP, dport: 80 })
        .expect(200)
    ).body;
    expect(trace.targets).toHaveLength(2);

    await request(app.url)
      .post(`${compute}/global/firewalls`)
      .send({
        name: 'allow-web',
        network: 'global/networks/vpc',
        allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
      })
      .expect(200);
    await converged(project);
    const after = await computedAt();
    after.forEach((time, i) => expect(time).toBeGreaterThan(before[i] as number));
    const firewall = (await request(app.url).get(`${base}/nodes/${node}/firewall`).expect(200)).body;
    expect(JSON.stringify(firewall.rules)).toContain('allow-web');
  });

  it('recomputes only the nodes a change touches, and says how many', async () => {
    const { project, kube, base, nodes, service } = await setup();
    await converged(project);
    const nodeNames = nodes.map((node) => node.metadata.name as string);

    // One endpoint fewer: kube-proxy's rules change on every node (every node programs every Service);
    // routes and firewall on none.
    await request(app.url)
      .patch(`${kube}/apis/apps/v1/namespaces/default/deployments/web/scale`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { replicas: 2 } })
      .expect(200);
    const afterScale = (await converged(project)).clusters[0].lastComputation;
    expect(afterScale).toMatchObject({ mode: 'incremental', nodes: { vpc: 0, kubeProxy: 3 } });
    const trace = await request(app.url)
      .get(`${base}/nodes/${nodeNames[0]}/iptables/trace`)
      .query({ src: '203.0.113.9', dst: service.spec.clusterIP, dport: 80 })
      .expect(200);
    expect(trace.body.targets).toHaveLength(2);

    // A policy selecting the web pods: only the nodes those pods run on enforce it.
    const pods = (await request(app.url).get(`${kube}/api/v1/namespaces/default/pods`).expect(200)).body
      .items as Json[];
    const webNodes = new Set(pods.map((pod) => pod.spec.nodeName as string));
    expect(webNodes.size).toBe(2);
    await request(app.url)
      .post(`${kube}/apis/networking.k8s.io/v1/namespaces/default/networkpolicies`)
      .send({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web-ingress' },
        spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: {} }] }] },
      })
      .expect(201);
    const afterPolicy = (await converged(project)).clusters[0].lastComputation;
    expect(afterPolicy).toMatchObject({ nodes: { vpc: 0, kubeProxy: 0, networkPolicy: 2, total: 2 } });
    const generations = await app.database.query<{ node_name: string; network_policy_generation: string }>(
      `SELECT node_name, network_policy_generation::text FROM node_dataplane
        WHERE cluster_id = $1 AND network_policy_generation = $2`,
      [await clusterId(project), afterPolicy.generation],
    );
    expect(new Set(generations.map((row) => row.node_name))).toEqual(webNodes);
    for (const node of nodeNames) {
      const policies = (await request(app.url).get(`${base}/nodes/${node}/networkPolicies`).expect(200)).body;
      expect(policies.pods.some((pod: Json) => pod.ingress.isolated)).toBe(webNodes.has(node));
    }
  });

  it('keeps a route whose next-hop instance is gone inactive, with a warning, and routes by the others', async () => {
    const { project, compute, base, nodes } = await setup();
    const zone = 'us-central1-a';
    const names = nodes.map((node) => node.metadata.name as string);
    for (const [i, name] of names.entries()) {
      await request(app.url)
        .post(`${compute}/global/routes`)
        .send({
          name: `via-${i}`,
          network: 'global/networks/vpc',
          destRange: `172.16.${i}.0/24`,
          priority: 100,
          nextHopInstance: `zones/${zone}/instances/${name}`,
        })
        .expect(200);
    }
    // The pool shrinks to one node: the routes through the two nodes it removed lose their next hop.
    await request(app.url)
      .post(`/v1/projects/${project}/locations/${zone}/clusters/c1/nodePools/default-pool:setSize`)
      .send({ nodeCount: 1 })
      .expect(200);
    await converged(project);
    const left = (
      await app.database.query<{ name: string }>(`SELECT name FROM node WHERE project_id = $1`, [project])
    ).map((row) => row.name);
    expect(left).toHaveLength(1);
    const kept = names.indexOf(left[0] as string);
    const table = (await request(app.url).get(`${base}/nodes/${left[0]}/routes`).expect(200)).body;
    const active = JSON.stringify(table.routes);
    expect(active).toContain(`via-${kept}`);
    const inactive = names.map((_, i) => `via-${i}`).filter((_, i) => i !== kept);
    for (const name of inactive) expect(active).not.toContain(`"${name}"`);
    expect(table.inactiveRoutes.map((route: Json) => route.name).sort()).toEqual(inactive);
    expect(table.inactiveRoutes[0].warnings[0].code).toBe('NEXT_HOP_INSTANCE_NOT_FOUND');
    // The instance's link in full, as routes.get names it, in the warning too.
    const gone = names[Number(table.inactiveRoutes[0].name.slice('via-'.length))];
    const link = `${app.url}/compute/v1/projects/${project}/zones/${zone}/instances/${gone}`;
    const wire = (await request(app.url).get(`${compute}/global/routes/${inactive[0]}`).expect(200)).body;
    expect(wire.nextHopInstance).toBe(link);
    expect(table.inactiveRoutes[0]).toMatchObject({
      nextHopInstance: link,
      warnings: [{ message: `Next hop instance '${link}' does not exist.` }],
    });
  });

  it('leaves out an object it cannot read, names it, and still converges', async () => {
    const { project, kube, base, nodes } = await setup();
    await converged(project);
    // The API admits nothing like it; written straight into the database.
    await app.database.query(
      `INSERT INTO kube_object (uid, cluster_id, resource, namespace, name, resource_version, body)
       VALUES (gen_random_uuid(), $1, 'services', 'default', 'broken', nextval('kube_resource_version'),
               '{"metadata": {"name": "broken", "namespace": "default"}, "spec": {"ports": "eighty"}}')`,
      [await clusterId(project)],
    );
    await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'after' },
        spec: { selector: { app: 'web' }, ports: [{ port: 81, targetPort: 'http' }] },
      })
      .expect(201);
    const status = await converged(project);
    expect(status.clusters[0].error).toBeUndefined();
    expect(status.clusters[0].lastComputation.skippedObjects).toEqual([
      expect.stringContaining('services/default/broken'),
    ]);
    const text = (await request(app.url).get(`${base}/nodes/${nodes[0]?.metadata.name}/iptables`).expect(200))
      .text;
    expect(text).toContain('default/after');
    expect(text).not.toContain('default/broken');
  });

  it('answers unknown clusters and nodes and bad trace parameters with Google-shaped errors', async () => {
    const { project, base, nodes } = await setup();
    await request(app.url)
      .get(`/emulator/v1/projects/${project}/locations/us-central1-a/clusters/none/nodes/x/routes`)
      .expect(404);
    await request(app.url).get(`${base}/nodes/none/routes`).expect(404);
    const node = nodes[0]?.metadata.name as string;
    const bad = await request(app.url)
      .get(`${base}/nodes/${node}/iptables/trace`)
      .query({ src: 'x', dst: '10.0.0.1', dport: 80 })
      .expect(400);
    expect(bad.body.error.code).toBe(400);
    await request(app.url)
      .get(`${base}/nodes/${node}/iptables/trace`)
      .query({ src: '1.2.3.4', dst: '10.0.0.1', dport: 0 })
      .expect(400);
    await request(app.url).get(`${base}/reachability`).query({ port: 'http' }).expect(400);
  });
});

async function clusterId(project: string): Promise<bigint> {
  const rows = await app.database.query<{ id: string }>(
    `SELECT id::text FROM cluster WHERE project_id = $1`,
    [project],
  );
  return BigInt(rows[0]?.id ?? '0');
}
