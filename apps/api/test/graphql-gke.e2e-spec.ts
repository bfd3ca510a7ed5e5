import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { eventually, testProject, useTestApp } from '@gke-emulator/testing';

const app = useTestApp();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL and Kubernetes objects read loosely in assertions
type Json = Record<string, any>;

interface GraphqlError {
  message: string;
  extensions?: { code?: string; httpStatus?: number };
}

async function graphql(query: string, variables: Record<string, unknown>) {
  const res = await request(app.url).post('/graphql').send({ query, variables });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { data: Json | null; errors?: GraphqlError[] };
}

/** A GraphQL request that must succeed: returns `data`. */
async function ok(query: string, variables: Record<string, unknown>): Promise<Json> {
  const body = await graphql(query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as Json;
}

/** A GraphQL request that must fail with exactly one error: returns it. */
async function fails(query: string, variables: Record<string, unknown>): Promise<GraphqlError> {
  const body = await graphql(query, variables);
  expect(body.errors, JSON.stringify(body.data)).toHaveLength(1);
  return (body.errors as GraphqlError[])[0] as GraphqlError;
}

/** Whether an IPv4 address is inside a CIDR range. */
function inRange(ip: string, cidr: string): boolean {
  const toInt = (address: string) =>
    address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}

/** Network `vpc`, subnetwork `s1` with pod and services secondary ranges, and cluster `c1`, all through REST. */
async function cluster(nodes: number) {
  const project = testProject('gq');
  const compute = `/compute/v1/projects/${project}`;
  await request(app.url)
    .post(`${compute}/global/networks`)
    .send({ name: 'vpc', autoCreateSubnetworks: false })
    .expect(200);
  await request(app.url)
    .post(`${compute}/regions/us-central1/subnetworks`)
    .send({
      name: 's1',
      network: 'vpc',
      ipCidrRange: '10.0.0.0/24',
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
        { rangeName: 'svc', ipCidrRange: '10.8.0.0/20' },
      ],
    })
    .expect(200);
  await request(app.url)
    .post(`/v1/projects/${project}/locations/us-central1-a/clusters`)
    .send({
      cluster: {
        name: 'c1',
        network: 'vpc',
        subnetwork: 's1',
        initialNodeCount: nodes,
        ipAllocationPolicy: {
          useIpAliases: true,
          clusterSecondaryRangeName: 'pods',
          servicesSecondaryRangeName: 'svc',
        },
      },
    })
    .expect(200);
  return { project, location: 'us-central1-a', kube: `/k8s/${project}/us-central1-a/c1` };
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

const service = (name: string, type: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { type, selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

async function kubePods(kube: string): Promise<Json[]> {
  const res = await request(app.url)
    .get(`${kube}/api/v1/namespaces/default/pods?labelSelector=app%3Dweb`)
    .expect(200);
  return res.body.items;
}

const CLUSTER = `query ($project: String!, $location: String!) {
  cluster(project: $project, location: $location, name: "c1") {
    name location status network subnetwork clusterIpv4Cidr servicesIpv4Cidr currentNodeCount vpcNative
    nodePools { name podIpv4CidrSize maxPodsPerNode nodeCount
      nodes { name zone internalIp podCidr nodePool pods { namespace name podIP nodeName phase ready } } }
    nodes { name }
  }
}`;

const SERVICES = `query ($project: String!, $location: String!) {
  kubernetes(project: $project, location: $location, cluster: "c1") {
    namespaces { name phase }
    services(namespace: "default", labelSelector: "!component") {
      name type clusterIP nodePorts selector { key value } ports { name port targetPort protocol nodePort }
      pods { name }
      endpoints { address ready nodeName podName endpointSlice ports { name port protocol }
        pod { name podIP nodeName node { name podCidr } } }
      loadBalancer { name }
    }
  }
}`;

const NODES = `query ($project: String!, $location: String!) {
  kubernetes(project: $project, location: $location, cluster: "c1") {
    podRange servicesRange
    nodes { name podCidr internalIp unschedulable labels { key value } pods { name podIP hostIP nodeName } }
    pods(namespace: "default", labelSelector: "app=web") { name podIP ready controlledBy labels { key value }
      node { name } services { name } }
  }
}`;

describe('GraphQL over GKE', () => {
  it('cluster → node pools → nodes → pods; Service → endpoints → pods; node → pods, as the REST and Kubernetes APIs have them', async () => {
    const { project, location, kube } = await cluster(2);
    await request(app.url)
      .post(`${kube}/apis/apps/v1/namespaces/default/deployments`)
      .send(deployment('web', 4))
      .expect(201);
    await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send(service('web', 'NodePort'))
      .expect(201);
    const pods = await kubePods(kube);
    expect(pods).toHaveLength(4);
    const podIps = pods.map((pod) => pod.status.podIP as string).sort();

    // The container side: what REST answers, with the nodes and their pods nested.
    const rest = (
      await request(app.url).get(`/v1/projects/${project}/locations/${location}/clusters/c1`).expect(200)
    ).body;
    const { cluster: c1 } = await ok(CLUSTER, { project, location });
    expect(c1).toMatchObject({
      name: 'c1',
      location,
      status: 'RUNNING',
      network: 'vpc',
      subnetwork: 's1',
      clusterIpv4Cidr: '10.4.0.0/14',
      servicesIpv4Cidr: '10.8.0.0/20',
      currentNodeCount: 2,
      vpcNative: true,
    });
    expect(c1.clusterIpv4Cidr).toBe(rest.clusterIpv4Cidr);
    expect(c1.nodePools).toHaveLength(1);
    const pool = c1.nodePools[0];
    expect(pool).toMatchObject({
      name: 'default-pool',
      podIpv4CidrSize: 24,
      maxPodsPerNode: 110,
      nodeCount: 2,
    });
    expect(pool.nodes.map((node: Json) => node.name)).toEqual(c1.nodes.map((node: Json) => node.name));
    const nodePods = pool.nodes.flatMap((node: Json) => {
      expect(inRange(node.podCidr.split('/')[0], '10.4.0.0/14')).toBe(true);
      for (const pod of node.pods) {
        expect(pod.nodeName).toBe(node.name);
        expect(inRange(pod.podIP, node.podCidr), `${pod.podIP} in ${node.podCidr}`).toBe(true);
      }
      return node.pods.map((pod: Json) => pod.podIP as string);
    });
    // A node's pods are every pod bound to it, kube-system's kube-dns pods among them (one per node here).
    const everyPod = (await request(app.url).get(`${kube}/api/v1/pods`).expect(200)).body.items as Json[];
    expect(everyPod.filter((pod) => pod.metadata.namespace === 'kube-system')).toHaveLength(2);
    expect(nodePods.sort()).toEqual(everyPod.map((pod) => pod.status.podIP as string).sort());

    // The Kubernetes side: the Service's endpoints are its pods.
    const { kubernetes } = await ok(SERVICES, { project, location });
    expect(kubernetes.namespaces.map((ns: Json) => ns.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system']),
    );
    const web = kubernetes.services.find((svc: Json) => svc.name === 'web');
    expect(web).toMatchObject({
      type: 'NodePort',
      selector: [{ key: 'app', value: 'web' }],
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      loadBalancer: null,
    });
    expect(inRange(web.clusterIP, '10.8.0.0/20')).toBe(true);
    expect(web.nodePorts).toEqual([web.ports[0].nodePort]);
    expect(web.pods.map((pod: Json) => pod.name).sort()).toEqual(pods.map((pod) => pod.metadata.name).sort());
    expect(web.endpoints).toHaveLength(4);
    expect(web.endpoints.map((endpoint: Json) => endpoint.address).sort()).toEqual(podIps);
    for (const endpoint of web.endpoints) {
      expect(endpoint).toMatchObject({ ready: true, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] });
      expect(endpoint.pod).toMatchObject({
        name: endpoint.podName,
        podIP: endpoint.address,
        nodeName: endpoint.nodeName,
      });
      expect(endpoint.pod.node.name).toBe(endpoint.nodeName);
      expect(inRange(endpoint.address, endpoint.pod.node.podCidr)).toBe(true);
    }

    // Node → pods, the same grouping the Kubernetes API's pods have by spec.nodeName.
    const { kubernetes: view } = await ok(NODES, { project, location });
    expect(view).toMatchObject({ podRange: '10.4.0.0/14', servicesRange: '10.8.0.0/20' });
    expect(view.nodes).toHaveLength(2);
    for (const node of view.nodes) {
      const expected = everyPod
        .filter((pod) => pod.spec.nodeName === node.name)
        .map((pod) => pod.metadata.name);
      expect(node.pods.map((pod: Json) => pod.name).sort()).toEqual(expected.sort());
      expect(node.pods.every((pod: Json) => pod.hostIP === node.internalIp)).toBe(true);
      expect(node.unschedulable).toBe(false);
      expect(node.labels).toEqual(
        expect.arrayContaining([{ key: 'cloud.google.com/gke-nodepool', value: 'default-pool' }]),
      );
    }
    expect(view.pods).toHaveLength(4);
    for (const pod of view.pods) {
      expect(pod.ready).toBe(true);
      expect(pod.controlledBy).toMatch(/^ReplicaSet\/web-/);
      expect(pod.services).toEqual([{ name: 'web' }]);
      expect(pod.node.name).toBe(pods.find((p) => p.metadata.name === pod.name)?.spec.nodeName);
    }

    // setSize through GraphQL is the REST use case: a third node, which the REST API counts too.
    const resize = `mutation ($project: String!, $location: String!) {
      setNodePoolSize(project: $project, location: $location, cluster: "c1", name: "default-pool", nodeCount: 3) {
        operationType status targetLink
      }
    }`;
    const { setNodePoolSize } = await ok(resize, { project, location });
    expect(setNodePoolSize.operationType).toBe('SET_NODE_POOL_SIZE');
    expect(setNodePoolSize.targetLink).toMatch(/\/clusters\/c1\/nodePools\/default-pool$/);
    const after = (
      await request(app.url).get(`/v1/projects/${project}/locations/${location}/clusters/c1`).expect(200)
    ).body;
    expect(after.currentNodeCount).toBe(3);
    expect((await ok(CLUSTER, { project, location })).cluster.nodePools[0].nodeCount).toBe(3);
  });

  it('a LoadBalancer Service has its load balancer: the uid-derived name, the ingress IP and the forwarding rule', async () => {
    const { project, location, kube } = await cluster(2);
    const created = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send(service('lb', 'LoadBalancer'))
      .expect(201);
    const uid = created.body.metadata.uid as string;
    const query = `query ($project: String!, $location: String!) {
      cluster(project: $project, location: $location, name: "c1") {
        kubernetes { service(namespace: "default", name: "lb") {
          type loadBalancerIngress
          loadBalancer { name scheme region ingressIp backendCollection
            forwardingRule { name region ipAddress ipProtocol loadBalancingScheme portRange target } }
        } }
      }
    }`;
    const lb = await eventually(async () => {
      const found = (await ok(query, { project, location })).cluster.kubernetes.service.loadBalancer;
      return found.ingressIp && found.forwardingRule ? (found as Json) : undefined;
    }, 'the load balancer of lb');
    const name = `a${uid.replace(/-/g, '')}`.slice(0, 32);
    expect(lb).toMatchObject({
      name,
      scheme: 'EXTERNAL',
      region: 'us-central1',
      backendCollection: 'targetPools',
      forwardingRule: {
        name,
        region: 'us-central1',
        ipAddress: lb.ingressIp,
        ipProtocol: 'TCP',
        loadBalancingScheme: 'EXTERNAL',
        portRange: '80-80',
        target: name,
      },
    });
    const fr = await request(app.url)
      .get(`/compute/v1/projects/${project}/regions/us-central1/forwardingRules/${name}`)
      .expect(200);
    expect(fr.body.IPAddress).toBe(lb.ingressIp);
  });

  it('Ingresses with their rules and backend Services; NetworkPolicies with the pods they select', async () => {
    const { project, location, kube } = await cluster(1);
    await request(app.url)
      .post(`${kube}/apis/apps/v1/namespaces/default/deployments`)
      .send(deployment('web', 2))
      .expect(201);
    await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send(service('web', 'NodePort'))
      .expect(201);
    await request(app.url)
      .post(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses`)
      .send({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'site' },
        spec: {
          rules: [
            {
              host: 'shop.example.com',
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: 'web', port: { number: 80 } } },
                  },
                  {
                    path: '/api',
                    pathType: 'Exact',
                    backend: { service: { name: 'web', port: { name: 'http' } } },
                  },
                ],
              },
            },
          ],
        },
      })
      .expect(201);
    await request(app.url)
      .post(`${kube}/apis/networking.k8s.io/v1/namespaces/default/networkpolicies`)
      .send({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web-from-frontend' },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [
            { from: [{ podSelector: { matchLabels: { role: 'frontend' } } }], ports: [{ port: 8080 }] },
          ],
        },
      })
      .expect(201);

    const { kubernetes } = await ok(
      `query ($project: String!, $location: String!) {
        kubernetes(project: $project, location: $location, cluster: "c1") {
          ingresses(namespace: "default") { name rules { host paths { path pathType
            backend { serviceName servicePortNumber servicePortName service { name type } } } } }
          networkPolicies { namespace name policyTypes ingress egress
            podSelector { matchLabels { key value } matchExpressions { key } } pods { name } }
        }
      }`,
      { project, location },
    );
    expect(kubernetes.ingresses).toEqual([
      {
        name: 'site',
        rules: [
          {
            host: 'shop.example.com',
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: {
                  serviceName: 'web',
                  servicePortNumber: 80,
                  servicePortName: null,
                  service: { name: 'web', type: 'NodePort' },
                },
              },
              {
                path: '/api',
                pathType: 'Exact',
                backend: {
                  serviceName: 'web',
                  servicePortNumber: null,
                  servicePortName: 'http',
                  service: { name: 'web', type: 'NodePort' },
                },
              },
            ],
          },
        ],
      },
    ]);
    // The ingress controller reports its forwarding rule's address in status; GraphQL reads it from there.
    const ingressQuery = `query ($project: String!, $location: String!) {
      kubernetes(project: $project, location: $location, cluster: "c1") { ingresses { ip loadBalancerIngress } }
    }`;
    const reported = await eventually(async () => {
      const [ingress] = (await ok(ingressQuery, { project, location })).kubernetes.ingresses as Json[];
      return ingress?.ip ? ingress : undefined;
    }, 'the status IP of site');
    expect(reported.loadBalancerIngress).toEqual([reported.ip]);
    const status = (
      await request(app.url)
        .get(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses/site`)
        .expect(200)
    ).body.status;
    expect(status.loadBalancer.ingress[0].ip).toBe(reported.ip);
    const pods = await kubePods(kube);
    expect(kubernetes.networkPolicies).toEqual([
      {
        namespace: 'default',
        name: 'web-from-frontend',
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { role: 'frontend' } } }],
            ports: [{ port: 8080, protocol: 'TCP' }],
          },
        ],
        egress: [],
        podSelector: { matchLabels: [{ key: 'app', value: 'web' }], matchExpressions: [] },
        pods: expect.arrayContaining(pods.map((pod) => ({ name: pod.metadata.name }))),
      },
    ]);
    expect(kubernetes.networkPolicies[0].pods).toHaveLength(2);
  });

  it('creates and deletes a cluster through GraphQL, the same use cases as REST; errors carry the Google reason', async () => {
    const { project, location } = await cluster(1);
    const create = `mutation ($project: String!, $location: String!, $input: ClusterInput!) {
      createCluster(project: $project, location: $location, input: $input) { operationType status targetLink zone }
    }`;
    const input = {
      name: 'c2',
      network: 'vpc',
      subnetwork: 's1',
      initialNodeCount: 1,
      ipAllocationPolicy: { clusterIpv4CidrBlock: '/16', servicesIpv4CidrBlock: '/22' },
    };
    const { createCluster } = await ok(create, { project, location, input });
    expect(createCluster).toMatchObject({ operationType: 'CREATE_CLUSTER', zone: location });
    const rest = (
      await request(app.url).get(`/v1/projects/${project}/locations/${location}/clusters/c2`).expect(200)
    ).body;
    const { clusters } = await ok(
      `query ($project: String!) { clusters(project: $project) { name clusterIpv4Cidr currentNodeCount } }`,
      { project },
    );
    expect(clusters.map((c: Json) => c.name)).toEqual(['c1', 'c2']);
    expect(clusters[1]).toMatchObject({ clusterIpv4Cidr: rest.clusterIpv4Cidr, currentNodeCount: 1 });

    const duplicate = await fails(create, { project, location, input });
    expect(duplicate.extensions).toEqual({ code: 'alreadyExists', httpStatus: 409 });

    const { deleteCluster } = await ok(
      `mutation ($project: String!, $location: String!) {
        deleteCluster(project: $project, location: $location, name: "c2") { operationType }
      }`,
      { project, location },
    );
    expect(deleteCluster.operationType).toBe('DELETE_CLUSTER');
    await request(app.url).get(`/v1/projects/${project}/locations/${location}/clusters/c2`).expect(404);

    const missing = await fails(
      `query ($project: String!, $location: String!) {
        kubernetes(project: $project, location: $location, cluster: "c2") { name }
      }`,
      { project, location },
    );
    expect(missing.extensions).toEqual({ code: 'notFound', httpStatus: 404 });
    const badSelector = await fails(
      `query ($project: String!, $location: String!) {
        kubernetes(project: $project, location: $location, cluster: "c1") { pods(labelSelector: "app in (") { name } }
      }`,
      { project, location },
    );
    expect(badSelector.extensions).toEqual({ code: 'invalid', httpStatus: 400 });
  });
});
