import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  createTestGkeCluster,
  eventually,
  useTestApp,
  dataplaneConverged,
  useTestWorker,
} from '@gke-emulator/testing';
import { useSubscriptions } from './support/graphql-subscriptions';
import { createWebDeployment } from './support/kube-workloads';

const POD_REACHABILITY = `query PodReachability($project: String!, $location: String!, $cluster: String!,
    $port: Int!, $protocol: String! = "TCP", $namespaces: [String!]) {
  cluster(project: $project, location: $location, name: $cluster) {
    podReachability(port: $port, protocol: $protocol, namespaces: $namespaces) {
      generation observedGeneration current pods allowed port protocol sourceClasses destinationClasses enforced
      enforcement
    }
  }
}`;

const app = useTestApp();
useTestWorker();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL and wire objects read loosely in assertions
type Json = Record<string, any>;

async function graphql(query: string, variables: Record<string, unknown>) {
  const res = await request(app.url).post('/graphql').send({ query, variables });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { data: Json | null; errors?: { message: string; extensions?: Json }[] };
}

async function ok(query: string, variables: Record<string, unknown>): Promise<Json> {
  const body = await graphql(query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as Json;
}

async function rest(path: string, query: Record<string, string | number> = {}): Promise<Json> {
  return (await request(app.url).get(path).query(query).expect(200)).body as Json;
}

const converged = (project: string) => dataplaneConverged(app.url, project);

/** A cluster of two nodes running `web` (two pods, port 8080) behind a Service, isolated by a NetworkPolicy. */
async function setup() {
  // NetworkPolicy enforcement on: a cluster without it isolates nothing (GKE applies no policy there).
  const cluster = await createTestGkeCluster(app.url, { prefix: 'dpg', nodes: 2, networkPolicy: true });
  const { kube } = cluster;
  await createWebDeployment(app.url, kube);
  const service = (
    await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      })
      .expect(201)
  ).body as Json;
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
  await converged(cluster.project);
  return { ...cluster, clusterIP: service.spec.clusterIP as string };
}

const NODES = `
  query Nodes($project: String!, $clusterIP: String!) {
    kubernetes(project: $project, location: "us-central1-a", cluster: "c1") {
      nodes {
        name
        effectiveRoutes { generation observedGeneration current routes { name destRange priority nextHop nextHopKind routeClass routeType resource } }
        effectiveFirewall {
          generation observedGeneration current
          rules { name origin direction priority action remoteRanges remoteTags localRanges protocols { protocol ports } resource }
        }
        iptables { generation observedGeneration current text }
        networkPolicies {
          generation observedGeneration current
          pods { pod ingress { isolated policies rules } egress { isolated policies rules } }
          rejectedPolicies { policy }
        }
        traceIptables(src: "203.0.113.9", dst: $clusterIP, dport: 80) { generation verdict targets masquerade chains }
        kubelet: evaluateFirewall(direction: "INGRESS", src: "198.51.100.7", dport: 10255) {
          generation observedGeneration current direction src dst protocol dport allowed action returnTrafficAllowed peer
          rule { name origin priority action direction resource }
        }
        dns: evaluateFirewall(direction: "EGRESS", dst: "8.8.8.8", protocol: "udp", dport: 53) { allowed dst src rule { name } }
      }
      pods(namespace: "default") {
        namespace name nodeName
        networkPolicyStatus { generation observedGeneration current pod ingress { isolated policies } egress { isolated policies } }
      }
    }
  }`;

describe('the effective data plane over GraphQL', () => {
  it('serves each node its routes, firewall, iptables, NetworkPolicies, traces and firewall verdicts as REST does', async () => {
    const { project, dataplane, clusterIP } = await setup();
    const { kubernetes } = await ok(NODES, { project, clusterIP });
    const nodes = kubernetes.nodes as Json[];
    expect(nodes).toHaveLength(2);
    for (const node of nodes) {
      const base = `${dataplane}/nodes/${node.name}`;
      const routes = await rest(`${base}/routes`);
      expect(node.effectiveRoutes).toMatchObject({
        generation: routes.generation,
        observedGeneration: routes.observedGeneration,
        current: true,
      });
      expect(node.effectiveRoutes.routes.map((route: Json) => route.name)).toEqual(
        routes.routes.map((route: Json) => route.name),
      );
      expect(node.effectiveRoutes.routes.map((route: Json) => route.destRange)).toContain('10.0.0.0/24');
      // REST and GraphQL agree: the same client-shaped routes (#16: CIDRs as text, not internal encodings).
      expect(node.effectiveRoutes.routes).toEqual(routes.routes);

      const firewall = await rest(`${base}/firewall`);
      expect(node.effectiveFirewall.current).toBe(true);
      // (the query selects every field but remoteServiceAccounts)
      expect(node.effectiveFirewall.rules).toEqual(
        (firewall.rules as Json[]).map(({ remoteServiceAccounts: _accounts, ...rule }) => rule),
      );
      const vms = node.effectiveFirewall.rules.find((rule: Json) => rule.name.endsWith('-vms'));
      expect(vms).toMatchObject({
        origin: 'vpc-rule',
        remoteRanges: ['10.0.0.0/24'],
        protocols: [
          { protocol: 'icmp', ports: null },
          { protocol: 'tcp', ports: ['1-65535'] },
          { protocol: 'udp', ports: ['1-65535'] },
        ],
        resource: { name: vms.name },
      });
      // The wire rule as Compute's firewalls.get renders it: links in full, on the base the client used (#16).
      const computeBase = `${app.url}/compute/v1/`;
      const wireVms = (
        await request(app.url).get(`/compute/v1/projects/${project}/global/firewalls/${vms.name}`)
      ).body as Json;
      expect(wireVms.selfLink).toBe(`${computeBase}projects/${project}/global/firewalls/${vms.name}`);
      expect(vms.resource).toEqual(wireVms);
      for (const route of node.effectiveRoutes.routes as Json[]) {
        expect(route.resource.selfLink).toBe(`${computeBase}projects/${project}/global/routes/${route.name}`);
        expect(route.resource.network).toMatch(
          new RegExp(`^${computeBase}projects/${project}/global/networks/`),
        );
      }
      expect(node.effectiveFirewall.rules.at(-1)).toMatchObject({
        name: 'implied-allow-egress',
        resource: null,
      });

      const iptables = await request(app.url).get(`${base}/iptables`).expect(200);
      expect(node.iptables.text).toBe(iptables.text);
      expect(node.iptables.observedGeneration).toBe(iptables.headers['x-observed-generation']);

      const policies = await rest(`${base}/networkPolicies`);
      expect(node.networkPolicies.pods).toEqual(
        policies.pods.map((pod: Json) => ({
          pod: pod.pod,
          ingress: {
            isolated: pod.ingress.isolated,
            // only-clients selects web's pods in default; kube-system's kube-dns pod is under no policy
            policies: pod.pod.startsWith('default/') ? ['default/only-clients'] : [],
            rules: pod.ingress.rules,
          },
          egress: { isolated: false, policies: [], rules: [] },
        })),
      );
      // Each node runs one of web's two pods and one of kube-dns's two.
      expect(node.networkPolicies.pods.map((pod: Json) => pod.pod.split('/')[0])).toEqual([
        'default',
        'kube-system',
      ]);

      const trace = await rest(`${base}/iptables/trace`, { src: '203.0.113.9', dst: clusterIP, dport: 80 });
      expect(node.traceIptables).toEqual({
        generation: trace.generation,
        verdict: trace.verdict,
        targets: trace.targets,
        masquerade: trace.masquerade,
        chains: trace.chains,
      });
      expect(node.traceIptables.verdict).toBe('DNAT');

      const kubelet = await rest(`${base}/firewall/evaluate`, {
        direction: 'INGRESS',
        src: '198.51.100.7',
        dport: 10255,
      });
      expect(node.kubelet).toEqual({
        generation: kubelet.generation,
        observedGeneration: kubelet.observedGeneration,
        current: kubelet.current,
        ...kubelet.packet,
        allowed: false,
        action: 'deny',
        returnTrafficAllowed: false,
        peer: null,
        rule: { ...kubelet.rule, resource: kubelet.rule.source, source: undefined },
      });
      expect(node.kubelet.rule.name).toMatch(/-exkubelet$/);
      expect(kubelet.rule.source.selfLink).toBe(
        `${computeBase}projects/${project}/global/firewalls/${node.kubelet.rule.name}`,
      );
      expect(node.dns).toMatchObject({
        allowed: true,
        dst: '8.8.8.8',
        rule: { name: 'implied-allow-egress' },
      });
    }
  });

  it("gives each pod its NetworkPolicy isolation and canReach, as REST's networkPolicies and reachability", async () => {
    const { project, dataplane, clusterIP } = await setup();
    const { kubernetes } = await ok(NODES, { project, clusterIP });
    const pods = kubernetes.pods as Json[];
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      const policies = await rest(`${dataplane}/nodes/${pod.nodeName}/networkPolicies`);
      const entry = (policies.pods as Json[]).find((p) => p.pod === `default/${pod.name}`) as Json;
      expect(pod.networkPolicyStatus).toEqual({
        generation: policies.generation,
        observedGeneration: policies.observedGeneration,
        current: true,
        pod: `default/${pod.name}`,
        ingress: { isolated: entry.ingress.isolated, policies: ['default/only-clients'] },
        egress: { isolated: entry.egress.isolated, policies: [] },
      });
      expect(pod.networkPolicyStatus.ingress.isolated).toBe(true);
    }

    const matrix = await rest(`${dataplane}/reachability`, { namespaces: 'default', port: 8080 });
    const [a, b] = pods.map((pod) => pod.name) as [string, string];
    const reach = await ok(
      `query Reach($project: String!, $a: String!, $b: String!) {
        kubernetes(project: $project, location: "us-central1-a", cluster: "c1") {
          pod(namespace: "default", name: $a) {
            toOther: canReach(pod: $b, port: 8080) { generation observedGeneration current from to port protocol allowed policyAllowed enforced enforcement }
            toSelf: canReach(pod: "default/${a}", port: 8080, protocol: "tcp") { allowed }
          }
        }
      }`,
      { project, a, b },
    );
    const { toOther, toSelf } = reach.kubernetes.pod;
    expect(toOther).toEqual({
      generation: matrix.generation,
      observedGeneration: matrix.observedGeneration,
      current: true,
      from: `default/${a}`,
      to: `default/${b}`,
      port: 8080,
      protocol: 'TCP',
      allowed: matrix.allowed[`default/${a}`][`default/${b}`],
      policyAllowed: false,
      enforced: true,
      enforcement: 'networkPolicy.enabled',
    });
    // Each pod runs on a node of its own: only pods labelled role=client may connect.
    expect(toOther.allowed).toBe(false);
    expect(toSelf.allowed).toBe(matrix.allowed[`default/${a}`][`default/${a}`]);
    expect(toSelf.allowed).toBe(true);

    // The whole matrix, as REST's: rows and columns in the order of pods (the query of the SDK's PodReachability
    // document; apps may not import the SDK, whose own e2e test runs the document itself).
    const { cluster } = await ok(POD_REACHABILITY, {
      project,
      location: 'us-central1-a',
      cluster: 'c1',
      port: 8080,
      namespaces: ['default'],
    });
    const pairs = cluster.podReachability;
    expect(pairs).toMatchObject({
      generation: matrix.generation,
      observedGeneration: matrix.observedGeneration,
      current: true,
      pods: matrix.pods,
      port: 8080,
      protocol: 'TCP',
      enforced: true,
      enforcement: 'networkPolicy.enabled',
      // Both web pods behave alike.
      sourceClasses: 1,
      destinationClasses: 1,
    });
    expect(matrix.classes).toEqual({ sources: 1, destinations: 1 });
    expect(pairs.allowed).toEqual(
      (matrix.pods as string[]).map((from) =>
        (matrix.pods as string[]).map((to) => matrix.allowed[from][to]),
      ),
    );
    expect(pairs.allowed).toEqual([
      [true, false],
      [false, true],
    ]);
    const bad = await graphql(
      `
        query ($project: String!) {
          cluster(project: $project, location: "us-central1-a", name: "c1") {
            podReachability(port: 0) {
              pods
            }
          }
        }
      `,
      { project },
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'invalid', httpStatus: 400 });
  });

  it('answers bad arguments and unknown pods with the Google error in extensions', async () => {
    const { project, clusterIP } = await setup();
    const bad = await graphql(
      `
        query ($project: String!) {
          kubernetes(project: $project, location: "us-central1-a", cluster: "c1") {
            nodes {
              evaluateFirewall(direction: "INGRESS", src: "1.2.3.4", dport: 0) {
                allowed
              }
            }
          }
        }
      `,
      { project },
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'invalid', httpStatus: 400 });
    expect(bad.errors?.[0]?.message).toContain("'dport'");
    const { kubernetes } = await ok(NODES, { project, clusterIP });
    const unknown = await graphql(
      `
        query ($project: String!, $name: String!) {
          kubernetes(project: $project, location: "us-central1-a", cluster: "c1") {
            pod(namespace: "default", name: $name) {
              canReach(pod: "nobody", port: 80) {
                allowed
              }
            }
          }
        }
      `,
      { project, name: kubernetes.pods[0].name },
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'notFound', httpStatus: 404 });
  });
});

describe('the nodeEffectiveStateChanged subscription', () => {
  const subscribe = useSubscriptions(app);

  const CHANGES = `
    subscription Changes($project: String!, $node: String) {
      nodeEffectiveStateChanged(project: $project, location: "us-central1-a", cluster: "c1", node: $node) {
        project location cluster node generation
        effectiveFirewall { observedGeneration current rules { name } }
      }
    }`;

  it('fires for the nodes a firewall rule on their tag changes, with their new state', async () => {
    const { project, compute, dataplane } = await setup();
    const nodes = (
      await ok(
        `query($p: String!) { kubernetes(project: $p, location: "us-central1-a", cluster: "c1") { nodes { name } } }`,
        { p: project },
      )
    ).kubernetes.nodes.map((node: Json) => node.name) as string[];
    const [first] = nodes as [string];
    const one = subscribe(CHANGES, { project, node: first });
    const all = subscribe(CHANGES, { project });
    // The server registers a subscription asynchronously: a probe notification (generation 0) tells when both
    // are listening, so the change below cannot be missed.
    const [{ id }] = await app.database.query<{ id: string }>(
      `SELECT id::text FROM cluster WHERE project_id = $1`,
      [project],
    );
    await eventually(
      async () => {
        await app.database.query(`SELECT pg_notify('dataplane_node_changed', $1)`, [
          JSON.stringify({ clusterId: id, generation: '0', nodes: [first] }),
        ]);
        const probed = (sub: { results: Json[] }) =>
          sub.results.some((r) => r.data?.nodeEffectiveStateChanged?.generation === '0');
        return probed(one) && probed(all) ? true : undefined;
      },
      'the subscriptions to be registered',
      10_000,
      100,
    );

    const before = (await rest(`${dataplane}/nodes/${first}/firewall`)).observedGeneration as string;
    const tag = ((await rest(`${dataplane}/nodes/${first}/firewall`)).rules as Json[]).find((rule) =>
      rule.name.endsWith('-vms'),
    )?.resource.targetTags[0] as string;
    await request(app.url)
      .post(`${compute}/global/firewalls`)
      .send({
        name: 'allow-web',
        network: 'global/networks/vpc',
        targetTags: [tag],
        sourceRanges: ['0.0.0.0/0'],
        allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
      })
      .expect(200);

    const withRule = (result: Json) =>
      BigInt(result.data?.nodeEffectiveStateChanged?.generation ?? '0') > BigInt(before) &&
      (result.data.nodeEffectiveStateChanged.effectiveFirewall.rules as Json[]).some(
        (r) => r.name === 'allow-web',
      );
    const event = await eventually(
      () => one.results.find(withRule)?.data?.nodeEffectiveStateChanged as Json | undefined,
      'an event for the node with the new rule',
    );
    expect(event).toMatchObject({ project, location: 'us-central1-a', cluster: 'c1', node: first });
    expect(event.effectiveFirewall.current).toBe(true);
    expect(one.results.every((result) => result.data?.nodeEffectiveStateChanged?.node === first)).toBe(true);
    const everyNode = await eventually(() => {
      const seen = new Set(all.results.filter(withRule).map((r) => r.data.nodeEffectiveStateChanged.node));
      return seen.size === nodes.length ? [...seen].sort() : undefined;
    }, 'events for every node of the cluster');
    expect(everyNode).toEqual([...nodes].sort());
    expect([...one.errors, ...all.errors]).toEqual([]);
  });

  it('fires for every node when NetworkPolicy enforcement is turned off and on', async () => {
    const { project } = await setup();
    const nodes = (
      await ok(
        `query($p: String!) { kubernetes(project: $p, location: "us-central1-a", cluster: "c1") { nodes { name } } }`,
        { p: project },
      )
    ).kubernetes.nodes.map((node: Json) => node.name) as string[];
    const all = subscribe(CHANGES, { project });
    const [{ id }] = await app.database.query<{ id: string }>(
      `SELECT id::text FROM cluster WHERE project_id = $1`,
      [project],
    );
    await eventually(
      async () => {
        await app.database.query(`SELECT pg_notify('dataplane_node_changed', $1)`, [
          JSON.stringify({ clusterId: id, generation: '0', nodes: [nodes[0]] }),
        ]);
        return all.results.some((r) => r.data?.nodeEffectiveStateChanged?.generation === '0')
          ? true
          : undefined;
      },
      'the subscription to be registered',
      10_000,
      100,
    );
    const status = async () => (await rest(`/emulator/v1/dataplane?project=${project}`)).clusters[0] as Json;
    const cluster = `/v1/projects/${project}/locations/us-central1-a/clusters/c1`;
    for (const enabled of [false, true]) {
      await dataplaneConverged(app.url, project);
      const before = BigInt((await status()).observedGeneration as string);
      await request(app.url)
        .post(`${cluster}:setNetworkPolicy`)
        .send({ networkPolicy: { enabled, ...(enabled ? { provider: 'CALICO' } : {}) } })
        .expect(200);
      const seen = await eventually(
        () => {
          const after = all.results.filter(
            (r) => BigInt(r.data?.nodeEffectiveStateChanged?.generation ?? '0') > before,
          );
          const names = new Set(after.map((r) => r.data.nodeEffectiveStateChanged.node as string));
          return names.size === nodes.length ? [...names].sort() : undefined;
        },
        `events for every node after enabled=${String(enabled)}`,
      );
      expect(seen).toEqual([...nodes].sort());
      const computed = await eventually(async () => {
        const now = await status();
        return now.current ? now : undefined;
      }, 'the computation to be stored');
      expect(computed.lastComputation.nodes).toMatchObject({
        vpc: 0,
        kubeProxy: 0,
        networkPolicy: nodes.length,
      });
    }
    expect(all.errors).toEqual([]);
  });

  it('refuses an unknown cluster', async () => {
    const { project } = await setup();
    const sub = subscribe(
      `subscription($project: String!) {
        nodeEffectiveStateChanged(project: $project, location: "us-central1-a", cluster: "none") { node }
      }`,
      { project },
    );
    const error = await eventually(
      () => (sub.errors[0] ?? sub.results.find((r) => r.errors)) as Json,
      'an error',
    );
    expect(JSON.stringify(error)).toContain('clusters/none');
  });
});
