import { CoreV1Api } from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GkeEmulatorError, GkeEmulatorGraphqlError, startEmulator, type RunningEmulator } from '../src';
import { EMULATOR_BIN } from './emulator-bin';

/**
 * The SDK's client against a real emulator (a child process on the test run's database): what only the emulator
 * has, and the official Google and Kubernetes clients it pre-wires, with no credentials anywhere.
 */
let emu: RunningEmulator;

// Credentials that would break any client reading Application Default Credentials: the SDK's clients must not.
const savedCredentials = process.env['GOOGLE_APPLICATION_CREDENTIALS'];
beforeAll(async () => {
  process.env['GOOGLE_APPLICATION_CREDENTIALS'] = '/nonexistent/gke-emulator-sdk-test-credentials.json';
  emu = await startEmulator({ bin: EMULATOR_BIN, databaseUrl: inject('databaseUrl') });
});
afterAll(async () => {
  if (savedCredentials === undefined) delete process.env['GOOGLE_APPLICATION_CREDENTIALS'];
  else process.env['GOOGLE_APPLICATION_CREDENTIALS'] = savedCredentials;
  await emu?.stop();
});

/** A project with a custom VPC, a subnet and a 2-node cluster `c1` in us-central1-a, through the official clients. */
async function projectWithCluster(): Promise<string> {
  const project = emu.project();
  const [networkOp] = await emu.compute.networks().insert({
    project,
    networkResource: { name: 'vpc', autoCreateSubnetworks: false },
  });
  expect((await emu.compute.wait(networkOp)).status).toBe('DONE');
  const [subnetOp] = await emu.compute.subnetworks().insert({
    project,
    region: 'us-central1',
    subnetworkResource: { name: 's1', network: 'global/networks/vpc', ipCidrRange: '10.0.0.0/24' },
  });
  expect((await emu.compute.wait(subnetOp)).status).toBe('DONE');
  await emu.container.clusterManager().createCluster({
    parent: `projects/${project}/locations/us-central1-a`,
    cluster: { name: 'c1', network: 'vpc', subnetwork: 's1', initialNodeCount: 2 },
  });
  return project;
}

describe('the official clients, pre-wired', () => {
  it('create and list networks with @google-cloud/compute, no credentials', async () => {
    const project = emu.project();
    const networks = emu.compute.networks();
    expect(emu.compute.networks()).toBe(networks);
    const [operation] = await networks.insert({
      project,
      networkResource: { name: 'vpc', autoCreateSubnetworks: false },
    });
    expect((await emu.compute.wait(operation)).status).toBe('DONE');
    const [listed] = await networks.list({ project });
    expect(listed.map((n) => n.name)).toEqual(['vpc']);
    const [firewalls] = await emu.compute.client('FirewallsClient').list({ project });
    expect(firewalls).toEqual([]);
  });

  it('list clusters with @google-cloud/container, and namespaces with @kubernetes/client-node', async () => {
    const project = await projectWithCluster();
    const [listed] = await emu.container
      .clusterManager()
      .listClusters({ parent: `projects/${project}/locations/-` });
    expect(listed.clusters?.map((c) => c.name)).toEqual(['c1']);

    const kube = await emu.kube('c1', { project });
    expect(kube.kubeConfig.getCurrentCluster()?.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/k8s\//);
    const namespaces = await kube.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain('default');
    const nodes = await kube.makeApiClient(CoreV1Api).listNode();
    expect(nodes.items).toHaveLength(2);
  });

  it.skipIf(spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status !== 0)(
    'kubectl reads the kubeconfig kubeconfigPath writes',
    async () => {
      const project = await projectWithCluster();
      const path = await emu.kubeconfigPath('c1', { project, location: 'us-central1-a' });
      const kubectl = spawnSync('kubectl', ['get', 'namespaces', '-o', 'name'], {
        env: { ...process.env, KUBECONFIG: path },
        encoding: 'utf8',
      });
      expect(kubectl.stderr).toBe('');
      expect(kubectl.stdout).toContain('namespace/default');
    },
  );
});

describe("the emulator's own API", () => {
  it('waits for convergence, then reads every node result of the data plane', async () => {
    const project = await projectWithCluster();
    const status = await emu.waitForConvergence({ project, timeoutMs: 30_000 });
    expect(status.converged).toBe(true);
    expect(status.clusters.map((c) => [c.cluster, c.current])).toEqual([['c1', true]]);

    const [instances] = await emu.compute.instances().list({ project, zone: 'us-central1-a' });
    const node = instances[0]?.name as string;
    const ref = { project, location: 'us-central1-a', cluster: 'c1', node };
    const routes = await emu.dataplane.routes(ref);
    expect(routes.current).toBe(true);
    // Client-shaped: CIDRs as text, the next hop as gcloud prints it, the wire route it comes from.
    const subnetRoute = routes.routes.find((route) => route.destRange === '10.0.0.0/24');
    expect(subnetRoute).toMatchObject({ routeType: 'SUBNET', routeClass: 'subnet', nextHopKind: 'network' });
    // (links in full, as routes.get returns them)
    expect(subnetRoute?.resource.network).toBe(
      `${emu.url}/compute/v1/projects/${project}/global/networks/vpc`,
    );
    expect(subnetRoute?.resource.selfLink).toBe(
      `${emu.url}/compute/v1/projects/${project}/global/routes/${subnetRoute?.name}`,
    );
    const internet = routes.routes.find((route) => route.destRange === '0.0.0.0/0');
    expect(internet).toMatchObject({ nextHopKind: 'internet-gateway', routeType: 'STATIC' });
    const firewall = await emu.dataplane.firewall(ref);
    const implied = firewall.rules.find((rule) => rule.name === 'implied-deny-ingress');
    expect(implied).toMatchObject({
      origin: 'implied',
      action: 'deny',
      remoteRanges: ['0.0.0.0/0'],
      protocols: [{ protocol: 'all', ports: null }],
      resource: null,
    });
    const evaluation = await emu.dataplane.evaluateFirewall({
      ...ref,
      direction: 'INGRESS',
      src: '203.0.113.5',
      dport: 443,
    });
    expect(evaluation).toMatchObject({
      allowed: false,
      action: 'deny',
      rule: { name: 'implied-deny-ingress', origin: 'implied' },
      packet: { direction: 'INGRESS', src: '203.0.113.5', protocol: 'tcp', dport: 443 },
    });
    const iptables = await emu.dataplane.iptables(ref);
    expect(iptables.text).toContain('*nat');
    expect(iptables.current).toBe(true);
    expect(iptables.observedGeneration).toBe(iptables.generation);
    const policies = await emu.dataplane.networkPolicies(ref);
    expect(policies.node).toBe(node);
    const trace = await emu.dataplane.trace({ ...ref, src: '10.0.0.50', dst: '10.0.0.51', dport: 80 });
    expect(trace.verdict).toBeTruthy();
    const reachability = await emu.dataplane.reachability({
      project,
      location: 'us-central1-a',
      cluster: 'c1',
      namespaces: ['default'],
      port: 80,
    });
    expect(reachability.pods).toEqual([]);
    const verdict = await emu.dataplane.networkPolicyVerdict({
      project,
      location: 'us-central1-a',
      cluster: 'c1',
      source: '10.0.0.50',
      destination: '10.0.0.51',
      port: 80,
    });
    expect(verdict).toMatchObject({
      allowed: true,
      egress: { decision: 'not-a-pod', allowed: true },
      ingress: { decision: 'not-a-pod', allowed: true },
    });
  });

  it('traces a packet and keeps Connectivity Tests, typed end to end (emu.connectivity)', async () => {
    const project = await projectWithCluster();
    await emu.waitForConvergence({ project, timeoutMs: 30_000 });
    const [instances] = await emu.compute.instances().list({ project, zone: 'us-central1-a' });
    const [a, b] = instances.map((instance) => instance.networkInterfaces?.[0]?.networkIP as string);
    const details = await emu.connectivity.trace({
      project,
      from: { ipAddress: a },
      to: { ipAddress: b },
      port: 10250,
    });
    expect(details.result).toBe('REACHABLE');
    const steps = details.traces[0]?.steps ?? [];
    expect(steps[0]?.state).toBe('START_FROM_INSTANCE');
    expect(steps.at(-1)?.state).toBe('DELIVER');
    const ingress = steps.find((step) => step.state === 'APPLY_INGRESS_FIREWALL_RULE');
    expect(ingress?.firewall?.action).toBe('ALLOW');

    const created = await emu.connectivity.tests.create({
      project,
      id: 'a-to-b',
      test: { source: { ipAddress: a }, destination: { ipAddress: b, port: 10250 }, protocol: 'TCP' },
    });
    expect(created.name).toBe(`projects/${project}/locations/global/connectivityTests/a-to-b`);
    expect(created.reachabilityDetails.result).toBe('REACHABLE');
    expect((await emu.connectivity.tests.list({ project })).map((test) => test.displayName)).toEqual([
      'a-to-b',
    ]);
    const rerun = await emu.connectivity.tests.rerun({ project, name: 'a-to-b' });
    expect(rerun.reachabilityDetails.traces[0]?.steps.map((step) => step.state)).toEqual(
      created.reachabilityDetails.traces[0]?.steps.map((step) => step.state),
    );
    // A destination given as a DNS name, resolved as kube-dns answers the source pod.
    const core = (await emu.kube('c1', { project })).makeApiClient(CoreV1Api);
    await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'client' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    const clientIp = (await core.readNamespacedPod({ namespace: 'default', name: 'client' })).status?.podIP;
    const dnsIp = (await core.readNamespacedService({ namespace: 'kube-system', name: 'kube-dns' })).spec
      ?.clusterIP;
    await emu.waitForConvergence({ project, timeoutMs: 30_000 });
    const byName = await emu.connectivity.trace({
      project,
      from: { ipAddress: clientIp as string },
      to: { fqdn: 'kube-dns.kube-system' },
      port: 53,
      protocol: 'UDP',
    });
    expect(byName.result).toBe('REACHABLE');
    expect(byName.traces[0]?.endpointInfo.destinationIp).toBe(dnsIp);

    expect(await emu.connectivity.tests.delete({ project, name: 'a-to-b' })).toBe(created.name);
    await expect(emu.connectivity.tests.get({ project, name: 'a-to-b' })).rejects.toThrow(
      GkeEmulatorGraphqlError,
    );
  });

  it("carries Google's error body in GkeEmulatorError", async () => {
    const error = await emu.dataplane
      .routes({ project: emu.project(), location: 'us-central1-a', cluster: 'none', node: 'n' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GkeEmulatorError);
    expect((error as GkeEmulatorError).status).toBe(404);
    expect((error as GkeEmulatorError).reason).toBe('NOT_FOUND');
  });

  it('updates settings per project; compute.wait follows a running operation; reset of one project only', async () => {
    const [a, b] = [emu.project(), emu.project()];
    expect(await emu.settings.update({ operationDelayMs: 300 }, { project: a })).toMatchObject({
      operationDelayMs: 300,
    });
    expect(await emu.settings.get({ project: b })).toMatchObject({ operationDelayMs: 0 });
    const networks = emu.compute.networks();
    const [slow] = await networks.insert({
      project: a,
      networkResource: { name: 'vpc', autoCreateSubnetworks: false },
    });
    expect((slow.latestResponse as { status?: string }).status).toBe('RUNNING');
    expect((await emu.compute.wait(slow)).status).toBe('DONE');
    const [fast] = await networks.insert({
      project: b,
      networkResource: { name: 'vpc', autoCreateSubnetworks: false },
    });
    expect((fast.latestResponse as { status?: string }).status).toBe('DONE');

    await emu.reset({ project: a });
    expect((await networks.list({ project: a }))[0]).toEqual([]);
    expect((await networks.list({ project: b }))[0].map((n) => n.name)).toEqual(['vpc']);
    expect(await emu.settings.get({ project: a })).toMatchObject({ operationDelayMs: 0 });
  });

  it('container.wait follows a running GKE operation to DONE', async () => {
    const project = emu.project();
    await emu.compute.wait(
      (
        await emu.compute
          .networks()
          .insert({ project, networkResource: { name: 'default', autoCreateSubnetworks: true } })
      )[0],
    );
    await emu.settings.update({ operationDelayMs: 300 }, { project });
    const created = await emu.container.clusterManager().createCluster({
      parent: `projects/${project}/locations/us-central1-a`,
      cluster: { name: 'c1', initialNodeCount: 1 },
    });
    expect(created[0].status).toBe('RUNNING');
    // What createCluster resolves with, or the operation itself.
    const done = await emu.container.wait(created);
    expect(done).toMatchObject({ name: created[0].name, status: 'DONE', operationType: 'CREATE_CLUSTER' });
    expect((await emu.container.wait(done)).status).toBe('DONE');
    await expect(emu.container.wait({ name: 'operation-1', status: 'RUNNING' })).rejects.toThrow(
      /operation: is not a GKE operation with a selfLink/,
    );
  });

  it('runs GraphQL, and reports GraphQL errors', async () => {
    const project = emu.project();
    const [op] = await emu.compute
      .networks()
      .insert({ project, networkResource: { name: 'vpc', autoCreateSubnetworks: false } });
    expect((await emu.compute.wait(op)).status).toBe('DONE');
    const data = await emu.graphql<{ networks: { name: string }[] }, { project: string }>(
      'query ($project: String!) { networks(project: $project) { name } }',
      { project },
    );
    expect(data.networks).toEqual([{ name: 'vpc' }]);
    await expect(emu.graphql('{ noSuchField }')).rejects.toThrow(GkeEmulatorGraphqlError);
  });

  it('gcloudEnv aims gcloud at the emulator', async () => {
    const env = emu.gcloudEnv({ project: emu.project() });
    expect(env['CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE']).toBe(`${emu.url}/compute/v1/`);
    expect(env['GKE_EMULATOR_URL']).toBe(emu.url);
  });
});
