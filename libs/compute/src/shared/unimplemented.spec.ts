import { describe, expect, it } from 'vitest';
import { unimplementedComputeMethod } from './unimplemented';

describe('unimplementedComputeMethod', () => {
  it.each([
    ['GET', '/compute/v1/projects/p/global/firewalls', 'compute.firewalls.list'],
    ['POST', '/compute/v1/projects/p/global/firewalls?alt=json', 'compute.firewalls.insert'],
    ['GET', '/compute/v1/projects/p/global/firewalls/f', 'compute.firewalls.get'],
    ['PUT', '/compute/v1/projects/p/global/firewalls/f', 'compute.firewalls.update'],
    ['PATCH', '/compute/v1/projects/p/global/firewalls/f', 'compute.firewalls.patch'],
    ['DELETE', '/compute/v1/projects/p/regions/r/addresses/a', 'compute.addresses.delete'],
    ['POST', '/compute/v1/projects/p/global/securityPolicies/s/addRule', 'compute.securityPolicies.addRule'],
    [
      'GET',
      '/compute/v1/projects/p/global/networks/n/getEffectiveFirewalls',
      'compute.networks.getEffectiveFirewalls',
    ],
    ['GET', '/compute/v1/projects/p/aggregated/forwardingRules', 'compute.forwardingRules.aggregatedList'],
    ['GET', '/compute/v1/projects/p/zones/z/instances', 'compute.instances.list'],
    ['GET', '/projects/p/global/routes', 'compute.routes.list'],
    ['GET', '/compute/v1/projects/p', 'compute.projects.get'],
    // Google's names by scope, from its API description (tools/gen-compute-method-names.mjs).
    ['GET', '/compute/v1/projects/p/zones/z/operations', 'compute.zoneOperations.list'],
    ['GET', '/compute/v1/projects/p/regions/r/backendServices/b', 'compute.regionBackendServices.get'],
    ['POST', '/compute/v1/projects/p/global/addresses', 'compute.globalAddresses.insert'],
    ['GET', '/compute/v1/projects/p/aggregated/operations', 'compute.globalOperations.aggregatedList'],
    [
      'POST',
      '/compute/v1/projects/p/regions/r/instanceGroupManagers/m/resize',
      'compute.regionInstanceGroupManagers.resize',
    ],
    [
      'POST',
      '/compute/v1/projects/p/setCommonInstanceMetadata',
      'compute.projects.setCommonInstanceMetadata',
    ],
  ])('%s %s → %s', (method, path, expected) => {
    expect(unimplementedComputeMethod(method, path)).toBe(expected);
  });

  it.each([
    ['GET', '/v1/projects/p/locations/l/clusters'],
    ['GET', '/healthz'],
    ['POST', '/compute/v1/projects/p/global/networks/n'],
    ['GET', '/compute/v1/projects/p/global/operations/o/wait'],
  ])('names no method for %s %s', (method, path) => {
    expect(unimplementedComputeMethod(method, path)).toBeNull();
  });
});
