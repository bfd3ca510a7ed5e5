import { describe, expect, it } from 'vitest';
import { expectGcloudFetchError, gcloudAvailable, useGcloudScenarios } from '@gke-emulator/testing';

interface Address {
  name: string;
  address: string;
  addressType: string;
  status: string;
  networkTier?: string;
  purpose?: string;
  region?: string;
  subnetwork?: string;
  users?: string[];
}

// Skipped only when the gcloud binary is not installed on this machine: there is then no CLI to drive.
describe.skipIf(!gcloudAvailable())('gcloud compute addresses against the emulator', () => {
  const gcloud = useGcloudScenarios('gcloud-addr');
  /** A fresh project with a gcloud of its own aimed at it. */
  const setup = () => gcloud.scenario();

  it('reserves external and internal addresses, describes, lists and releases them, with the error cases', async () => {
    const { link, run, json } = setup();
    expect((await run('compute networks create vpc --subnet-mode=custom')).code).toBe(0);
    const subnet = await run(
      'compute networks subnets create nodes --network=vpc --region=us-central1 --range=10.0.0.0/24',
    );
    expect(subnet.code, subnet.stderr).toBe(0);

    const external = await run('compute addresses create ext --region=us-central1');
    expect(external.code, external.stderr).toBe(0);
    const ext = await json<Address>('compute addresses describe ext --region=us-central1 --format=json');
    expect(ext).toMatchObject({
      name: 'ext',
      addressType: 'EXTERNAL',
      status: 'RESERVED',
      networkTier: 'PREMIUM',
      region: link('regions/us-central1'),
    });
    expect(ext.address).toMatch(/^198\.18\./);

    const internal = await run(
      'compute addresses create vip --region=us-central1 --subnet=nodes --addresses=10.0.0.10',
    );
    expect(internal.code, internal.stderr).toBe(0);
    const vip = await json<Address>('compute addresses describe vip --region=us-central1 --format=json');
    expect(vip).toMatchObject({
      address: '10.0.0.10',
      addressType: 'INTERNAL',
      purpose: 'GCE_ENDPOINT',
      subnetwork: link('regions/us-central1/subnetworks/nodes'),
    });

    const global = await run('compute addresses create lb --global');
    expect(global.code, global.stderr).toBe(0);
    const all = await json<Address[]>('compute addresses list --format=json');
    expect(all.map((a) => a.name).sort()).toEqual(['ext', 'lb', 'vip']);

    // Taken, reserved and misplaced addresses.
    expectGcloudFetchError(
      await run('compute addresses create again --region=us-central1 --subnet=nodes --addresses=10.0.0.10'),
      'compute.addresses.create',
      "IP address '10.0.0.10' is already being used by another resource.",
    );
    expectGcloudFetchError(
      await run('compute addresses create gw --region=us-central1 --subnet=nodes --addresses=10.0.0.1'),
      'compute.addresses.create',
      'reserved by Google Cloud',
    );
    expectGcloudFetchError(
      await run('compute addresses create ext --region=us-central1'),
      'compute.addresses.create',
      'already exists',
    );
    // The subnet cannot go while an address is reserved in it.
    const busy = await run('compute networks subnets delete nodes --region=us-central1');
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toContain('is already being used by');

    const released = await run('compute addresses delete ext vip --region=us-central1');
    expect(released.code, released.stderr).toBe(0);
    expect((await run('compute addresses delete lb --global')).code).toBe(0);
    expect(await json<Address[]>('compute addresses list --format=json')).toEqual([]);
  }, 180_000);
});
