import { describe, expect, it } from 'vitest';
import { EMPTY_FINGERPRINT, instanceGroupWire, type PoolZoneGroup } from './instance-group.wire';

const group = (over: Partial<PoolZoneGroup> = {}): PoolZoneGroup => ({
  project: 'p',
  projectNumber: '123456789012',
  zone: 'us-central1-a',
  name: 'web',
  template: '',
  id: '42',
  creationTimestamp: '2026-12-07T09:00:00.000-08:00',
  network: '',
  subnetwork: '',
  instances: [],
  unmanaged: { namedPorts: [] },
  ...over,
});
const BASE = 'https://compute.googleapis.com/compute/v1/';

describe('instanceGroupWire (unmanaged)', () => {
  it('a new empty group: no network, subnetwork, named ports or description; the empty fingerprint', () => {
    expect(instanceGroupWire(group(), BASE)).toEqual({
      creationTimestamp: '2026-12-07T09:00:00.000-08:00',
      fingerprint: EMPTY_FINGERPRINT,
      id: '42',
      kind: 'compute#instanceGroup',
      name: 'web',
      selfLink: `${BASE}projects/p/zones/us-central1-a/instanceGroups/web`,
      size: 0,
      zone: `${BASE}projects/p/zones/us-central1-a`,
    });
  });

  it('with instances: their network and subnetwork; the fingerprint follows the named ports', () => {
    const withPorts = group({
      network: 'projects/p/global/networks/vpc',
      subnetwork: 'projects/p/regions/us-central1/subnetworks/s1',
      instances: ['n1'],
      unmanaged: { namedPorts: [{ name: 'http', port: 80 }], description: 'front' },
    });
    const wire = instanceGroupWire(withPorts, BASE);
    expect(wire).toMatchObject({
      description: 'front',
      namedPorts: [{ name: 'http', port: 80 }],
      network: `${BASE}projects/p/global/networks/vpc`,
      subnetwork: `${BASE}projects/p/regions/us-central1/subnetworks/s1`,
      size: 1,
    });
    expect(wire['fingerprint']).not.toBe(EMPTY_FINGERPRINT);
    const other = instanceGroupWire(
      { ...withPorts, unmanaged: { namedPorts: [{ name: 'http', port: 8080 }] } },
      BASE,
    );
    expect(other['fingerprint']).not.toBe(wire['fingerprint']);
  });
});
