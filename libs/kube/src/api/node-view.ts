import { type KubeObject, rfc3339 } from './kube-object';

/** What a Node is rendered from: a Compute Engine instance of the cluster (the container API's NodeRecord). */
export interface NodeSource {
  name: string;
  zone: string;
  nodePool: string;
  internalIp: string;
  podCidr: string;
  maxPods: number;
  createdAt: Date;
  /** a stable id for the uid */
  id: bigint;
}

export const KUBELET_VERSION = 'v1.32.4-gke.1000';

/** Labels and annotations users set on a node (`kubectl label node`), kept apart from the rendered node. */
export interface NodeOverlay {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  unschedulable?: boolean;
  resourceVersion: string;
}

function uidOf(id: bigint): string {
  const hex = id.toString(16).padStart(12, '0').slice(-12);
  return `00000000-0000-4000-8000-${hex}`;
}

/** The Node object GKE's kubelet would register for the instance. */
export function renderNode(
  project: string,
  node: NodeSource,
  overlay: NodeOverlay | undefined,
  fallbackVersion: string,
): KubeObject {
  const created = rfc3339(node.createdAt);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: created,
    lastTransitionTime: created,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      uid: uidOf(node.id),
      resourceVersion: overlay?.resourceVersion ?? fallbackVersion,
      creationTimestamp: created,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': 'e2-medium',
        'beta.kubernetes.io/os': 'linux',
        'cloud.google.com/gke-nodepool': node.nodePool,
        'cloud.google.com/gke-os-distribution': 'cos',
        'cloud.google.com/machine-family': 'e2',
        'failure-domain.beta.kubernetes.io/region': node.zone.replace(/-[a-z]$/, ''),
        'failure-domain.beta.kubernetes.io/zone': node.zone,
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'e2-medium',
        'topology.kubernetes.io/region': node.zone.replace(/-[a-z]$/, ''),
        'topology.kubernetes.io/zone': node.zone,
        ...(overlay?.labels ?? {}),
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        ...(overlay?.annotations ?? {}),
      },
    },
    spec: {
      podCIDR: node.podCidr,
      podCIDRs: [node.podCidr],
      providerID: `gce://${project}/${node.zone}/${node.name}`,
      ...(overlay?.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      capacity: {
        cpu: '2',
        'ephemeral-storage': '98831908Ki',
        memory: '4025892Ki',
        pods: String(node.maxPods),
      },
      allocatable: {
        cpu: '940m',
        'ephemeral-storage': '47060071478',
        memory: '2880036Ki',
        pods: String(node.maxPods),
      },
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status. AppArmor enabled'),
      ],
      addresses: [
        { type: 'InternalIP', address: node.internalIp },
        { type: 'Hostname', address: node.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: node.id.toString(16).padStart(32, '0'),
        systemUUID: uidOf(node.id),
        bootID: uidOf(node.id),
        kernelVersion: '6.6.72+',
        osImage: 'Container-Optimized OS from Google',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
