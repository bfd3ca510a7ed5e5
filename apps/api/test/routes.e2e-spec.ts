import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

const base = (project: string) => `/compute/v1/projects/${project}`;
type Route = {
  name: string;
  destRange: string;
  priority: number;
  nextHopGateway?: string;
  nextHopNetwork?: string;
  routeType?: string;
};

async function setup() {
  const project = testProject('rt');
  await request(app.url)
    .post(`${base(project)}/global/networks`)
    .send({ name: 'vpc', autoCreateSubnetworks: false })
    .expect(200);
  await request(app.url)
    .post(`${base(project)}/regions/us-central1/subnetworks`)
    .send({
      name: 's',
      network: 'vpc',
      ipCidrRange: '10.0.0.0/24',
      secondaryIpRanges: [{ rangeName: 'pods', ipCidrRange: '10.4.0.0/14' }],
    })
    .expect(200);
  return project;
}

async function routes(project: string): Promise<Route[]> {
  return (
    (
      await request(app.url)
        .get(`${base(project)}/global/routes`)
        .expect(200)
    ).body.items ?? []
  );
}

describe('routes', () => {
  it('a new network has its default internet route, and every subnet range a subnet route', async () => {
    const project = await setup();
    const list = await routes(project);
    const internet = list.find((r) => r.destRange === '0.0.0.0/0');
    expect(internet).toMatchObject({
      priority: 1000,
      nextHopGateway: `${app.url}/compute/v1/projects/${project}/global/gateways/default-internet-gateway`,
      description: 'Default route to the Internet.',
    });
    expect(internet?.name).toMatch(/^default-route-[0-9a-f]{16}$/);
    const subnetRoutes = list
      .filter((r) => r.routeType === 'SUBNET')
      .map((r) => [r.destRange, r.priority, r.nextHopNetwork]);
    expect(subnetRoutes.sort()).toEqual([
      ['10.0.0.0/24', 0, `${app.url}/compute/v1/projects/${project}/global/networks/vpc`],
      ['10.4.0.0/14', 0, `${app.url}/compute/v1/projects/${project}/global/networks/vpc`],
    ]);
    const subnetRoute = list.find((r) => r.destRange === '10.4.0.0/14') as Route;
    const got = await request(app.url)
      .get(`${base(project)}/global/routes/${subnetRoute.name}`)
      .expect(200);
    expect(got.body.destRange).toBe('10.4.0.0/14');
    const again = await routes(project);
    expect(again.find((r) => r.destRange === '10.4.0.0/14')?.name).toBe(subnetRoute.name);
    await request(app.url)
      .delete(`${base(project)}/global/routes/${subnetRoute.name}`)
      .expect(400);
    await request(app.url)
      .delete(`${base(project)}/regions/us-central1/subnetworks/s`)
      .expect(200);
    expect((await routes(project)).filter((r) => r.routeType === 'SUBNET')).toEqual([]);
  });

  it('inserts static routes with a gateway or IP next hop, tags and priority', async () => {
    const project = await setup();
    await request(app.url)
      .post(`${base(project)}/global/routes`)
      .send({
        name: 'egress-fw',
        network: 'vpc',
        destRange: '0.0.0.0/0',
        priority: 900,
        tags: ['egress-via-fw'],
        nextHopIp: '10.0.0.5',
      })
      .expect(200);
    await request(app.url)
      .post(`${base(project)}/global/routes`)
      .send({
        name: 'to-google',
        network: 'vpc',
        destRange: '199.36.153.8/30',
        nextHopGateway: 'default-internet-gateway',
      })
      .expect(200);
    const fw = await request(app.url)
      .get(`${base(project)}/global/routes/egress-fw`)
      .expect(200);
    expect(fw.body).toMatchObject({
      kind: 'compute#route',
      priority: 900,
      tags: ['egress-via-fw'],
      nextHopIp: '10.0.0.5',
    });
    // computeroute (real log): a user's static route is returned without `routeType`.
    expect(fw.body.routeType).toBeUndefined();
    const google = await request(app.url)
      .get(`${base(project)}/global/routes/to-google`)
      .expect(200);
    expect(google.body.nextHopGateway).toBe(
      `${app.url}/compute/v1/projects/${project}/global/gateways/default-internet-gateway`,
    );
    expect(google.body.priority).toBe(1000);
  });

  it('validates routes as Google does', async () => {
    const project = await setup();
    // A route named x on vpc to 8.8.8.0/24, but for the fields of a case.
    const route = (fields: object) => ({ name: 'x', network: 'vpc', destRange: '8.8.8.0/24', ...fields });
    const gateway = 'default-internet-gateway';
    const cases: [object, number, string][] = [
      [{ name: 'x', network: 'vpc', nextHopGateway: gateway }, 400, "Required field 'resource.destRange'"],
      [route({ destRange: '10.9.0.1/24', nextHopGateway: gateway }), 400, 'Must be a CIDR address range.'],
      [route({}), 400, 'exactly one next hop'],
      [route({ nextHopIp: '10.0.0.5', nextHopGateway: gateway }), 400, 'exactly one next hop'],
      [route({ nextHopGateway: 'some-gateway' }), 400, 'resource.nextHopGateway'],
      [route({ nextHopIp: '192.168.0.1' }), 400, 'not in a subnetwork'],
      [
        route({ destRange: '10.0.0.0/25', nextHopGateway: gateway }),
        400,
        'hides the address space of the network (10.0.0.0/24)',
      ],
      [route({ destRange: '10.4.0.0/14', nextHopGateway: gateway }), 400, '(10.4.0.0/14)'],
      [route({ priority: 70000, nextHopGateway: gateway }), 400, 'Must be less than or equal to 65535'],
      [route({ nextHopInstance: 'zones/us-central1-a/instances/vm' }), 404, "'projects/"],
      [route({ network: 'nope', nextHopGateway: gateway }), 404, 'networks/nope'],
      [route({ nextHopNetwork: 'global/networks/vpc' }), 400, 'set by Google Cloud'],
    ];
    for (const [body, status, message] of cases) {
      const res = await request(app.url)
        .post(`${base(project)}/global/routes`)
        .send(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
  });

  it('user routes block deleting their network; the default route goes with it', async () => {
    const project = await setup();
    await request(app.url)
      .delete(`${base(project)}/regions/us-central1/subnetworks/s`)
      .expect(200);
    await request(app.url)
      .post(`${base(project)}/global/routes`)
      .send({
        name: 'mine',
        network: 'vpc',
        destRange: '8.8.8.0/24',
        nextHopGateway: 'default-internet-gateway',
      })
      .expect(200);
    const blocked = await request(app.url)
      .delete(`${base(project)}/global/networks/vpc`)
      .expect(400);
    expect(blocked.body.error.errors[0].reason).toBe('resourceInUseByAnotherResource');
    expect(blocked.body.error.errors[0].message).toContain(
      `is already being used by 'projects/${project}/global/routes/mine'`,
    );
    await request(app.url)
      .delete(`${base(project)}/global/routes/mine`)
      .expect(200);
    const ok = await request(app.url)
      .delete(`${base(project)}/global/networks/vpc`)
      .expect(200);
    expect(ok.body.error).toBeUndefined();
    expect(await routes(project)).toEqual([]);
  });
});

describe('routes to an internal load balancer', () => {
  it('accept an INTERNAL forwarding rule of the network as next hop, by link or by IP', async () => {
    const project = await setup();
    const b = base(project);
    await request(app.url).post(`${b}/global/healthChecks`).send({ name: 'hc', type: 'TCP' }).expect(200);
    await request(app.url)
      .post(`${b}/regions/us-central1/backendServices`)
      .send({
        name: 'ilb',
        loadBalancingScheme: 'INTERNAL',
        protocol: 'TCP',
        healthChecks: [`projects/${project}/global/healthChecks/hc`],
      })
      .expect(200);
    const fr = await request(app.url)
      .post(`${b}/regions/us-central1/forwardingRules`)
      .send({
        name: 'ilb-fr',
        loadBalancingScheme: 'INTERNAL',
        backendService: 'ilb',
        subnetwork: 's',
        ports: ['80'],
      });
    expect(fr.status, fr.text).toBe(200);
    const rule = await request(app.url).get(`${b}/regions/us-central1/forwardingRules/ilb-fr`).expect(200);
    await request(app.url)
      .post(`${b}/global/routes`)
      .send({
        name: 'via-link',
        network: 'vpc',
        destRange: '8.8.8.0/24',
        nextHopIlb: `regions/us-central1/forwardingRules/ilb-fr`,
      })
      .expect(200);
    await request(app.url)
      .post(`${b}/global/routes`)
      .send({ name: 'via-ip', network: 'vpc', destRange: '8.8.4.0/24', nextHopIlb: rule.body.IPAddress })
      .expect(200);
    const missing = await request(app.url).post(`${b}/global/routes`).send({
      name: 'x',
      network: 'vpc',
      destRange: '1.1.1.0/24',
      nextHopIlb: 'regions/us-central1/forwardingRules/nope',
    });
    expect(missing.status).toBe(404);
    const unknownIp = await request(app.url)
      .post(`${b}/global/routes`)
      .send({ name: 'y', network: 'vpc', destRange: '1.1.1.0/24', nextHopIlb: '10.0.0.200' });
    expect(unknownIp.status).toBe(404);
  });
});
