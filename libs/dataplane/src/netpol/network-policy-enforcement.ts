// Whether GKE enforces NetworkPolicy on a cluster. GKE Standard enforces it only where it is explicitly enabled:
// Calico (`networkPolicy.enabled`, which needs the `networkPolicyConfig` addon), or Dataplane V2
// (`networkConfig.datapathProvider: ADVANCED_DATAPATH`, enforced by Cilium whatever `networkPolicy` says).
// Elsewhere NetworkPolicy objects are accepted by the API server and stored, but nothing on the nodes applies them.

/** How a cluster enforces NetworkPolicy. */
export interface NetworkPolicyEnforcement {
  enforced: boolean;
  /** `ADVANCED_DATAPATH`, `networkPolicy.enabled`, or why neither applies. */
  mode: string;
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Reads a container v1 Cluster (wire JSON) for its NetworkPolicy enforcement. */
export function networkPolicyEnforcement(cluster: Record<string, unknown>): NetworkPolicyEnforcement {
  if (record(cluster['networkConfig'])['datapathProvider'] === 'ADVANCED_DATAPATH')
    return { enforced: true, mode: 'ADVANCED_DATAPATH' };
  const enabled = record(cluster['networkPolicy'])['enabled'] === true;
  const addonDisabled = record(record(cluster['addonsConfig'])['networkPolicyConfig'])['disabled'] === true;
  if (enabled && !addonDisabled) return { enforced: true, mode: 'networkPolicy.enabled' };
  if (enabled) {
    return {
      enforced: false,
      mode: 'not enforced (networkPolicy.enabled, but the networkPolicyConfig addon is disabled)',
    };
  }
  return {
    enforced: false,
    mode: 'not enabled (networkPolicy.enabled is false and the datapath is not ADVANCED_DATAPATH)',
  };
}
