import { describe, expect, it } from 'vitest';
import { GoogleApiError } from '@gke-emulator/common';
import { assertRequestBody } from './container-errors';
import { messageViolations, withJsonNames } from './wire-fields';

const UNKNOWN = (name: string, at?: string) =>
  `Invalid JSON payload received. Unknown name "${name}"${at ? ` at '${at}'` : ''}: Cannot find field.`;

describe('messageViolations (cluster_service.proto field tables)', () => {
  it('accepts a body with known fields, by JSON or proto name, and nulls', () => {
    expect(
      messageViolations('CreateClusterRequest', {
        parent: 'projects/p/locations/us-central1',
        cluster: {
          name: 'c',
          initial_node_count: '3',
          resourceLabels: { env: 'dev' },
          nodePools: [{ name: 'p', config: { machineType: 'e2-small', diskSizeGb: 10, oauthScopes: ['a'] } }],
          ipAllocationPolicy: { useIpAliases: true, createSubnetwork: 'false' },
          releaseChannel: { channel: 'REGULAR' },
          maintenancePolicy: null,
          autoscaling: { autoprovisioningNodePoolDefaults: { upgradeSettings: { maxSurge: 1 } } },
          nodeConfig: { kubeletConfig: { cpuCfsQuota: true, cpuCfsQuotaPeriod: '100ms' } },
        },
      }),
    ).toEqual([]);
  });

  it('reads messages declared after a field option holding braces (resource_reference), and nested ones by scope', () => {
    // NotificationConfig's PubSub comes after `[(google.api.resource_reference) = { … }]` options in the proto; a
    // table that took those braces for scopes lost `pubsub` and refused every cluster with notifications.
    expect(
      messageViolations('CreateClusterRequest', {
        cluster: {
          name: 'c',
          notificationConfig: {
            pubsub: { enabled: true, topic: 'projects/p/topics/t', filter: { eventType: ['UPGRADE_EVENT'] } },
          },
          ipAllocationPolicy: { networkTierConfig: { networkTier: 'NETWORK_TIER_DEFAULT' } },
        },
      }),
    ).toEqual([]);
  });

  it('names an unknown field at its proto path, as ESF does', () => {
    expect(messageViolations('CreateClusterRequest', { cluster: { name: 'c', foo: 1 } })).toEqual([
      { field: 'cluster', description: UNKNOWN('foo', 'cluster') },
    ]);
    expect(
      messageViolations('CreateClusterRequest', {
        cluster: { nodePools: [{ name: 'a' }, { config: { machineType: 'x', bogus: true } }] },
      }),
    ).toEqual([
      {
        field: 'cluster.node_pools[1].config',
        description: UNKNOWN('bogus', 'cluster.node_pools[1].config'),
      },
    ]);
  });

  it('names an unknown top-level field without a path', () => {
    expect(messageViolations('UpdateClusterRequest', { update: {}, clusterr: 'x' })).toEqual([
      { description: UNKNOWN('clusterr') },
    ]);
  });

  it('lists every violation', () => {
    expect(
      messageViolations('CreateNodePoolRequest', { a: 1, nodePool: { b: 2 } }).map((v) => v.field),
    ).toEqual([undefined, 'node_pool']);
  });

  it('refuses a value of the wrong JSON type with its proto type', () => {
    expect(messageViolations('CreateClusterRequest', { cluster: { initialNodeCount: 'x' } })).toEqual([
      {
        field: 'cluster.initial_node_count',
        description: `Invalid value at 'cluster.initial_node_count' (TYPE_INT32), "x"`,
      },
    ]);
    const descriptions = (body: Record<string, unknown>) =>
      messageViolations('CreateClusterRequest', { cluster: body }).map((v) => v.description);
    expect(descriptions({ name: 5 })).toEqual([`Invalid value at 'cluster.name' (TYPE_STRING), 5`]);
    expect(descriptions({ initialNodeCount: 2 ** 31 })).toEqual([
      `Invalid value at 'cluster.initial_node_count' (TYPE_INT32), 2147483648`,
    ]);
    expect(descriptions({ initialNodeCount: 1.5 })).toEqual([
      `Invalid value at 'cluster.initial_node_count' (TYPE_INT32), 1.5`,
    ]);
    expect(descriptions({ enableKubernetesAlpha: 1 })).toEqual([
      `Invalid value at 'cluster.enable_kubernetes_alpha' (TYPE_BOOL), 1`,
    ]);
    expect(descriptions({ nodeConfig: { diskSizeGb: true } })).toEqual([
      `Invalid value at 'cluster.node_config.disk_size_gb' (TYPE_INT32), true`,
    ]);
    expect(descriptions({ locations: ['a', 7] })).toEqual([
      `Invalid value at 'cluster.locations[1]' (TYPE_STRING), 7`,
    ]);
    expect(descriptions({ resourceLabels: { env: 5 } })).toEqual([
      `Invalid value at 'cluster.resource_labels["env"]' (TYPE_STRING), 5`,
    ]);
    expect(descriptions({ addonsConfig: 'x' })).toEqual([
      `Invalid value at 'cluster.addons_config' (type.googleapis.com/google.container.v1.AddonsConfig), "x"`,
    ]);
    expect(descriptions({ name: { a: 1 } })).toEqual([
      `Invalid value at 'cluster.name' (TYPE_STRING), Starting an object on a scalar field`,
    ]);
    expect(descriptions({ name: ['a'] })).toEqual([
      `Invalid JSON payload received. Unknown name "name" at 'cluster': Proto field is not repeating, cannot start list.`,
    ]);
    expect(descriptions({ nodeConfig: { kubeletConfig: { cpuCfsQuota: 'yes' } } })).toEqual([
      `Invalid value at 'cluster.node_config.kubelet_config.cpu_cfs_quota' (type.googleapis.com/google.protobuf.BoolValue), "yes"`,
    ]);
  });

  it('takes 64-bit integers as numbers or decimal strings', () => {
    const body = (value: unknown) => ({
      cluster: { nodeConfig: { accelerators: [{ acceleratorCount: value }] } },
    });
    expect(messageViolations('CreateClusterRequest', body('2'))).toEqual([]);
    expect(messageViolations('CreateClusterRequest', body(2))).toEqual([]);
    expect(messageViolations('CreateClusterRequest', body('two')).map((v) => v.field)).toEqual([
      'cluster.node_config.accelerators[0].accelerator_count',
    ]);
  });
});

describe('assertRequestBody', () => {
  it("answers ESF's 400 INVALID_ARGUMENT with a BadRequest", () => {
    let thrown: unknown;
    try {
      assertRequestBody('CreateClusterRequest', { cluster: { name: 'c', foo: 1 } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GoogleApiError);
    expect((thrown as GoogleApiError).toWire({ withStatus: true }).error).toMatchObject({
      code: 400,
      message: UNKNOWN('foo', 'cluster'),
      status: 'INVALID_ARGUMENT',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: [{ field: 'cluster', description: UNKNOWN('foo', 'cluster') }],
        },
      ],
    });
  });

  it('lets a valid body through', () => {
    expect(() =>
      assertRequestBody('CreateNodePoolRequest', { nodePool: { name: 'p', initialNodeCount: 1 } }),
    ).not.toThrow();
  });
});

describe('withJsonNames', () => {
  it('renames proto names to JSON names at every depth, keeping map keys and unknown names', () => {
    expect(
      withJsonNames('CreateClusterRequest', {
        cluster: {
          initial_node_count: 1,
          resource_labels: { team_name: 'x' },
          node_pools: [{ initial_node_count: 2, config: { machine_type: 'e2-small' } }],
          other_thing: { a_b: 1 },
        },
      }),
    ).toEqual({
      cluster: {
        initialNodeCount: 1,
        resourceLabels: { team_name: 'x' },
        nodePools: [{ initialNodeCount: 2, config: { machineType: 'e2-small' } }],
        other_thing: { a_b: 1 },
      },
    });
  });
});
