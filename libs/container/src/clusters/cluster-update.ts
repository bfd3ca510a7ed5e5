import { ContainerErrors } from '../wire/container-errors';
import { object } from '../wire/request-values';
import { randomHex } from './cluster-plan';
import { DEFAULT_GKE_VERSION, resolveVersion } from './gke-versions';

type Json = Record<string, unknown>;

/**
 * clusters.update on a stored cluster: the `update` fields this emulator models (versions, network policy,
 * logging/monitoring…) applied, and the node settings the update applies to every node pool in place. A field it
 * does not model gets a 400.
 */
export function applyClusterUpdate(resource: Json, update: Json): { next: Json; poolConfig: Json } {
  const next: Json = { ...resource };
  /** node settings the update applies to every node pool in place */
  const poolConfig: Json = {};
  for (const [key, value] of Object.entries(update)) {
    switch (key) {
      case 'desiredMasterVersion':
        next['currentMasterVersion'] = updatedVersion(value, key);
        break;
      case 'desiredNodeVersion':
        next['currentNodeVersion'] = updatedVersion(value, key);
        break;
      case 'desiredLoggingService':
        next['loggingService'] = value;
        break;
      case 'desiredMonitoringService':
        next['monitoringService'] = value;
        break;
      case 'desiredAddonsConfig':
        next['addonsConfig'] = { ...object(next['addonsConfig'], 'addonsConfig'), ...object(value, key) };
        break;
      case 'desiredLocations':
        next['locations'] = value;
        break;
      case 'desiredReleaseChannel':
        next['releaseChannel'] = value;
        break;
      case 'desiredMasterAuthorizedNetworksConfig':
        next['masterAuthorizedNetworksConfig'] = value;
        break;
      case 'desiredInTransitEncryptionConfig':
        next['networkConfig'] = {
          ...object(next['networkConfig'], 'networkConfig'),
          inTransitEncryptionConfig: value,
        };
        break;
      case 'desiredDatapathProvider':
        next['networkConfig'] = {
          ...object(next['networkConfig'], 'networkConfig'),
          datapathProvider: value,
        };
        break;
      case 'desiredContainerdConfig':
        // Every node pool's nodes take the new containerd config in place, and new pools default to it.
        poolConfig['containerdConfig'] = value;
        next['nodePoolDefaults'] = withNodeConfigDefault(next['nodePoolDefaults'], 'containerdConfig', value);
        break;
      case 'desiredNodeKubeletConfig':
        poolConfig['kubeletConfig'] = value;
        break;
      case 'desiredNodePoolAutoConfigKubeletConfig':
        next['nodePoolAutoConfig'] = {
          ...object(next['nodePoolAutoConfig'], 'nodePoolAutoConfig'),
          nodeKubeletConfig: value,
        };
        break;
      case 'desiredNodePoolId':
      case 'desiredImageType':
        break;
      default:
        throw ContainerErrors.invalid(`Updating "${key}" is not supported by gke-emulator.`);
    }
  }
  return { next, poolConfig };
}

/** clusters.setNetworkPolicy on a stored cluster: Calico NetworkPolicy enforcement on or off. */
export function withNetworkPolicy(resource: Json, policy: Json): Json {
  const enabled = policy['enabled'] === true;
  return {
    ...resource,
    networkPolicy: enabled ? { provider: policy['provider'] ?? 'CALICO', enabled: true } : {},
    addonsConfig: {
      ...object(resource['addonsConfig'], 'addonsConfig'),
      networkPolicyConfig: enabled ? {} : { disabled: true },
    },
  };
}

/** clusters.setResourceLabels on a stored cluster: the labels replaced (none: no `resourceLabels`), a new fingerprint. */
export function withResourceLabels(resource: Json, labels: Json, random: () => number): Json {
  const { resourceLabels: _old, ...rest } = resource;
  return {
    ...rest,
    ...(Object.keys(labels).length > 0 ? { resourceLabels: labels } : {}),
    labelFingerprint: randomHex(8, random),
  };
}

/** `desiredMasterVersion`/`desiredNodeVersion`: `-` or `latest` is the default version, else an offered one. */
function updatedVersion(value: unknown, field: string): string {
  const version = resolveVersion(typeof value === 'string' ? value : undefined) ?? DEFAULT_GKE_VERSION;
  if (typeof value === 'string' && value !== '-' && value !== 'latest' && !resolveVersion(value)) {
    throw ContainerErrors.invalid(
      `Invalid value for field "update.${field}": "${value}" is not a supported version.`,
    );
  }
  return version;
}

/** `nodePoolDefaults` with one node config default set. */
function withNodeConfigDefault(defaults: unknown, field: string, value: unknown): Json {
  const current = object(defaults, 'nodePoolDefaults');
  return {
    ...current,
    nodeConfigDefaults: { ...object(current['nodeConfigDefaults'], 'nodeConfigDefaults'), [field]: value },
  };
}
