import { nodeImageOf } from './gke-versions';

type Json = Record<string, unknown>;

/** The machine type of nodes whose config names none. */
export const DEFAULT_MACHINE_TYPE = 'e2-medium';

/** The scopes GKE gives nodes when none are asked for (gcloud's and the API's default). */
export const DEFAULT_OAUTH_SCOPES = [
  'https://www.googleapis.com/auth/devstorage.read_only',
  'https://www.googleapis.com/auth/logging.write',
  'https://www.googleapis.com/auth/monitoring',
  'https://www.googleapis.com/auth/service.management.readonly',
  'https://www.googleapis.com/auth/servicecontrol',
  'https://www.googleapis.com/auth/trace.append',
];

function object(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function hasLocalSsd(config: Json): boolean {
  const ephemeral = object(config['ephemeralStorageLocalSsdConfig']);
  return Number(ephemeral['localSsdCount'] ?? 0) > 0 || Number(config['localSsdCount'] ?? 0) > 0;
}

/**
 * The kubelet's parallel image pulls when not set: 3 on nodes with local SSDs or an SSD boot disk, else 2 (the API
 * reference: "2 or 3 depending on the disk type"; the recordings: 3 with ephemeral-storage local SSDs, 2 on
 * pd-balanced alone).
 */
export function defaultParallelImagePulls(config: Json): number {
  return hasLocalSsd(config) || config['diskType'] === 'pd-ssd' ? 3 : 2;
}

/**
 * A node pool's `config` as GKE returns it: what was asked for, with GKE's defaults filled in (machine, boot disk,
 * image of the pool's version, scopes, kubelet defaults, metadata, labels), and what GKE derives (`bootDisk`,
 * `effectiveCgroupMode`, `nodeImageConfig`).
 */
export function renderNodeConfig(given: Json, version: string): Json {
  const bootDisk = object(given['bootDisk']);
  const diskType = String(given['diskType'] ?? bootDisk['diskType'] ?? 'pd-balanced');
  const diskSizeGb = Number(given['diskSizeGb'] ?? bootDisk['sizeGb'] ?? 100) || 100;
  const linux = object(given['linuxNodeConfig']);
  const kubelet = object(given['kubeletConfig']);
  const shielded = object(given['shieldedInstanceConfig']);
  const imageType = String(given['imageType'] ?? 'COS_CONTAINERD');
  const spot = given['spot'] === true || given['preemptible'] === true;
  const config: Json = {
    ...given,
    machineType: given['machineType'] ?? DEFAULT_MACHINE_TYPE,
    diskSizeGb,
    diskType,
    bootDisk: { ...bootDisk, diskType, sizeGb: String(diskSizeGb) },
    imageType,
    effectiveCgroupMode:
      linux['cgroupMode'] === 'CGROUP_MODE_V1' ? 'EFFECTIVE_CGROUP_MODE_V1' : 'EFFECTIVE_CGROUP_MODE_V2',
    kubeletConfig: {
      insecureKubeletReadonlyPortEnabled: false,
      maxParallelImagePulls: defaultParallelImagePulls({ ...given, diskType }),
      ...kubelet,
    },
    metadata: { 'disable-legacy-endpoints': 'true', ...object(given['metadata']) },
    oauthScopes:
      Array.isArray(given['oauthScopes']) && given['oauthScopes'].length > 0
        ? given['oauthScopes']
        : DEFAULT_OAUTH_SCOPES,
    serviceAccount: given['serviceAccount'] || 'default',
    shieldedInstanceConfig: { enableIntegrityMonitoring: true, ...shielded },
    resourceLabels: {
      'goog-gke-node-pool-provisioning-model': spot ? 'spot' : 'on-demand',
      ...object(given['resourceLabels']),
    },
    windowsNodeConfig: object(given['windowsNodeConfig']),
  };
  if (imageType.startsWith('COS')) {
    config['nodeImageConfig'] = { image: nodeImageOf(version), imageProject: 'gke-node-images' };
  }
  if (given['linuxNodeConfig'] === undefined) delete config['linuxNodeConfig'];
  return config;
}

/**
 * UpdateNodePool (`PUT …/nodePools/{pool}`): the node settings it changes in place replace the pool's (kubelet
 * config, Linux config with swap, containerd config, labels, taints…); GKE's defaults are filled in again.
 */
export const NODE_POOL_UPDATE_FIELDS = [
  'kubeletConfig',
  'linuxNodeConfig',
  'containerdConfig',
  'loggingConfig',
  'resourceLabels',
  'labels',
  'taints',
  'tags',
  'gvnic',
  'gcfsConfig',
  'fastSocket',
  'workloadMetadataConfig',
  'windowsNodeConfig',
  'machineType',
  'diskType',
  'diskSizeGb',
  'imageType',
  'confidentialNodes',
  'resourceManagerTags',
  'storagePools',
  'maxRunDuration',
  'flexStart',
  'bootDisk',
  'accelerators',
] as const;

/** The node config an UpdateNodePool request leaves: the stored one with the request's fields replacing its own. */
export function applyNodePoolUpdate(stored: Json, request: Json): Json {
  const next: Json = { ...stored };
  for (const field of NODE_POOL_UPDATE_FIELDS) {
    if (request[field] === undefined) continue;
    const value = request[field];
    // Labels, taints and tags come wrapped (`{labels: {…}}`, `{taints: […]}`, `{tags: […]}`) in the request.
    if (field === 'labels' || field === 'resourceLabels') next[field] = object(value)[field] ?? object(value);
    else if (field === 'taints' || field === 'tags') next[field] = object(value)[field] ?? value;
    else next[field] = value;
  }
  // A kubelet config update that leaves the parallel image pulls unset gets 3 (containernodepool-kubeletconfig:
  // the pool had 2 on pd-balanced before the update, 3 after it).
  const kubelet = request['kubeletConfig'];
  if (kubelet && typeof kubelet === 'object' && object(kubelet)['maxParallelImagePulls'] === undefined) {
    next['kubeletConfig'] = { maxParallelImagePulls: 3, ...object(kubelet) };
  }
  return next;
}

/** Node settings that name a Compute resource: RFC 1035 names of at most 63 characters (what they are called). */
export const NODE_RESOURCE_NAME_FIELDS = { machineType: 'machine type', diskType: 'disk type' } as const;
/** Other free node strings are bounded too, so a 1 MB value is refused instead of stored on every node. */
export const NODE_STRING_FIELDS = ['imageType', 'minCpuPlatform', 'serviceAccount', 'nodeGroup'] as const;
const RESOURCE_NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const MAX_NODE_STRING = 255;

/** A value as the error echoes it: long ones cut, so the answer stays small. */
function echo(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

/**
 * The name-like strings of a node config (`fieldPrefix` is where it sits in the request, e.g.
 * `cluster.nodePools[0].config`, or `''` for an UpdateNodePoolRequest): the first problem as Google's 400 message,
 * or undefined.
 */
export function nodeConfigNameProblem(config: Json, fieldPrefix: string): string | undefined {
  const at = (name: string) => (fieldPrefix ? `${fieldPrefix}.${name}` : name);
  for (const [name, label] of Object.entries(NODE_RESOURCE_NAME_FIELDS)) {
    const value = config[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') return `Invalid value for field "${at(name)}": ${JSON.stringify(value)}.`;
    // GKE's answer for a machine type that does not exist; one that is not a Compute name never can
    if (!RESOURCE_NAME.test(value))
      return `Invalid value for field "${at(name)}": "${echo(value)}". ${label} "${echo(value)}" does not exist.`;
  }
  for (const name of NODE_STRING_FIELDS) {
    const value = config[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return `Invalid value for field "${at(name)}": ${JSON.stringify(value)}.`;
    if (value.length > MAX_NODE_STRING)
      return `Invalid value for field "${at(name)}": "${echo(value)}". It must be at most ${MAX_NODE_STRING} characters long.`;
  }
  return undefined;
}
