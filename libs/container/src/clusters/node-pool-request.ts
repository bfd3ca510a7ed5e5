import { ContainerErrors } from '../wire/container-errors';
import { assertResourceLabels } from '../wire/resource-labels';
import { MAX_PODS_RANGE, regionOf } from './cluster-plan';
import { nodeConfigNameProblem } from './node-config';

type Json = Record<string, unknown>;

const POOL_NAME = /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/;
/** Nodes per node pool per zone (GKE quota). */
export const MAX_NODES_PER_POOL_ZONE = 1000;

export interface NodePoolSpec {
  name: string;
  /** nodes per zone */
  nodeCount: number;
  zones: string[];
  maxPods: number;
  config: Json;
  given: Json;
  /** the GKE version the pool's nodes run (the cluster's) */
  version?: string;
}

export function assertNodeCount(count: unknown, field: string): number {
  const value = Number(count);
  if (count === undefined || !Number.isInteger(value) || value < 0 || value > MAX_NODES_PER_POOL_ZONE) {
    throw ContainerErrors.invalid(
      `Invalid value for field "${field}": ${JSON.stringify(count)}. Must be between 0 and ${MAX_NODES_PER_POOL_ZONE} nodes per zone.`,
    );
  }
  return value;
}

/** Validates a node pool as given in a create request (or built from a cluster's initialNodeCount). */
export function parseNodePoolSpec(
  raw: unknown,
  field: string,
  cluster: { zones: string[]; defaultMaxPods: number; routesBased: boolean },
): NodePoolSpec {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw ContainerErrors.invalid(`${field} must be an object.`);
  const pool = raw as Json;
  const name = pool['name'];
  if (typeof name !== 'string' || name === '')
    throw ContainerErrors.invalid(`${field}.name must be specified.`);
  if (!POOL_NAME.test(name)) {
    throw ContainerErrors.invalid(
      `Invalid value for field "${field}.name": "${name}". Node pool names must start with a lowercase letter followed by up to 39 lowercase letters, numbers, or hyphens, and cannot end with a hyphen.`,
    );
  }
  const nodeCount = assertNodeCount(pool['initialNodeCount'] ?? 0, `${field}.initialNodeCount`);
  const constraint = pool['maxPodsConstraint'] as Json | undefined;
  let maxPods = cluster.defaultMaxPods;
  if (constraint !== undefined) {
    if (cluster.routesBased) {
      throw ContainerErrors.invalid(
        'Max pods constraint can only be set on clusters with alias IPs (VPC-native).',
      );
    }
    const value = Number(constraint?.['maxPodsPerNode']);
    if (!Number.isInteger(value) || value < MAX_PODS_RANGE.min || value > MAX_PODS_RANGE.max) {
      throw ContainerErrors.invalid(
        `Invalid value for field "${field}.maxPodsConstraint.maxPodsPerNode": ${JSON.stringify(constraint?.['maxPodsPerNode'])}. Maximum pods per node must be between ${MAX_PODS_RANGE.min} and ${MAX_PODS_RANGE.max}.`,
      );
    }
    maxPods = value;
  }
  const locations = pool['locations'];
  const zones =
    Array.isArray(locations) && locations.length > 0
      ? locations.map((zone) => {
          if (typeof zone !== 'string' || !cluster.zones.some((z) => regionOf(z) === regionOf(zone))) {
            throw ContainerErrors.invalid(`Location "${String(zone)}" is not in the cluster's region.`);
          }
          return zone;
        })
      : cluster.zones;
  const config = (pool['config'] as Json | undefined) ?? {};
  const configProblem = nodeConfigNameProblem(
    config,
    `${field === 'cluster' ? 'cluster.nodeConfig' : `${field}.config`}`,
  );
  if (configProblem) throw ContainerErrors.invalid(configProblem);
  assertResourceLabels(
    config['resourceLabels'],
    `${field === 'cluster' ? 'cluster.nodeConfig' : `${field}.config`}.resourceLabels`,
  );
  return {
    name,
    nodeCount,
    zones,
    maxPods,
    config,
    given: pool,
  };
}
