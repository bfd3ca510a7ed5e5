import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { kubeProxy, vpc } from '@gke-emulator/dataplane';
import { asService, asSlice, toRouteModel } from '@gke-emulator/effective';
import {
  eventually,
  gcloudAvailable,
  kubectlWithAuthPluginAvailable,
  useGcloudScenarios,
  useTestWorker,
  dataplaneConverged,
} from '@gke-emulator/testing';

/**
 * The data-plane issue's integration check through the real clients: gcloud makes the VPC and the cluster, kubectl
 * (through get-credentials' kubeconfig) a Deployment and a Service; once the worker has converged, each node's
 * iptables text and routing table equal what the pure library gives for the inputs read back through kubectl and
 * gcloud; then one endpoint change recomputes kube-proxy's rules on every node and nothing of the VPC side.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;
const ZONE = 'us-central1-a';

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
`;

describe.skipIf(!gcloudAvailable() || !kubectlWithAuthPluginAvailable())(
  'the effective data plane of a cluster made with gcloud and kubectl (skipped: gcloud, kubectl or gke-gcloud-auth-plugin missing)',
  () => {
    const gcloud = useGcloudScenarios('gke-dp');
    useTestWorker();

    it('equals the pure library on the same inputs, node by node; one endpoint change recomputes kube-proxy only', async () => {
      const scenario = gcloud.scenario();
      const { run, json, project } = scenario;
      const must = async (line: string) => {
        const result = await run(line);
        expect(result.code, result.stderr).toBe(0);
      };
      await must('compute networks create vpc --subnet-mode=custom');
      await must(
        'compute networks subnets create nodes --network=vpc --region=us-central1 --range=10.0.0.0/24 ' +
          '--secondary-range=pods=10.4.0.0/14,services=10.8.0.0/20',
      );
      await must(
        `container clusters create c1 --zone=${ZONE} --network=vpc --subnetwork=nodes --enable-ip-alias ` +
          '--cluster-secondary-range-name=pods --services-secondary-range-name=services --num-nodes=2',
      );
      await must(`container clusters get-credentials c1 --zone=${ZONE}`);
      const kubectl = async (args: string[], stdin?: string) => {
        const result = await scenario.kubectl(args, stdin === undefined ? {} : { stdin });
        if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
        return result.stdout;
      };
      const kubectlJson = async (...args: string[]): Promise<Json> =>
        JSON.parse(await kubectl([...args, '-o', 'json']));
      await kubectl(['apply', '-f', '-'], MANIFEST);
      await eventually(async () => {
        const slices = (await kubectlJson('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'))
          .items as Json[];
        const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e: Json) => e.conditions?.ready);
        return ready.length === 3 ? ready : undefined;
      }, 'three ready endpoints of web');

      const converged = () => dataplaneConverged(gcloud.url(), project);
      await converged();

      // The inputs, read back through the real clients.
      const services = ((await kubectlJson('get', 'services', '-A')).items as Json[]).map(asService);
      const slices = ((await kubectlJson('get', 'endpointslices', '-A')).items as Json[]).map(asSlice);
      const cluster = await json<Json>(`container clusters describe c1 --zone=${ZONE}`);
      // (links as the emulator stores them: relative, where the wire has full URLs)
      const computeBase = `${gcloud.url()}/compute/v1/`;
      const wireRoutes = await json<vpc.Route[]>('compute routes list');
      const routes = JSON.parse(JSON.stringify(wireRoutes).replaceAll(computeBase, '')) as vpc.Route[];
      const base = `/emulator/v1/projects/${project}/locations/${ZONE}/clusters/c1`;
      const nodes = (await kubectlJson('get', 'nodes')).items as Json[];
      expect(nodes).toHaveLength(2);
      for (const node of nodes) {
        const name = node.metadata.name as string;
        const nodeIP = (node.status.addresses as Json[]).find((a) => a.type === 'InternalIP')?.address;
        const text = await request(gcloud.url()).get(`${base}/nodes/${name}/iptables`).expect(200);
        expect(text.headers['x-current']).toBe('true');
        expect(text.text).toBe(
          kubeProxy.renderKubeProxyIptables(
            { services, endpointSlices: slices, config: { clusterCidr: cluster.clusterIpv4Cidr } },
            { nodeName: name, nodeIP, podCidr: node.spec.podCIDR },
          ),
        );

        const instance = await json<Json>(`compute instances describe ${name} --zone=${ZONE}`);
        const nic = instance.networkInterfaces[0];
        const vm: vpc.VpcInstance = {
          name,
          network: `projects/${project}/global/networks/vpc`,
          tags: instance.tags?.items ?? [],
          serviceAccount: instance.serviceAccounts?.[0]?.email ?? '',
          ipAddresses: [nic.networkIP, ...(nic.aliasIpRanges ?? []).map((a: Json) => a.ipCidrRange)],
        };
        const table = (await request(gcloud.url()).get(`${base}/nodes/${name}/routes`).expect(200)).body;
        // The REST read is client-shaped (#16): the routing table as GraphQL's EffectiveRoute shows it, each
        // route's `resource` as gcloud lists it (full selfLink, network and next-hop links on the emulator).
        const model = vpc
          .buildRoutingTable(routes, vm)
          .routes.map((route) => toRouteModel(route, computeBase));
        expect(table.routes).toEqual(JSON.parse(JSON.stringify(model)));
        for (const route of table.routes as Json[]) {
          expect(route.resource).toEqual(wireRoutes.find((wire) => wire.name === route.name));
          expect(route.resource.selfLink).toBe(
            `${computeBase}projects/${project}/global/routes/${route.name}`,
          );
        }
      }

      // One endpoint fewer: every node's kube-proxy rules, no node's routes or firewall.
      await kubectl(['scale', 'deployment/web', '--replicas=2']);
      await eventually(async () => {
        const current = (await kubectlJson('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'))
          .items as Json[];
        return current.flatMap((s) => s.endpoints ?? []).length === 2 ? current : undefined;
      }, 'two endpoints of web');
      const after = await converged();
      expect(after.clusters[0].lastComputation).toMatchObject({
        mode: 'incremental',
        nodes: { vpc: 0, kubeProxy: 2 },
      });
      const trace = await request(gcloud.url())
        .get(`${base}/nodes/${nodes[0]?.metadata.name}/iptables/trace`)
        .query({
          src: '203.0.113.9',
          dst: services.find((s) => s.name === 'web')?.clusterIP,
          dport: 80,
        })
        .expect(200);
      expect(trace.body.targets).toHaveLength(2);
    }, 240_000);
  },
);
