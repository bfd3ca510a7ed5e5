import { describe, expect, it } from 'vitest';
import { expectGcloudFetchError, gcloudAvailable, useGcloudScenarios } from '@gke-emulator/testing';

/**
 * VPC firewall rules and routes driven end to end by the real `gcloud` CLI, aimed at the emulator through
 * CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE. Each gcloud start costs ~1.4 s, so every test groups a whole scenario
 * and runs with a long timeout. Assertions hold the emulator to what real Compute Engine answers, field by field.
 * Set GKE_EMULATOR_GCLOUD_TRANSCRIPTS=<dir> to keep every invocation's HTTP exchanges (`--log-http`).
 */

type Json = Record<string, unknown>;
interface ProtocolPorts {
  IPProtocol: string;
  ports?: string[];
}
interface Firewall extends Json {
  name: string;
  network: string;
  priority: number;
  direction: string;
  allowed?: ProtocolPorts[];
  denied?: ProtocolPorts[];
  sourceRanges?: string[];
  destinationRanges?: string[];
  sourceTags?: string[];
  targetTags?: string[];
  sourceServiceAccounts?: string[];
  targetServiceAccounts?: string[];
  disabled: boolean;
  logConfig: { enable: boolean; metadata?: string };
  selfLink: string;
}
interface Route extends Json {
  name: string;
  network: string;
  destRange: string;
  priority: number;
  tags?: string[];
  nextHopGateway?: string;
  nextHopIp?: string;
  nextHopNetwork?: string;
  routeType?: string;
  description?: string;
  selfLink: string;
}

const TIMEOUT = 180_000;

/** The fields of a firewall rule that the tests compare; absent fields stay absent (`undefined`). */
const firewallFields = (f: Firewall) => ({
  name: f.name,
  network: f.network,
  priority: f.priority,
  direction: f.direction,
  allowed: f.allowed,
  denied: f.denied,
  sourceRanges: f.sourceRanges,
  destinationRanges: f.destinationRanges,
  sourceTags: f.sourceTags,
  targetTags: f.targetTags,
  sourceServiceAccounts: f.sourceServiceAccounts,
  targetServiceAccounts: f.targetServiceAccounts,
  disabled: f.disabled,
  logConfig: f.logConfig,
});

/** The fields of a route that the tests compare; absent fields stay absent (`undefined`). */
const routeFields = (r: Route) => ({
  name: r.name,
  network: r.network,
  destRange: r.destRange,
  priority: r.priority,
  tags: r.tags,
  nextHopGateway: r.nextHopGateway,
  nextHopIp: r.nextHopIp,
  nextHopNetwork: r.nextHopNetwork,
  routeType: r.routeType,
});

// Skipped only when the gcloud binary is not installed on this machine: there is then no CLI to drive.
describe.skipIf(!gcloudAvailable())('gcloud compute firewall-rules / routes against the emulator', () => {
  const gcloud = useGcloudScenarios('gcloud-fw');
  /** A fresh project with a gcloud of its own aimed at it. */
  const setup = () => gcloud.scenario();

  it(
    'creates ingress, egress, tag and service-account firewall rules, lists, updates and deletes them',
    async () => {
      const { project, link, run, json } = setup();
      const network = link('global/networks/net');
      expect((await run('compute networks create net --subnet-mode=custom')).code).toBe(0);

      // One --allow entry per PROTOCOL[:PORT[-PORT]] spec, each sent as its own `allowed` item.
      const web = await run(
        'compute firewall-rules create allow-web --network=net --allow=tcp:80,tcp:8000-8080,icmp ' +
          '--source-ranges=10.0.0.0/8,192.168.0.0/16 --target-tags=web,api --priority=900 --enable-logging ' +
          '--format=json',
      );
      expect(web.code, web.stderr).toBe(0);
      expect(web.stderr).toContain(`Created [${link('global/firewalls/allow-web')}].`);
      const [webRule] = JSON.parse(web.stdout) as Firewall[];
      expect(webRule).toMatchObject({
        kind: 'compute#firewall',
        selfLink: link('global/firewalls/allow-web'),
      });
      expect(webRule?.id).toMatch(/^\d+$/);
      expect(webRule?.creationTimestamp).toBeTruthy();
      expect(firewallFields(webRule as Firewall)).toEqual({
        name: 'allow-web',
        network,
        priority: 900,
        direction: 'INGRESS',
        allowed: [
          { IPProtocol: 'tcp', ports: ['80'] },
          { IPProtocol: 'tcp', ports: ['8000-8080'] },
          { IPProtocol: 'icmp' },
        ],
        denied: undefined,
        sourceRanges: ['10.0.0.0/8', '192.168.0.0/16'],
        destinationRanges: undefined,
        sourceTags: undefined,
        targetTags: ['web', 'api'],
        sourceServiceAccounts: undefined,
        targetServiceAccounts: undefined,
        disabled: false,
        // Logging on without --logging-metadata: Google includes all metadata by default.
        logConfig: { enable: true, metadata: 'INCLUDE_ALL_METADATA' },
      });

      // --action deny --rules: a `denied` list; EGRESS keeps its --destination-ranges and gets no source range.
      const [egress] = await json<Firewall[]>(
        'compute firewall-rules create deny-smtp-out --network=net --direction=EGRESS --action=deny ' +
          '--rules=tcp:25,udp --destination-ranges=203.0.113.0/24 --priority=100 --disabled',
      );
      expect(firewallFields(egress as Firewall)).toEqual({
        name: 'deny-smtp-out',
        network,
        priority: 100,
        direction: 'EGRESS',
        allowed: undefined,
        denied: [{ IPProtocol: 'tcp', ports: ['25'] }, { IPProtocol: 'udp' }],
        sourceRanges: undefined,
        destinationRanges: ['203.0.113.0/24'],
        sourceTags: undefined,
        targetTags: undefined,
        sourceServiceAccounts: undefined,
        targetServiceAccounts: undefined,
        disabled: true,
        logConfig: { enable: false },
      });

      // Source tags alone: no 0.0.0.0/0 default is added, as the source is the tagged instances.
      const [tagged] = await json<Firewall[]>(
        'compute firewall-rules create from-bastion --network=net --allow=tcp:22 --source-tags=bastion ' +
          '--target-tags=db',
      );
      expect(firewallFields(tagged as Firewall)).toEqual({
        name: 'from-bastion',
        network,
        priority: 1000,
        direction: 'INGRESS',
        allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
        denied: undefined,
        sourceRanges: undefined,
        destinationRanges: undefined,
        sourceTags: ['bastion'],
        targetTags: ['db'],
        sourceServiceAccounts: undefined,
        targetServiceAccounts: undefined,
        disabled: false,
        logConfig: { enable: false },
      });

      // Target service accounts, no source at all: an ingress rule then applies to 0.0.0.0/0.
      const sa = `runner@${project}.iam.gserviceaccount.com`;
      const [bySa] = await json<Firewall[]>(
        `compute firewall-rules create to-runner --network=net --allow=tcp:443 --target-service-accounts=${sa}`,
      );
      expect(firewallFields(bySa as Firewall)).toEqual({
        name: 'to-runner',
        network,
        priority: 1000,
        direction: 'INGRESS',
        allowed: [{ IPProtocol: 'tcp', ports: ['443'] }],
        denied: undefined,
        sourceRanges: ['0.0.0.0/0'],
        destinationRanges: undefined,
        sourceTags: undefined,
        targetTags: undefined,
        sourceServiceAccounts: undefined,
        targetServiceAccounts: [sa],
        disabled: false,
        logConfig: { enable: false },
      });

      // describe reads back what create returned.
      const described = await json<Firewall>('compute firewall-rules describe allow-web');
      expect(described).toEqual(webRule);

      // list, filtered by gcloud (and on the server) to this network's rules.
      const listed = await json<Firewall[]>('compute firewall-rules list --filter=network~/net$');
      expect(listed.map((f) => [f.name, f.direction, f.priority, f.disabled])).toEqual([
        ['allow-web', 'INGRESS', 900, false],
        ['deny-smtp-out', 'EGRESS', 100, true],
        ['from-bastion', 'INGRESS', 1000, false],
        ['to-runner', 'INGRESS', 1000, false],
      ]);

      // update GETs the rule and PATCHes it back with the changed priority and source ranges; the rest stays.
      const [updated] = await json<Firewall[]>(
        'compute firewall-rules update allow-web --priority=500 --source-ranges=172.16.0.0/12',
      );
      expect(firewallFields(updated as Firewall)).toEqual({
        ...firewallFields(webRule as Firewall),
        priority: 500,
        sourceRanges: ['172.16.0.0/12'],
      });
      expect(updated?.id).toBe(webRule?.id);

      // --no-disabled enables the egress rule again; --no-enable-logging turns off logging of allow-web.
      const [enabled] = await json<Firewall[]>('compute firewall-rules update deny-smtp-out --no-disabled');
      expect(firewallFields(enabled as Firewall)).toEqual({
        ...firewallFields(egress as Firewall),
        disabled: false,
      });
      const [quiet] = await json<Firewall[]>('compute firewall-rules update allow-web --no-enable-logging');
      expect(quiet?.logConfig).toEqual({ enable: false });
      expect(quiet?.priority).toBe(500);

      const deleted = await run('compute firewall-rules delete allow-web');
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(deleted.stderr).toContain(`Deleted [${link('global/firewalls/allow-web')}].`);
      expectGcloudFetchError(
        await run('compute firewall-rules describe allow-web'),
        'compute.firewall-rules.describe',
        `The resource 'projects/${project}/global/firewalls/allow-web' was not found`,
        { soft: true },
      );

      // Several names: gcloud sends the deletes together as one batch request (POST /batch/compute/v1).
      const rest = ['deny-smtp-out', 'from-bastion', 'to-runner'];
      const batch = await run(`compute firewall-rules delete ${rest.join(' ')}`);
      expect(batch.code, batch.stderr).toBe(0);
      for (const name of rest) {
        expect(batch.stderr).toContain(`Deleted [${link(`global/firewalls/${name}`)}].`);
      }
      expect(await json<Firewall[]>('compute firewall-rules list')).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'creates gateway and next-hop-address routes, lists them with the default and subnet routes, deletes them',
    async () => {
      const { project, link, run, json } = setup();
      const network = link('global/networks/net');
      expect((await run('compute networks create net --subnet-mode=custom')).code).toBe(0);
      const subnet = await run(
        'compute networks subnets create s1 --network=net --region=us-central1 --range=10.0.0.0/24 ' +
          '--secondary-range=pods=10.4.0.0/14',
      );
      expect(subnet.code, subnet.stderr).toBe(0);

      const gateway = await run(
        'compute routes create to-partner --network=net --destination-range=198.51.100.0/24 ' +
          '--next-hop-gateway=default-internet-gateway --tags=nat,egress --priority=800 --format=json',
      );
      expect(gateway.code, gateway.stderr).toBe(0);
      expect(gateway.stderr).toContain(`Created [${link('global/routes/to-partner')}].`);
      const [partner] = JSON.parse(gateway.stdout) as Route[];
      expect(partner).toMatchObject({ kind: 'compute#route', selfLink: link('global/routes/to-partner') });
      expect(partner?.id).toMatch(/^\d+$/);
      expect(routeFields(partner as Route)).toEqual({
        name: 'to-partner',
        network,
        destRange: '198.51.100.0/24',
        priority: 800,
        tags: ['nat', 'egress'],
        nextHopGateway: link('global/gateways/default-internet-gateway'),
        nextHopIp: undefined,
        nextHopNetwork: undefined,
        routeType: undefined, // none on a user's static route, as Google answers (recorded)
      });

      // gcloud sends its own default priority (1000) and no tags: the route applies to every instance.
      const [viaIp] = await json<Route[]>(
        'compute routes create via-appliance --network=net --destination-range=172.16.0.0/16 ' +
          '--next-hop-address=10.0.0.5',
      );
      expect(routeFields(viaIp as Route)).toEqual({
        name: 'via-appliance',
        network,
        destRange: '172.16.0.0/16',
        priority: 1000,
        tags: undefined,
        nextHopGateway: undefined,
        nextHopIp: '10.0.0.5',
        nextHopNetwork: undefined,
        routeType: undefined,
      });

      // A second route of the same name is refused with 409.
      expectGcloudFetchError(
        await run(
          'compute routes create to-partner --network=net --destination-range=198.51.101.0/24 ' +
            '--next-hop-gateway=default-internet-gateway',
        ),
        'compute.routes.create',
        `The resource 'projects/${project}/global/routes/to-partner' already exists`,
        { soft: true },
      );

      const described = await json<Route>('compute routes describe to-partner');
      expect(described).toEqual(partner);

      // The default internet route the network got at creation, and one subnet route per subnet range.
      const listed = await json<Route[]>('compute routes list');
      const byDest = Object.fromEntries(listed.map((r) => [r.destRange, r]));
      expect(Object.keys(byDest).sort()).toEqual([
        '0.0.0.0/0',
        '10.0.0.0/24',
        '10.4.0.0/14',
        '172.16.0.0/16',
        '198.51.100.0/24',
      ]);
      expect(listed).toHaveLength(5);
      const internet = byDest['0.0.0.0/0'] as Route;
      expect(internet.name).toMatch(/^default-route-[0-9a-f]{16}$/);
      expect(routeFields(internet)).toEqual({
        name: internet.name,
        network,
        destRange: '0.0.0.0/0',
        priority: 1000,
        tags: undefined,
        nextHopGateway: link('global/gateways/default-internet-gateway'),
        nextHopIp: undefined,
        nextHopNetwork: undefined,
        routeType: 'STATIC',
      });
      expect(internet.description).toBe('Default route to the Internet.');
      for (const range of ['10.0.0.0/24', '10.4.0.0/14']) {
        const route = byDest[range] as Route;
        expect(route.name).toMatch(/^default-route-[0-9a-f]{16}$/);
        expect(routeFields(route)).toEqual({
          name: route.name,
          network,
          destRange: range,
          priority: 0,
          tags: undefined,
          nextHopGateway: undefined,
          nextHopIp: undefined,
          nextHopNetwork: network,
          routeType: 'SUBNET',
        });
      }
      expect(routeFields(byDest['198.51.100.0/24'] as Route)).toEqual(routeFields(partner as Route));
      expect(routeFields(byDest['172.16.0.0/16'] as Route)).toEqual(routeFields(viaIp as Route));

      // describe works for the system-generated routes too (the secondary range's subnet route here).
      const pods = await json<Route>(`compute routes describe ${(byDest['10.4.0.0/14'] as Route).name}`);
      expect(routeFields(pods)).toEqual(routeFields(byDest['10.4.0.0/14'] as Route));

      // Two names: gcloud sends both deletes in one batch request (POST /batch/compute/v1).
      const deleted = await run('compute routes delete to-partner via-appliance');
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(deleted.stderr).toContain(`Deleted [${link('global/routes/to-partner')}].`);
      expect(deleted.stderr).toContain(`Deleted [${link('global/routes/via-appliance')}].`);
      const left = await json<Route[]>('compute routes list');
      expect(left.map((r) => r.destRange).sort()).toEqual(['0.0.0.0/0', '10.0.0.0/24', '10.4.0.0/14']);
    },
    TIMEOUT,
  );

  it(
    'reports duplicate, invalid and dangling firewall rules and routes, and a network in use, as gcloud errors',
    async () => {
      const { project, link, run, json } = setup();
      expect((await run('compute networks create net --subnet-mode=custom')).code).toBe(0);
      expect((await run('compute networks create fwnet --subnet-mode=custom')).code).toBe(0);
      const subnet = await run(
        'compute networks subnets create s1 --network=net --region=us-central1 --range=10.0.0.0/24',
      );
      expect(subnet.code, subnet.stderr).toBe(0);

      const create = 'compute.firewall-rules.create';
      const keep = await run('compute firewall-rules create keep --network=fwnet --allow=tcp:22');
      expect(keep.code, keep.stderr).toBe(0);

      expectGcloudFetchError(
        await run('compute firewall-rules create keep --network=fwnet --allow=tcp:23'),
        create,
        `The resource 'projects/${project}/global/firewalls/keep' already exists`,
        { soft: true },
      );
      expectGcloudFetchError(
        await run('compute firewall-rules create prio --network=fwnet --allow=tcp --priority=70000'),
        create,
        "Invalid value for field 'resource.priority': '70000'. Must be less than or equal to 65535",
        { soft: true },
      );
      // gcloud accepts `icmp:8` (its PROTOCOL[:PORT] syntax); the server refuses ports on a portless protocol.
      const icmp = await run('compute firewall-rules create ping --network=fwnet --allow=icmp:8');
      expectGcloudFetchError(icmp, create, "Invalid value for field 'resource.allowed[0].ports[0]': '8'.", {
        soft: true,
      });
      expect
        .soft(icmp.stderr)
        .toMatch(/ports may only be specified on rules whose protocol is one of \[TCP, UDP, SCTP]/i);
      // gcloud leaves this check to the server. Google answers 400 badRequest with this message.
      expectGcloudFetchError(
        await run(
          'compute firewall-rules create out --network=fwnet --direction=EGRESS --allow=tcp --source-tags=web',
        ),
        create,
        'Should not specify source tag or service account for egress direction.',
        { soft: true },
      );

      // A static route may not take over (part of) a subnet's range.
      const routes = 'compute.routes.create';
      expectGcloudFetchError(
        await run(
          'compute routes create inside --network=net --destination-range=10.0.0.16/28 ' +
            '--next-hop-gateway=default-internet-gateway',
        ),
        routes,
        "Invalid value for field 'resource.destRange': '10.0.0.16/28'. 10.0.0.16/28 hides the address space " +
          'of the network (10.0.0.0/24). Cannot change the routing of packets destined for the network.',
        { soft: true },
      );
      // No instance exists: the next hop cannot resolve.
      expectGcloudFetchError(
        await run(
          'compute routes create via-vm --network=net --destination-range=192.168.0.0/16 ' +
            '--next-hop-instance=vm --next-hop-instance-zone=us-central1-a',
        ),
        routes,
        `The resource 'projects/${project}/zones/us-central1-a/instances/vm' was not found`,
        { soft: true },
      );

      // fwnet cannot go while `keep` uses it: Google refuses the delete (400) and gcloud says why.
      expectGcloudFetchError(
        await run('compute networks delete fwnet'),
        'compute.networks.delete',
        `The network resource 'projects/${project}/global/networks/fwnet' is already being used by ` +
          `'projects/${project}/global/firewalls/keep'`,
        { soft: true },
      );

      // None of the failures left anything behind: one rule, and only system routes.
      const rules = await json<Firewall[]>('compute firewall-rules list');
      expect(rules.map((f) => [f.name, f.network, f.allowed])).toEqual([
        ['keep', link('global/networks/fwnet'), [{ IPProtocol: 'tcp', ports: ['22'] }]],
      ]);
      const left = await json<Route[]>('compute routes list');
      expect(left.every((r) => r.name.startsWith('default-route-'))).toBe(true);
      expect(left.map((r) => r.destRange).sort()).toEqual(['0.0.0.0/0', '0.0.0.0/0', '10.0.0.0/24']);
    },
    TIMEOUT,
  );
});
