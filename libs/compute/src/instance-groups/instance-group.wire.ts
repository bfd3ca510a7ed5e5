import type { WireObject } from '../shared/compute-context';

/** One zone of a GKE node pool: the managed instance group GKE made for it and the nodes it holds there. */
export interface PoolZoneGroup {
  project: string;
  projectNumber: string;
  zone: string;
  /** `gke-<cluster>-<pool>-<hash>-grp`, as the node pool's `instanceGroupUrls` name it */
  name: string;
  /** the instance template's name: the group's base name, or a newer one after UpdateNodePool */
  template: string;
  /** the group's numeric id and creation time (the node pool's) */
  id: string;
  creationTimestamp: string;
  network: string;
  subnetwork: string;
  /** the nodes (instances) in this zone, by name */
  instances: string[];
  /**
   * an unmanaged group (GKE's load-balancing controllers' `k8s-ig--…`, or one a user made) with its named ports
   * and description; absent for a pool's. Its `network` is '' until it has one (a user's empty group).
   */
  unmanaged?: { namedPorts: NamedPort[]; description?: string };
}

export interface NamedPort {
  name: string;
  port: number;
}

const DESCRIPTION =
  "This instance group is controlled by Instance Group Manager '%s'. To modify instances in this group, use the Instance Group Manager API: https://cloud.google.com/compute/docs/reference/latest/instanceGroupManagers";

function regionOf(zone: string): string {
  return zone.replace(/-[a-z]$/, '');
}

/** The base name of a group's instances: the group's name without `-grp`. */
export function baseInstanceName(group: string): string {
  return group.replace(/-grp$/, '');
}

/** compute#instanceGroupManager as GKE's node pool groups answer (the recordings' fields and defaults). */
export function instanceGroupManagerWire(group: PoolZoneGroup, base: string): WireObject {
  const zone = `${base}projects/${group.project}/zones/${group.zone}`;
  const template = `${base}projects/${group.project}/regions/${regionOf(group.zone)}/instanceTemplates/${group.template}`;
  const size = group.instances.length;
  return {
    baseInstanceName: baseInstanceName(group.name),
    creationTimestamp: group.creationTimestamp,
    currentActions: {
      abandoning: 0,
      creating: 0,
      creatingWithoutRetries: 0,
      deleting: 0,
      none: size,
      recreating: 0,
      refreshing: 0,
      restarting: 0,
      resuming: 0,
      starting: 0,
      stopping: 0,
      suspending: 0,
      verifying: 0,
    },
    fingerprint: fingerprintOf(`${group.id}:${group.template}:${size}`),
    id: group.id,
    instanceGroup: `${zone}/instanceGroups/${group.name}`,
    instanceLifecyclePolicy: {
      defaultActionOnFailure: 'REPAIR',
      forceUpdateOnRepair: 'YES',
      onFailedHealthCheck: 'DEFAULT_ACTION',
    },
    instanceTemplate: template,
    kind: 'compute#instanceGroupManager',
    listManagedInstancesResults: 'PAGINATED',
    name: group.name,
    satisfiesPzs: true,
    selfLink: `${zone}/instanceGroupManagers/${group.name}`,
    serviceAccount: `service-${group.projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
    standbyPolicy: { mode: 'MANUAL' },
    status: {
      allInstancesConfig: { effective: true },
      isStable: true,
      stateful: { hasStatefulConfig: false, isStateful: false, perInstanceConfigs: { allEffective: true } },
      versionTarget: { isReached: true },
    },
    targetSize: size,
    targetSizePolicy: { mode: 'INDIVIDUAL' },
    targetStoppedSize: 0,
    targetSuspendedSize: 0,
    updatePolicy: {
      maxSurge: { calculated: 1, fixed: 1 },
      maxUnavailable: { calculated: 1, fixed: 1 },
      minReadySec: 0,
      minimalAction: 'REPLACE',
      replacementMethod: 'SUBSTITUTE',
      type: 'OPPORTUNISTIC',
    },
    versions: [{ instanceTemplate: template, targetSize: { calculated: size } }],
    zone,
  };
}

/**
 * compute#instanceGroup: a node pool's managed group seen as an instance group, or an unmanaged group (no
 * description, its named ports, a fingerprint that changes with them, as `setNamedPorts` needs).
 */
export function instanceGroupWire(group: PoolZoneGroup, base: string): WireObject {
  const zone = `${base}projects/${group.project}/zones/${group.zone}`;
  if (group.unmanaged) {
    const { namedPorts, description } = group.unmanaged;
    return {
      creationTimestamp: group.creationTimestamp,
      ...(description ? { description } : {}),
      fingerprint: namedPortsFingerprint(group),
      id: group.id,
      kind: 'compute#instanceGroup',
      name: group.name,
      ...(namedPorts.length > 0 ? { namedPorts } : {}),
      ...(group.network ? { network: `${base}${group.network}` } : {}),
      selfLink: `${zone}/instanceGroups/${group.name}`,
      size: group.instances.length,
      ...(group.instances.length > 0 && group.subnetwork ? { subnetwork: `${base}${group.subnetwork}` } : {}),
      zone,
    };
  }
  return {
    creationTimestamp: group.creationTimestamp,
    description: DESCRIPTION.replace('%s', group.name),
    fingerprint: fingerprintOf(`${group.id}:${group.instances.join(',')}`),
    id: group.id,
    kind: 'compute#instanceGroup',
    name: group.name,
    network: `${base}${group.network}`,
    selfLink: `${zone}/instanceGroups/${group.name}`,
    size: group.instances.length,
    subnetwork: `${base}${group.subnetwork}`,
    zone,
  };
}

/** Compute's fingerprint of nothing: what a group without named ports shows, as an empty label set does. */
export const EMPTY_FINGERPRINT = '42WmSpB8rSM=';

/** An unmanaged group's fingerprint: of its named ports, which setNamedPorts checks a caller read last. */
export function namedPortsFingerprint(group: PoolZoneGroup): string {
  const ports = group.unmanaged?.namedPorts ?? [];
  return ports.length === 0 ? EMPTY_FINGERPRINT : fingerprintOf(`${group.id}:${JSON.stringify(ports)}`);
}

/** listManagedInstances: every node of the group, running its template. */
export function managedInstancesWire(group: PoolZoneGroup, base: string, ids: Map<string, string>) {
  const zone = `${base}projects/${group.project}/zones/${group.zone}`;
  const template = `${base}projects/${group.project}/regions/${regionOf(group.zone)}/instanceTemplates/${group.template}`;
  return group.instances.map((name) => ({
    currentAction: 'NONE',
    id: ids.get(name) ?? '0',
    instance: `${zone}/instances/${name}`,
    instanceStatus: 'RUNNING',
    name,
    version: { instanceTemplate: template },
  }));
}

/** instanceGroups.listInstances: the group's instances and their status. */
export function groupInstancesWire(group: PoolZoneGroup, base: string) {
  const zone = `${base}projects/${group.project}/zones/${group.zone}`;
  return group.instances.map((name) => ({ instance: `${zone}/instances/${name}`, status: 'RUNNING' }));
}

/** A stable fingerprint (8 bytes, base64) of what a group's state is made of. */
export function fingerprintOf(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) >>> 0;
  }
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32BE(h1, 0);
  bytes.writeUInt32BE(h2, 4);
  return bytes.toString('base64');
}
