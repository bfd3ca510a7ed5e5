import { describe, expect, it } from 'vitest';
import { gcloudAvailable, useGcloudScenarios } from '@gke-emulator/testing';

/**
 * GKE clusters and node pools driven by the real `gcloud container` commands, aimed at the emulator through
 * CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER (and SERVICEUSAGE, which `clusters create` checks first); then what
 * GKE made in the VPC, seen through `gcloud compute`.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;
const TIMEOUT = 240_000;

describe.skipIf(!gcloudAvailable())('gcloud container clusters (skipped: gcloud is not installed)', () => {
  const gcloud = useGcloudScenarios('gke-gcloud');

  it(
    'creates a VPC-native cluster on named ranges, shows its nodes, rules and ranges, resizes pools and deletes it',
    async () => {
      const { run, json } = gcloud.scenario();
      expect((await run('compute networks create vpc --subnet-mode=custom')).code).toBe(0);
      const subnet = await run(
        'compute networks subnets create s1 --network=vpc --region=us-central1 --range=10.0.0.0/24 ' +
          '--secondary-range=pods=10.4.0.0/14,svc=10.8.0.0/20',
      );
      expect(subnet.code, subnet.stderr).toBe(0);

      const created = await run(
        'container clusters create c1 --zone=us-central1-a --network=vpc --subnetwork=s1 --enable-ip-alias ' +
          '--cluster-secondary-range-name=pods --services-secondary-range-name=svc --num-nodes=2',
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toMatch(/c1\s+us-central1-a/);

      const cluster = await json<Json>('container clusters describe c1 --zone=us-central1-a');
      expect(cluster).toMatchObject({
        name: 'c1',
        status: 'RUNNING',
        currentNodeCount: 2,
        clusterIpv4Cidr: '10.4.0.0/14',
        servicesIpv4Cidr: '10.8.0.0/20',
        ipAllocationPolicy: { useIpAliases: true, clusterSecondaryRangeName: 'pods' },
      });
      const listed = await json<Json[]>('container clusters list');
      expect(listed.map((c) => c.name)).toEqual(['c1']);

      const instances = await json<Json[]>('compute instances list');
      expect(instances).toHaveLength(2);
      for (const instance of instances) {
        expect(instance['networkInterfaces'][0].aliasIpRanges[0]).toMatchObject({
          subnetworkRangeName: 'pods',
        });
      }
      const described = await json<Json>(
        `compute instances describe ${instances[0]?.['name']} --zone=us-central1-a`,
      );
      expect(described['networkInterfaces'][0].networkIP).toMatch(/^10\.0\.0\.\d+$/);

      const rules = await json<Json[]>('compute firewall-rules list');
      expect(rules.map((r) => String(r['name']).replace(/^gke-c1-[0-9a-f]{8}-/, '')).sort()).toEqual([
        'all',
        'exkubelet',
        'inkubelet',
        'ssh',
        'vms',
      ]);

      const pool = await run(
        'container node-pools create extra --cluster=c1 --zone=us-central1-a --num-nodes=1 --max-pods-per-node=16',
      );
      expect(pool.code, pool.stderr).toBe(0);
      const extra = await json<Json>('container node-pools describe extra --cluster=c1 --zone=us-central1-a');
      expect(extra).toMatchObject({ podIpv4CidrSize: 27, maxPodsConstraint: { maxPodsPerNode: '16' } });
      const resized = await run(
        'container clusters resize c1 --node-pool=extra --num-nodes=3 --zone=us-central1-a',
      );
      expect(resized.code, resized.stderr).toBe(0);
      expect(await json<Json[]>('compute instances list')).toHaveLength(5);
      const poolDeleted = await run('container node-pools delete extra --cluster=c1 --zone=us-central1-a');
      expect(poolDeleted.code, poolDeleted.stderr).toBe(0);
      expect(await json<Json[]>('compute instances list')).toHaveLength(2);

      const deleted = await run('container clusters delete c1 --zone=us-central1-a');
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(await json<Json[]>('container clusters list')).toEqual([]);
      expect(await json<Json[]>('compute instances list')).toEqual([]);
      expect(await json<Json[]>('compute firewall-rules list')).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'creates the ranges from sizes on the subnet, as `networks subnets describe` then shows',
    async () => {
      const { run, json } = gcloud.scenario();
      expect((await run('compute networks create vpc --subnet-mode=custom')).code).toBe(0);
      expect(
        (
          await run(
            'compute networks subnets create s1 --network=vpc --region=us-central1 --range=10.0.0.0/24',
          )
        ).code,
      ).toBe(0);
      const created = await run(
        'container clusters create sized --zone=us-central1-a --network=vpc --subnetwork=s1 --enable-ip-alias ' +
          '--cluster-ipv4-cidr=/16 --services-ipv4-cidr=/22 --num-nodes=1',
      );
      expect(created.code, created.stderr).toBe(0);
      const subnet = await json<Json>('compute networks subnets describe s1 --region=us-central1');
      expect(subnet['secondaryIpRanges']).toEqual([
        { rangeName: expect.stringMatching(/^gke-sized-pods-[0-9a-f]{8}$/), ipCidrRange: '10.1.0.0/16' },
        { rangeName: expect.stringMatching(/^gke-sized-services-[0-9a-f]{8}$/), ipCidrRange: '10.0.4.0/22' },
      ]);
      const bad = await run(
        'container clusters create bad --zone=us-central1-a --network=vpc --subnetwork=s1 --enable-ip-alias ' +
          '--cluster-secondary-range-name=missing --services-secondary-range-name=other --num-nodes=1',
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('"missing"');
    },
    TIMEOUT,
  );
});
