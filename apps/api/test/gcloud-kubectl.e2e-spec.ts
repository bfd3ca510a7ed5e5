import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  eventually,
  gcloudAvailable,
  kubectlWithAuthPluginAvailable,
  type GcloudScenario,
  useGcloudScenarios,
} from '@gke-emulator/testing';

/**
 * The scenario: gcloud makes a VPC-native cluster, `gcloud container clusters get-credentials` writes the
 * kubeconfig, and kubectl, through that kubeconfig and gke-gcloud-auth-plugin (which reads gcloud's token file),
 * applies the manifests of Google's "GKE network overview": a Deployment, a LoadBalancer Service and an Ingress.
 * What GKE makes in Google Cloud is then seen through `gcloud compute`.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;
const TIMEOUT = 240_000;
const ZONE = 'us-central1-a';

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-deployment
spec:
  selector:
    matchLabels:
      app: metrics
      department: sales
  replicas: 3
  template:
    metadata:
      labels:
        app: metrics
        department: sales
    spec:
      containers:
      - name: hello
        image: "us-docker.pkg.dev/google-samples/containers/gke/hello-app:2.0"
        ports:
        - containerPort: 8080
`;

const LB_SERVICE = `
apiVersion: v1
kind: Service
metadata:
  name: my-lb-service
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
    app: metrics
    department: sales
  ports:
  - protocol: TCP
    port: 80
    targetPort: 8080
`;

const nodePortService = (name: string) => `
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: NodePort
  selector:
    app: metrics
    department: sales
  ports:
  - protocol: TCP
    port: 80
    targetPort: 8080
`;

const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: my-ingress
spec:
  rules:
  - host: "foo.example.com"
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: my-service-foo
            port:
              number: 80
  - host: "bar.example.com"
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: my-service-bar
            port:
              number: 80
`;

const MANIFEST = [
  DEPLOYMENT,
  LB_SERVICE,
  nodePortService('my-service-foo'),
  nodePortService('my-service-bar'),
  INGRESS,
].join('---');

/** The network, subnet and VPC-native cluster, made with gcloud; then get-credentials writes $KUBECONFIG. */
async function clusterWithCredentials(scenario: GcloudScenario): Promise<{
  kubectl(...args: string[]): Promise<string>;
  kubectlJson(...args: string[]): Promise<Json>;
  manifest: string;
}> {
  const { run } = scenario;
  const network = await run('compute networks create vpc --subnet-mode=custom');
  expect(network.code, network.stderr).toBe(0);
  const subnet = await run(
    'compute networks subnets create nodes --network=vpc --region=us-central1 --range=10.0.0.0/24 ' +
      '--secondary-range=pods=10.4.0.0/14,services=10.8.0.0/20',
  );
  expect(subnet.code, subnet.stderr).toBe(0);
  const created = await run(
    `container clusters create c1 --zone=${ZONE} --network=vpc --subnetwork=nodes --enable-ip-alias ` +
      '--cluster-secondary-range-name=pods --services-secondary-range-name=services --num-nodes=2',
  );
  expect(created.code, created.stderr).toBe(0);
  const credentials = await run(`container clusters get-credentials c1 --zone=${ZONE}`);
  expect(credentials.code, credentials.stderr).toBe(0);
  expect(credentials.stderr).toContain('kubeconfig entry generated for c1.');

  const kubectl = async (...args: string[]) => {
    const result = await scenario.kubectl(args);
    if (result.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
    return result.stdout;
  };
  const manifest = join(scenario.env['CLOUDSDK_CONFIG'] as string, 'network-overview.yaml');
  writeFileSync(manifest, MANIFEST);
  return {
    kubectl,
    kubectlJson: async (...args) => JSON.parse(await kubectl(...args, '-o', 'json')),
    manifest,
  };
}

describe.skipIf(!gcloudAvailable() || !kubectlWithAuthPluginAvailable())(
  'kubectl through the kubeconfig of gcloud container clusters get-credentials (skipped: gcloud, kubectl or gke-gcloud-auth-plugin missing)',
  () => {
    const gcloud = useGcloudScenarios('gke-kubectl');

    it(
      "applies the GKE network overview's Deployment, LoadBalancer Service and Ingress; scales; deletes",
      async () => {
        const scenario = gcloud.scenario();
        const { json } = scenario;
        const { kubectl, kubectlJson, manifest } = await clusterWithCredentials(scenario);

        const config = JSON.parse(await kubectl('config', 'view', '--minify', '-o', 'json'));
        expect(config.users[0].user.exec.command).toBe('gke-gcloud-auth-plugin');
        expect(config.clusters[0].cluster.server).toMatch(
          new RegExp(`^https://127\\.0\\.0\\.1:\\d+/k8s/${scenario.project}/${ZONE}/c1$`),
        );
        expect((await kubectl('get', 'nodes', '-o', 'name')).trim().split('\n')).toHaveLength(2);

        expect(await kubectl('apply', '-f', manifest)).toBe(
          [
            'deployment.apps/my-deployment created',
            'service/my-lb-service created',
            'service/my-service-foo created',
            'service/my-service-bar created',
            'ingress.networking.k8s.io/my-ingress created',
            '',
          ].join('\n'),
        );

        // pods Running with IPs from the pod range, on the cluster's nodes
        const podLines = await eventually(async () => {
          const lines = (await kubectl('get', 'pods', '-o', 'wide', '-l', 'app=metrics,department=sales'))
            .trim()
            .split('\n');
          const running = lines.slice(1).filter((line) => /\sRunning\s/.test(line));
          return running.length === 3 ? lines : undefined;
        }, '3 Running pods');
        expect(podLines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s/);
        for (const line of podLines.slice(1)) {
          expect(line).toMatch(
            /^my-deployment-[a-z0-9]+-[a-z0-9]{5}\s+\S+\s+Running\s+0\s+\S+\s+10\.[4-7]\.\d+\.\d+\s+gke-c1-default-pool-/,
          );
        }
        const pods = await kubectlJson('get', 'pods', '-l', 'app=metrics');
        const podIps = pods['items'].map((p: Json) => p.status.podIP).sort();
        expect(pods['items'][0].spec.containers[0]).toMatchObject({
          name: 'hello',
          image: 'us-docker.pkg.dev/google-samples/containers/gke/hello-app:2.0',
        });

        // EndpointSlices of each Service list the pods
        const slicesOf = async (service: string) =>
          (await kubectlJson('get', 'endpointslices', '-l', `kubernetes.io/service-name=${service}`))[
            'items'
          ];
        const endpointIps = async (service: string) =>
          (await slicesOf(service))
            .flatMap((s: Json) => s.endpoints ?? [])
            .flatMap((e: Json) => e.addresses)
            .sort();
        expect(
          await eventually(async () => {
            const ips = await endpointIps('my-lb-service');
            return ips.length === 3 ? ips : undefined;
          }, '3 endpoints of my-lb-service'),
        ).toEqual(podIps);
        const slices = await kubectl('get', 'endpointslices');
        expect(slices.split('\n')[0]).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/);
        expect(slices).toMatch(/my-lb-service-[a-z0-9]{5}\s+IPv4\s+8080\s+/);

        // the LoadBalancer Service: node port, health-check node port, then (asynchronously) its IP
        const service = await kubectlJson('get', 'svc', 'my-lb-service');
        expect(service['spec']).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
        expect(service['spec'].clusterIP).toMatch(/^10\.8\.\d+\.\d+$/);
        expect(service['spec'].ports[0].nodePort).toBeGreaterThanOrEqual(30000);
        expect(service['spec'].healthCheckNodePort).toBeGreaterThanOrEqual(30000);
        const ip = await eventually(async () => {
          const current = await kubectlJson('get', 'svc', 'my-lb-service');
          return current['status']?.loadBalancer?.ingress?.[0]?.ip as string | undefined;
        }, 'status.loadBalancer.ingress[0].ip of my-lb-service');
        expect(await kubectl('get', 'svc', 'my-lb-service')).toMatch(
          new RegExp(
            `my-lb-service\\s+LoadBalancer\\s+10\\.8\\.\\d+\\.\\d+\\s+${ip.replace(/\./g, '\\.')}\\s+80:\\d+/TCP`,
          ),
        );

        // what GKE made in Google Cloud, through gcloud
        const lbName = `a${String(service['metadata'].uid).replace(/-/g, '')}`.slice(0, 32);
        const rules = await json<Json[]>('compute forwarding-rules list');
        expect(rules).toContainEqual(
          expect.objectContaining({
            name: lbName,
            IPAddress: ip,
            IPProtocol: 'TCP',
            portRange: '80-80',
            loadBalancingScheme: 'EXTERNAL',
            target: expect.stringMatching(new RegExp(`/regions/us-central1/targetPools/${lbName}$`)),
          }),
        );
        const pools = await json<Json[]>('compute target-pools list');
        expect(pools.map((p) => p['name'])).toEqual([lbName]);
        expect(pools[0]?.['instances']).toHaveLength(2);
        const firewalls = await json<Json[]>('compute firewall-rules list');
        expect(firewalls.map((f) => f['name'])).toEqual(
          expect.arrayContaining([`k8s-fw-${lbName}`, `k8s-${lbName}-http-hc`]),
        );
        expect(firewalls.find((f) => f['name'] === `k8s-fw-${lbName}`)).toMatchObject({
          allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
          destinationRanges: [ip],
        });

        // the Ingress is stored and listed (its load balancer: see the next test)
        const ingress = await kubectlJson('get', 'ingress', 'my-ingress');
        expect(
          ingress['spec'].rules.map((r: Json) => [r.host, r.http.paths[0].backend.service.name]),
        ).toEqual([
          ['foo.example.com', 'my-service-foo'],
          ['bar.example.com', 'my-service-bar'],
        ]);
        const ingresses = (await kubectl('get', 'ingress')).trim().split('\n');
        expect(ingresses[0]).toMatch(/^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE$/);
        expect(ingresses[1]).toMatch(
          /^my-ingress\s+\S+\s+foo\.example\.com,bar\.example\.com\s+.*\s80\s+\S+$/,
        );

        // scale to 5: 5 pods, 5 endpoints
        expect(await kubectl('scale', 'deployment', 'my-deployment', '--replicas=5')).toBe(
          'deployment.apps/my-deployment scaled\n',
        );
        await eventually(async () => {
          const items = (await kubectlJson('get', 'pods', '-l', 'app=metrics'))['items'] as Json[];
          return items.filter((p) => p['status']?.phase === 'Running' && p['status']?.podIP).length === 5
            ? true
            : undefined;
        }, '5 Running pods');
        await eventually(
          async () => ((await endpointIps('my-lb-service')).length === 5 ? true : undefined),
          '5 endpoints of my-lb-service',
        );
        await eventually(
          async () => ((await endpointIps('my-service-foo')).length === 5 ? true : undefined),
          '5 endpoints of my-service-foo',
        );

        // delete -f: everything gone, and the Google load-balancer objects removed
        const deleted = await kubectl('delete', '-f', manifest);
        expect(deleted).toContain('deployment.apps "my-deployment" deleted');
        expect(deleted).toContain('service "my-lb-service" deleted');
        expect(deleted).toContain('ingress.networking.k8s.io "my-ingress" deleted');
        await eventually(
          async () => ((await kubectl('get', 'pods', '-o', 'name')).trim() === '' ? true : undefined),
          'the pods to go',
        );
        expect(await kubectl('get', 'svc', '-o', 'name')).not.toMatch(/service\/my-/);
        expect((await kubectl('get', 'ingress', '-o', 'name')).trim()).toBe('');
        expect(
          (await kubectlJson('get', 'endpointslices'))['items'].map((s: Json) => s.metadata.name),
        ).toEqual(expect.not.arrayContaining([expect.stringMatching(/^my-/)]));
        await eventually(
          async () => ((await json<Json[]>('compute forwarding-rules list')).length === 0 ? true : undefined),
          'the forwarding rule to go',
        );
        expect(await json<Json[]>('compute target-pools list')).toEqual([]);
        await eventually(
          async () =>
            (await json<Json[]>('compute firewall-rules list')).some((f) =>
              String(f['name']).startsWith('k8s-'),
            )
              ? undefined
              : true,
          'the k8s- firewall rules to go',
        );
        expect(await json<Json[]>('compute addresses list')).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'gives the Ingress an L7 load balancer: status.loadBalancer.ingress and k8s2-fr- global forwarding rules',
      async () => {
        const scenario = gcloud.scenario();
        const { json } = scenario;
        const { kubectl, kubectlJson, manifest } = await clusterWithCredentials(scenario);
        await kubectl('apply', '-f', manifest);

        const ip = await eventually(
          async () => {
            const ingress = await kubectlJson('get', 'ingress', 'my-ingress');
            return ingress['status']?.loadBalancer?.ingress?.[0]?.ip as string | undefined;
          },
          'status.loadBalancer.ingress[0].ip of my-ingress',
          60_000,
        );
        const rules = await eventually(
          async () => {
            const global = await json<Json[]>('compute forwarding-rules list --global');
            return global.some((r) => String(r['name']).startsWith('k8s2-fr-')) ? global : undefined;
          },
          'a k8s2-fr- global forwarding rule',
          60_000,
        );
        expect(rules.find((r) => String(r['name']).startsWith('k8s2-fr-'))).toMatchObject({ IPAddress: ip });
        expect((await kubectl('get', 'ingress', 'my-ingress')).split('\n')[1]).toContain(ip);

        await kubectl('delete', '-f', manifest);
        await eventually(
          async () =>
            (await json<Json[]>('compute forwarding-rules list --global')).some((r) =>
              String(r['name']).startsWith('k8s2-'),
            )
              ? undefined
              : true,
          'the k8s2- global forwarding rules to go',
          60_000,
        );
      },
      TIMEOUT,
    );
  },
);
