import {
  AddressesClient,
  ForwardingRulesClient,
  GlobalForwardingRulesClient,
  RoutesClient,
} from '@google-cloud/compute';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { computeClientOptions, testProject, useTestApp, type TestApp } from '@gke-emulator/testing';

/**
 * Ephemeral forwarding-rule IPs and route next hops through @google-cloud/compute. Two emulators on one database
 * stand for two api processes: nothing in memory is shared between them, only the database and its locks.
 */
const first = useTestApp();
const second = useTestApp();

type Operation = {
  status?: unknown;
  error?: { errors?: { code?: string | null; message?: string | null }[] | null } | null;
};
type Lro = { latestResponse: unknown };
const operationOf = ([lro]: [Lro, ...unknown[]]) => lro.latestResponse as Operation;

function clients(app: TestApp) {
  const options = computeClientOptions(app);
  return {
    rules: new ForwardingRulesClient(options),
    globalRules: new GlobalForwardingRulesClient(options),
    addresses: new AddressesClient(options),
    routes: new RoutesClient(options),
  };
}

type Json = Record<string, unknown>;
const base = (project: string) => `/compute/v1/projects/${project}`;
const regionalRules = (project: string) => `${base(project)}/regions/us-central1/forwardingRules`;

async function insert(url: string, body: Json, app = first) {
  const res = await request(app.url).post(url).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.error, JSON.stringify(res.body)).toBeUndefined();
  return res;
}
const get = async (url: string) => (await request(first.url).get(url).expect(200)).body as Json;

/** A VPC `vpc` with subnetwork `nodes` (10.0.0.0/27: .2–.29 usable) and an INTERNAL TCP backend service `ilb`. */
async function setup(prefix: string) {
  const project = testProject(prefix);
  const b = base(project);
  await insert(`${b}/global/healthChecks`, { name: 'hc', type: 'TCP', tcpHealthCheck: { port: 80 } });
  await insert(`${b}/global/networks`, { name: 'vpc', autoCreateSubnetworks: false });
  await insert(`${b}/regions/us-central1/subnetworks`, {
    name: 'nodes',
    network: 'vpc',
    ipCidrRange: '10.0.0.0/27',
  });
  await insert(`${b}/regions/us-central1/backendServices`, {
    name: 'ilb',
    loadBalancingScheme: 'INTERNAL',
    protocol: 'TCP',
    healthChecks: [`projects/${project}/global/healthChecks/hc`],
  });
  await insert(`${b}/global/backendServices`, { name: 'web', healthChecks: ['hc'] });
  await insert(`${b}/global/urlMaps`, { name: 'lb', defaultService: 'web' });
  await insert(`${b}/global/targetHttpProxies`, { name: 'proxy', urlMap: 'lb' });
  return project;
}

/** A GKE node holding `ip` in the project's `vpc`, written as the cluster code writes it (rows only). */
async function addNode(project: string, ip: string) {
  const prisma = first.database.prisma;
  const [subnet] = await prisma.$queryRaw<{ id: bigint; networkId: bigint }[]>`
    select id, network_id as "networkId" from subnetwork where project_id = ${project} and name = 'nodes'`;
  if (!subnet) throw new Error('no subnetwork');
  const id = BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000));
  await prisma.$executeRaw`
    insert into cluster (id, project_id, location, name, hash, network_id, subnetwork_id, pod_range, services_range, routes_based, resource)
    values (${id}, ${project}, 'us-central1-a', 'c', '0123abcd', ${subnet.networkId}, ${subnet.id}, '10.4.0.0/14'::inet, '10.8.0.0/20'::inet, false, '{}')`;
  await prisma.$executeRaw`insert into node_pool (id, cluster_id, name, resource) values (${id}, ${id}, 'p', '{}')`;
  await prisma.$executeRaw`
    insert into node (id, project_id, zone, name, cluster_id, node_pool_id, network_id, subnetwork_id, internal_ip, pod_cidr, resource)
    values (${id}, ${project}, 'us-central1-a', 'gke-c-p-node', ${id}, ${id}, ${subnet.networkId}, ${subnet.id}, ${ip}::inet, '10.4.0.0/24'::inet, '{}')`;
}

describe('@google-cloud/compute: ephemeral forwarding-rule IPs across processes', () => {
  it('two emulators on one database never hand out the same IP, a reserved one or a node’s', async () => {
    const project = await setup('fr-ips');
    await addNode(project, '10.0.0.2');
    // The reservation skips the node's IP.
    await insert(`${base(project)}/regions/us-central1/addresses`, {
      name: 'reserved',
      addressType: 'INTERNAL',
      subnetwork: 'nodes',
    });
    const reserved = (await get(`${base(project)}/regions/us-central1/addresses/reserved`))['address'];
    expect(reserved).toBe('10.0.0.3');

    const sdk = [clients(first), clients(second)];
    const via = (i: number) => sdk[i % 2] ?? clients(first);
    const region = 'us-central1';
    const internal = Array.from({ length: 16 }, (_, i) => `i${i}`);
    const external = Array.from({ length: 10 }, (_, i) => `e${i}`);
    const addresses = Array.from({ length: 4 }, (_, i) => `a${i}`);
    const results = await Promise.all([
      ...internal.map(async (name, i) =>
        operationOf(
          await via(i).rules.insert({
            project,
            region,
            forwardingRuleResource: {
              name,
              loadBalancingScheme: 'INTERNAL',
              backendService: 'ilb',
              subnetwork: 'nodes',
              ports: ['80'],
            },
          }),
        ),
      ),
      ...addresses.map(async (name, i) =>
        operationOf(
          await via(i).addresses.insert({
            project,
            region,
            addressResource: { name, addressType: 'INTERNAL', subnetwork: 'nodes' },
          }),
        ),
      ),
      ...external.map(async (name, i) =>
        operationOf(
          await via(i).globalRules.insert({ project, forwardingRuleResource: { name, target: 'proxy' } }),
        ),
      ),
    ]);
    for (const op of results) expect(op.error, JSON.stringify(op)).toBeFalsy();

    const ruleIps = await Promise.all(
      internal.map(
        async (name) => (await via(0).rules.get({ project, region, forwardingRule: name }))[0].IPAddress,
      ),
    );
    const addressIps = await Promise.all(
      addresses.map(
        async (name) => (await get(`${base(project)}/regions/us-central1/addresses/${name}`))['address'],
      ),
    );
    const taken = [...ruleIps, ...addressIps, reserved, '10.0.0.2'];
    expect(new Set(taken).size, JSON.stringify(taken)).toBe(taken.length);
    // Twenty-two holders, all inside the subnet's usable addresses (.2–.29): allocation was dense, not lucky.
    for (const ip of taken) expect(String(ip)).toMatch(/^10\.0\.0\.([2-9]|1\d|2[0-9])$/);

    const externalIps = await Promise.all(
      external.map(
        async (name) => (await get(`${base(project)}/global/forwardingRules/${name}`))['IPAddress'],
      ),
    );
    expect(new Set(externalIps).size, JSON.stringify(externalIps)).toBe(external.length);
  });
});

describe("@google-cloud/compute: a route's nextHopIlb", () => {
  it('keeps its forwarding rule from being deleted, by link or by IP, naming the route', async () => {
    const project = await setup('fr-route');
    const rulePath = `projects/${project}/regions/us-central1/forwardingRules/ilb-a`;
    await insert(regionalRules(project), {
      name: 'ilb-a',
      loadBalancingScheme: 'INTERNAL',
      backendService: 'ilb',
      subnetwork: 'nodes',
      ports: ['80'],
    });
    const ip = String((await get(`${regionalRules(project)}/ilb-a`))['IPAddress']);
    const { rules, routes } = clients(first);
    const region = 'us-central1';
    for (const [name, destRange, nextHopIlb] of [
      ['via-link', '192.168.0.0/24', `https://www.googleapis.com/compute/v1/${rulePath}`],
      ['via-ip', '192.168.1.0/24', ip],
    ] as const) {
      const op = operationOf(
        await routes.insert({
          project,
          routeResource: { name, network: 'global/networks/vpc', destRange, nextHopIlb },
        }),
      );
      expect(op.error, JSON.stringify(op)).toBeFalsy();
    }
    // Google refuses the delete at once (400 resourceInUseByAnotherResource), naming the route that uses it.
    const inUse = (route: string) =>
      `The forwarding_rule resource '${rulePath}' is already being used by 'projects/${project}/global/routes/${route}'`;

    await expect(rules.delete({ project, region, forwardingRule: 'ilb-a' })).rejects.toThrow(
      inUse('via-link'),
    );
    expect((await rules.get({ project, region, forwardingRule: 'ilb-a' }))[0].name).toBe('ilb-a');

    operationOf(await routes.delete({ project, route: 'via-link' }));
    await expect(rules.delete({ project, region, forwardingRule: 'ilb-a' })).rejects.toThrow(inUse('via-ip'));

    operationOf(await routes.delete({ project, route: 'via-ip' }));
    const deleted = operationOf(await rules.delete({ project, region, forwardingRule: 'ilb-a' }));
    expect(deleted.error).toBeFalsy();
    await request(first.url)
      .get(`${regionalRules(project)}/ilb-a`)
      .expect(404);
  });
});
