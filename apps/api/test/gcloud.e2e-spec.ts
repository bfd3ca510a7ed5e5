import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { expectGcloudFetchError, gcloudAvailable, useGcloudScenarios } from '@gke-emulator/testing';

/**
 * VPC networks and subnetworks driven end to end by the real `gcloud` CLI, aimed at the emulator through
 * CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE. Each gcloud start costs ~1.4 s, so every test groups a whole scenario
 * and runs with a long timeout. Assertions hold the emulator to what real Compute Engine answers.
 * Set GKE_EMULATOR_GCLOUD_TRANSCRIPTS=<dir> to keep every invocation's HTTP exchanges (`--log-http`).
 */

type Json = Record<string, unknown>;
interface SecondaryRange {
  rangeName: string;
  ipCidrRange: string;
}
interface Subnetwork extends Json {
  name: string;
  ipCidrRange: string;
  gatewayAddress: string;
  secondaryIpRanges?: SecondaryRange[];
  privateIpGoogleAccess: boolean;
  network: string;
  region: string;
  selfLink: string;
  fingerprint: string;
}
interface Network extends Json {
  name: string;
  autoCreateSubnetworks: boolean;
  mtu: number;
  routingConfig: { routingMode: string };
  selfLink: string;
  subnetworks?: string[];
}
interface Operation extends Json {
  name: string;
  operationType: string;
  status: string;
  progress: number;
  targetLink: string;
  selfLink: string;
  region?: string;
  error?: { errors: { code: string; message: string }[] };
}

const TIMEOUT = 120_000;

// Skipped only when the gcloud binary is not installed on this machine: there is then no CLI to drive.
describe.skipIf(!gcloudAvailable())('gcloud compute networks / subnets against the emulator', () => {
  const gcloud = useGcloudScenarios('gcloud');
  /** A fresh project with a gcloud of its own aimed at it. */
  const setup = () => gcloud.scenario();

  it(
    'creates, describes, updates and deletes a custom mode network with --bgp-routing-mode and --mtu',
    async () => {
      const { project, link, run, json } = setup();

      const created = await run(
        'compute networks create vpc --subnet-mode=custom --bgp-routing-mode=global --mtu=1500 --format=json',
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.stderr).toContain(`Created [${link('global/networks/vpc')}].`);
      const [net] = JSON.parse(created.stdout) as Network[];
      expect(net).toMatchObject({
        kind: 'compute#network',
        name: 'vpc',
        autoCreateSubnetworks: false,
        mtu: 1500,
        routingConfig: { routingMode: 'GLOBAL' },
        selfLink: link('global/networks/vpc'),
        // Columns gcloud derives from the resource: they show it understood what the server returned.
        x_gcloud_subnet_mode: 'CUSTOM',
        x_gcloud_bgp_routing_mode: 'GLOBAL',
      });
      expect(net?.['id']).toMatch(/^\d+$/);
      expect(net?.['selfLinkWithId']).toBe(link(`global/networks/${String(net?.['id'])}`));

      // gcloud asks before changing the MTU (and takes "no" when prompts are disabled): answer yes.
      const updated = await run('compute networks update vpc --bgp-routing-mode=regional --mtu=8896', {
        answer: 'y\n',
      });
      expect(updated.code, updated.stderr).toBe(0);
      expect(updated.stderr).toContain('This might cause connectivity issues');
      const described = await json<Network>('compute networks describe vpc');
      expect(described).toMatchObject({
        name: 'vpc',
        mtu: 8896,
        routingConfig: { routingMode: 'REGIONAL' },
        autoCreateSubnetworks: false,
      });

      const deleted = await run('compute networks delete vpc');
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(deleted.stderr).toContain(`Deleted [${link('global/networks/vpc')}].`);

      expectGcloudFetchError(
        await run('compute networks describe vpc'),
        'compute.networks.describe',
        `The resource 'projects/${project}/global/networks/vpc' was not found`,
      );
    },
    TIMEOUT,
  );

  it(
    'creates an auto mode network whose per-region subnetworks gcloud can describe and list, then deletes it',
    async () => {
      const { link, run, json } = setup();

      const created = await run('compute networks create auto --subnet-mode=auto --format=json');
      expect(created.code, created.stderr).toBe(0);
      const [net] = JSON.parse(created.stdout) as Network[];
      expect(net).toMatchObject({
        name: 'auto',
        autoCreateSubnetworks: true,
        routingConfig: { routingMode: 'REGIONAL' },
        x_gcloud_subnet_mode: 'AUTO',
      });
      // Google leaves out `mtu` when it was not set (recorded); 1460 is implied.
      expect(net?.mtu).toBeUndefined();
      expect(net?.subnetworks).toContain(link('regions/us-central1/subnetworks/auto'));
      expect(net?.subnetworks?.length).toBeGreaterThan(35);

      const central = await json<Subnetwork>('compute networks subnets describe auto --region=us-central1');
      expect(central).toMatchObject({
        kind: 'compute#subnetwork',
        name: 'auto',
        ipCidrRange: '10.128.0.0/20',
        gatewayAddress: '10.128.0.1',
        network: link('global/networks/auto'),
        region: link('regions/us-central1'),
        privateIpGoogleAccess: false,
      });

      // `subnets list` reads the aggregated list: one subnetwork per region of the network.
      const subnets = await json<Subnetwork[]>('compute networks subnets list --network=auto');
      expect(subnets.map((s) => s.selfLink).sort()).toEqual([...(net?.subnetworks ?? [])].sort());
      expect(subnets.find((s) => s.region === link('regions/europe-west1'))?.ipCidrRange).toBe(
        '10.132.0.0/20',
      );

      // The subnetworks an auto mode network made for itself do not hold it back.
      const deleted = await run('compute networks delete auto');
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(deleted.stderr).toContain(`Deleted [${link('global/networks/auto')}].`);
    },
    TIMEOUT,
  );

  it(
    'runs a subnetwork through create, private Google access, expand-ip-range, list and delete, with its operations',
    async () => {
      const { project, link, run, json } = setup();
      expect((await run('compute networks create net --subnet-mode=custom')).code).toBe(0);

      const created = await run(
        'compute networks subnets create s1 --network=net --region=us-central1 --range=10.0.0.0/24 ' +
          '--secondary-range=pods=10.4.0.0/14,svc=10.8.0.0/20 --enable-private-ip-google-access --format=json',
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.stderr).toContain(`Created [${link('regions/us-central1/subnetworks/s1')}].`);
      const [subnet] = JSON.parse(created.stdout) as Subnetwork[];
      expect(subnet).toMatchObject({
        kind: 'compute#subnetwork',
        name: 's1',
        ipCidrRange: '10.0.0.0/24',
        gatewayAddress: '10.0.0.1',
        secondaryIpRanges: [
          { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
          { rangeName: 'svc', ipCidrRange: '10.8.0.0/20' },
        ],
        privateIpGoogleAccess: true,
        purpose: 'PRIVATE',
        stackType: 'IPV4_ONLY',
        network: link('global/networks/net'),
        region: link('regions/us-central1'),
        selfLink: link('regions/us-central1/subnetworks/s1'),
      });
      expect(subnet?.fingerprint).toBeTruthy();

      // --no-enable-private-ip-google-access goes through setPrivateIpGoogleAccess; gcloud prints the result.
      const [noAccess] = await json<Subnetwork[]>(
        'compute networks subnets update s1 --region=us-central1 --no-enable-private-ip-google-access',
      );
      expect(noAccess).toMatchObject({
        name: 's1',
        privateIpGoogleAccess: false,
        ipCidrRange: '10.0.0.0/24',
      });

      // expand-ip-range GETs the subnetwork and sends the superset computed from --prefix-length; the gateway stays.
      const [expanded] = await json<Subnetwork[]>(
        'compute networks subnets expand-ip-range s1 --region=us-central1 --prefix-length=20',
      );
      expect(expanded).toMatchObject({
        ipCidrRange: '10.0.0.0/20',
        gatewayAddress: '10.0.0.1',
        privateIpGoogleAccess: false,
      });
      expect(expanded?.secondaryIpRanges?.map((r) => r.rangeName)).toEqual(['pods', 'svc']);

      const listed = await json<Subnetwork[]>('compute networks subnets list --regions=us-central1');
      expect(listed.map((s) => [s.name, s.ipCidrRange, s.privateIpGoogleAccess])).toEqual([
        ['s1', '10.0.0.0/20', false],
      ]);

      // The regional operations behind those commands, as gcloud lists and describes them.
      const ops = await json<Operation[]>('compute operations list --regions=us-central1');
      expect(ops.map((op) => op.operationType).sort()).toEqual([
        'expandIpCidrRange',
        'insert',
        'setPrivateIpGoogleAccess',
      ]);
      for (const op of ops) {
        expect(op).toMatchObject({
          kind: 'compute#operation',
          status: 'DONE',
          progress: 100,
          targetLink: link('regions/us-central1/subnetworks/s1'),
          region: link('regions/us-central1'),
          selfLink: link(`regions/us-central1/operations/${op.name}`),
        });
      }
      const expandOp = ops.find((op) => op.operationType === 'expandIpCidrRange') as Operation;
      const one = await json<Operation>(`compute operations describe ${expandOp.name} --region=us-central1`);
      expect(one).toMatchObject({
        name: expandOp.name,
        operationType: 'expandIpCidrRange',
        status: 'DONE',
        selfLink: expandOp.selfLink,
      });

      // The network cannot go while s1 uses it: Google refuses the request (400) and gcloud says why.
      expectGcloudFetchError(
        await run('compute networks delete net'),
        'compute.networks.delete',
        `The network resource 'projects/${project}/global/networks/net' is already being used by ` +
          `'projects/${project}/regions/us-central1/subnetworks/s1'`,
      );
      // ...and no operation was created for the refused delete.
      const globalOps = await json<Operation[]>(
        'compute operations list --global --filter=operationType=delete',
      );
      expect(globalOps).toHaveLength(0);

      const subnetDeleted = await run('compute networks subnets delete s1 --region=us-central1');
      expect(subnetDeleted.code, subnetDeleted.stderr).toBe(0);
      expect(subnetDeleted.stderr).toContain(`Deleted [${link('regions/us-central1/subnetworks/s1')}].`);
      const netDeleted = await run('compute networks delete net');
      expect(netDeleted.code, netDeleted.stderr).toBe(0);
    },
    TIMEOUT,
  );

  it(
    'adds and removes secondary ranges with update, which PATCHes back the fingerprint gcloud read',
    async () => {
      const { project, link, run, json } = setup();
      expect((await run('compute networks create net --subnet-mode=auto')).code).toBe(0);

      // `fingerprint` is a bytes field to gcloud: `subnets update` base64-decodes the one it GETs and PATCHes it back
      // re-encoded URL-safe (`-`, `_` for `+`, `/`). Google compares fingerprints by value, so the update works
      // whichever alphabet the fingerprint was served in. Pick the auto subnetwork whose fingerprint that re-encoding
      // changes, if the server served one (among ~40 random fingerprints it nearly always has), so that this is
      // exercised on every run instead of by chance.
      const raw = await request(gcloud.url())
        .get(`/compute/v1/projects/${project}/aggregated/subnetworks`)
        .expect(200);
      const served = Object.values(raw.body.items as Record<string, { subnetworks?: Subnetwork[] }>).flatMap(
        (scope) => scope.subnetworks ?? [],
      );
      const target = served.find((s) => /[+/]/.test(s.fingerprint)) ?? (served[0] as Subnetwork);
      const region = target.region.split('/').pop() as string;
      expect(target.selfLink).toBe(link(`regions/${region}/subnetworks/net`));
      const update = `compute networks subnets update net --region=${region}`;

      // gcloud GETs the subnetwork, then PATCHes the whole secondaryIpRanges list with the fingerprint it got.
      const [added] = await json<Subnetwork[]>(
        `${update} --add-secondary-ranges=pods=192.168.0.0/20,svc=192.168.16.0/24`,
      );
      expect(added).toMatchObject({
        selfLink: target.selfLink,
        ipCidrRange: target.ipCidrRange,
        gatewayAddress: target.gatewayAddress,
      });
      expect(added?.secondaryIpRanges).toEqual([
        { rangeName: 'pods', ipCidrRange: '192.168.0.0/20' },
        { rangeName: 'svc', ipCidrRange: '192.168.16.0/24' },
      ]);

      const [removed] = await json<Subnetwork[]>(`${update} --remove-secondary-ranges=pods`);
      expect(removed?.secondaryIpRanges).toEqual([{ rangeName: 'svc', ipCidrRange: '192.168.16.0/24' }]);
      expect(removed?.fingerprint).not.toBe(added?.fingerprint);

      // A new secondary range may not overlap the subnetwork's own primary range.
      const inner = target.ipCidrRange.replace(/\/20$/, '/24');
      expectGcloudFetchError(
        await run(`${update} --add-secondary-ranges=inner=${inner}`),
        'compute.networks.subnets.update',
        `Invalid IPCidrRange: ${inner} conflicts with`,
      );
    },
    TIMEOUT,
  );

  it(
    'reports overlapping ranges, bad CIDRs, bad names, missing resources and shrinking expansions as gcloud errors',
    async () => {
      const { project, run, json } = setup();
      const create = 'compute.networks.subnets.create';
      const subnet = (name: string, range: string, extra = '') =>
        run(
          `compute networks subnets create ${name} --network=net --region=us-central1 --range=${range} ${extra}`,
        );

      expect((await run('compute networks create net --subnet-mode=custom')).code).toBe(0);
      expect((await subnet('a', '10.0.0.0/16')).code).toBe(0);

      expectGcloudFetchError(
        await subnet('overlap', '10.0.128.0/24'),
        create,
        "Invalid IPCidrRange: 10.0.128.0/24 conflicts with existing subnetwork 'a' in region 'us-central1'.",
      );
      expectGcloudFetchError(
        await subnet('hostbits', '10.1.0.1/24'),
        create,
        "Invalid value for field 'resource.ipCidrRange': '10.1.0.1/24'.",
      );
      expectGcloudFetchError(
        await subnet('toolong', '10.1.0.0/33'),
        create,
        "Invalid value for field 'resource.ipCidrRange': '10.1.0.0/33'.",
      );
      expectGcloudFetchError(
        await subnet('BadName', '10.2.0.0/24'),
        create,
        "Invalid value for field 'resource.name': 'BadName'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'",
      );
      expectGcloudFetchError(
        await subnet('sec', '10.3.0.0/24', '--secondary-range=inner=10.3.0.128/25'),
        create,
        'Invalid IPCidrRange: 10.3.0.128/25 conflicts with',
      );
      // gcloud computes 10.0.0.0/24 from --prefix-length=24: a subset of a's 10.0.0.0/16, not an expansion.
      const shrink = await run(
        'compute networks subnets expand-ip-range a --region=us-central1 --prefix-length=24',
      );
      expectGcloudFetchError(shrink, 'compute.networks.subnets.expand-ip-range', '10.0.0.0/24');
      expect(shrink.stderr).toMatch(/Invalid/);

      expectGcloudFetchError(
        await run('compute networks subnets describe ghost --region=us-central1'),
        'compute.networks.subnets.describe',
        `The resource 'projects/${project}/regions/us-central1/subnetworks/ghost' was not found`,
      );

      // None of the failures left anything behind, and a is untouched.
      const subnets = await json<Subnetwork[]>('compute networks subnets list');
      expect(subnets.map((s) => [s.name, s.ipCidrRange, s.secondaryIpRanges ?? []])).toEqual([
        ['a', '10.0.0.0/16', []],
      ]);
    },
    TIMEOUT,
  );

  it(
    'filters network lists on the server and lists the operations of every scope',
    async () => {
      const { link, run, json } = setup();
      for (const [name, mode] of [
        ['web-prod', 'global'],
        ['web-dev', 'regional'],
        ['db-prod', 'regional'],
      ]) {
        const created = await run(
          `compute networks create ${name} --subnet-mode=custom --bgp-routing-mode=${mode}`,
        );
        expect(created.code, created.stderr).toBe(0);
      }

      // gcloud turns `name:prod` into the server filter `name eq ".*\bprod\b.*"`, then re-applies it itself.
      const prod = await json<Network[]>('compute networks list --filter=name:prod');
      expect(prod.map((n) => n.name)).toEqual(['db-prod', 'web-prod']);
      // Two terms, one on a nested field: sent as `(name eq ".*(^web-).*")(routingConfig.routingMode eq GLOBAL)`.
      const web = await run('compute networks list --format=value(name,x_gcloud_bgp_routing_mode)', {
        rest: ['--filter=name~^web- AND routingConfig.routingMode=GLOBAL'],
      });
      expect(web.code, web.stderr).toBe(0);
      expect(web.stdout.trim().split('\n')).toEqual(['web-prod\tGLOBAL']);

      const inserts = ['db-prod', 'web-dev', 'web-prod'].map((n) => link(`global/networks/${n}`));
      const global = await json<Operation[]>('compute operations list --global');
      expect(global.map((op) => op.targetLink).sort()).toEqual(inserts);
      expect(
        global.every((op) => op.operationType === 'insert' && op.status === 'DONE' && op.progress === 100),
      ).toBe(true);

      // Without --global/--regions gcloud reads the aggregated list of operations (all scopes of the project);
      // a failure there is only a warning to gcloud, which then lists nothing and still exits 0.
      const all = await run('compute operations list --format=json');
      expect(all.code, all.stderr).toBe(0);
      expect(all.stderr).not.toContain('Some requests did not succeed');
      const ops = JSON.parse(all.stdout) as Operation[];
      expect(ops.map((op) => op.name).sort()).toEqual(global.map((op) => op.name).sort());
    },
    TIMEOUT,
  );
});
