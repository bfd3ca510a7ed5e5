import {
  arrayField,
  booleanField,
  isJsonObject,
  numberField,
  objectField,
  stringArray,
  stringField,
  stringMapField,
} from './kubernetes-json.guards';
import {
  type ClusterState,
  type Container,
  type ContainerPort,
  DEFAULT_NAMESPACE,
  type LabelSelector,
  type NamespaceInfo,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type PodInfo,
  type WorkloadOwner,
} from './network-policy.types';

/** Controllers whose pod template becomes one representative pod, as np-guard does. */
const WORKLOAD_KINDS = [
  'Deployment',
  'ReplicaSet',
  'DaemonSet',
  'StatefulSet',
  'ReplicationController',
  'Job',
  'CronJob',
];

export interface KubernetesObjectsReading {
  readonly cluster: ClusterState;
  /** Kinds that were read but play no part in NetworkPolicy evaluation (Service, ConfigMap...). */
  readonly ignoredKinds: readonly string[];
}

function readSelector(value: unknown): LabelSelector {
  return {
    matchLabels: stringMapField(value, 'matchLabels'),
    matchExpressions: arrayField(value, 'matchExpressions')?.map((expression) => ({
      key: stringField(expression, 'key') ?? '',
      operator: stringField(expression, 'operator') ?? '',
      values: stringArray(arrayField(expression, 'values')),
    })),
  };
}

function readPeer(value: unknown): NetworkPolicyPeer {
  const podSelector = objectField(value, 'podSelector');
  const namespaceSelector = objectField(value, 'namespaceSelector');
  const ipBlock = objectField(value, 'ipBlock');
  return {
    podSelector: podSelector && readSelector(podSelector),
    namespaceSelector: namespaceSelector && readSelector(namespaceSelector),
    ipBlock: ipBlock && {
      cidr: stringField(ipBlock, 'cidr') ?? '',
      except: stringArray(arrayField(ipBlock, 'except')),
    },
  };
}

function readPolicyPort(value: unknown): NetworkPolicyPort {
  return {
    protocol: stringField(value, 'protocol'),
    port: numberField(value, 'port') ?? stringField(value, 'port'),
    endPort: numberField(value, 'endPort'),
  };
}

function readPorts(rule: unknown): NetworkPolicyPort[] | undefined {
  return arrayField(rule, 'ports')?.map(readPolicyPort);
}

export function readNetworkPolicy(object: unknown): NetworkPolicy {
  const metadata = objectField(object, 'metadata');
  const spec = objectField(object, 'spec');
  return {
    apiVersion: stringField(object, 'apiVersion'),
    kind: stringField(object, 'kind'),
    metadata: { name: stringField(metadata, 'name') ?? '', namespace: stringField(metadata, 'namespace') },
    spec: {
      // A missing podSelector decodes as the empty selector (all pods), as in the Go API types.
      podSelector: readSelector(objectField(spec, 'podSelector')),
      policyTypes: stringArray(arrayField(spec, 'policyTypes')),
      ingress: arrayField(spec, 'ingress')?.map((rule) => ({
        from: arrayField(rule, 'from')?.map(readPeer),
        ports: readPorts(rule),
      })),
      egress: arrayField(spec, 'egress')?.map((rule) => ({
        to: arrayField(rule, 'to')?.map(readPeer),
        ports: readPorts(rule),
      })),
    },
  };
}

function readContainerPort(value: unknown): ContainerPort[] {
  const containerPort = numberField(value, 'containerPort');
  // A port without containerPort (e.g. a misspelt key) describes nothing a policy could name.
  if (containerPort === undefined) return [];
  return [{ name: stringField(value, 'name'), containerPort, protocol: stringField(value, 'protocol') }];
}

function readContainers(podSpec: unknown): Container[] {
  return (arrayField(podSpec, 'containers') ?? []).map((container) => ({
    name: stringField(container, 'name'),
    ports: (arrayField(container, 'ports') ?? []).flatMap(readContainerPort),
  }));
}

function podIp(status: unknown): string | undefined {
  return stringField(status, 'podIP') ?? stringField(arrayField(status, 'podIPs')?.[0], 'ip');
}

function controllerOf(metadata: unknown): WorkloadOwner | undefined {
  for (const reference of arrayField(metadata, 'ownerReferences') ?? []) {
    if (booleanField(reference, 'controller') !== true) continue;
    const kind = stringField(reference, 'kind');
    const name = stringField(reference, 'name');
    // np-guard treats node-owned (static) pods as standalone pods.
    return kind === undefined || name === undefined || kind === 'Node' ? undefined : { kind, name };
  }
  return undefined;
}

export function readPod(object: unknown): PodInfo {
  const metadata = objectField(object, 'metadata');
  const spec = objectField(object, 'spec');
  return {
    namespace: stringField(metadata, 'namespace') ?? DEFAULT_NAMESPACE,
    name: stringField(metadata, 'name') ?? '',
    labels: stringMapField(metadata, 'labels') ?? {},
    ip: podIp(objectField(object, 'status')),
    containers: readContainers(spec),
    owner: controllerOf(metadata),
    nodeName: stringField(spec, 'nodeName'),
  };
}

/** One representative pod of a controller: the template's labels and ports, no IP (it is not scheduled). */
export function readWorkloadPod(object: unknown, kind: string): PodInfo {
  const metadata = objectField(object, 'metadata');
  const spec = objectField(object, 'spec');
  const template =
    kind === 'CronJob'
      ? objectField(objectField(objectField(spec, 'jobTemplate'), 'spec'), 'template')
      : objectField(spec, 'template');
  const name = stringField(metadata, 'name') ?? '';
  return {
    namespace: stringField(metadata, 'namespace') ?? DEFAULT_NAMESPACE,
    name: `${name}-1`,
    labels: stringMapField(objectField(template, 'metadata'), 'labels') ?? {},
    containers: readContainers(objectField(template, 'spec')),
    owner: { kind, name },
  };
}

function readNamespace(object: unknown): NamespaceInfo {
  const metadata = objectField(object, 'metadata');
  return { name: stringField(metadata, 'name') ?? '', labels: stringMapField(metadata, 'labels') ?? {} };
}

/**
 * Turns parsed Kubernetes objects (Namespace, Pod, NetworkPolicy, workloads, and *List of them) into the
 * evaluator's cluster state. Workloads become one representative pod each; other kinds are ignored.
 */
export function readKubernetesObjects(objects: readonly unknown[]): KubernetesObjectsReading {
  const namespaces: NamespaceInfo[] = [];
  const pods: PodInfo[] = [];
  const policies: NetworkPolicy[] = [];
  const ignoredKinds = new Set<string>();
  const visit = (object: unknown): void => {
    if (!isJsonObject(object)) return;
    const kind = stringField(object, 'kind') ?? '';
    const items = arrayField(object, 'items');
    if (kind.endsWith('List') && items !== undefined) {
      // List items may omit their kind; the list's kind names it.
      const itemKind = kind.slice(0, -'List'.length);
      for (const item of items)
        visit(isJsonObject(item) && item['kind'] === undefined ? { ...item, kind: itemKind } : item);
    } else if (kind === 'Namespace') {
      namespaces.push(readNamespace(object));
    } else if (kind === 'Pod') {
      pods.push(readPod(object));
    } else if (kind === 'NetworkPolicy') {
      policies.push(readNetworkPolicy(object));
    } else if (WORKLOAD_KINDS.includes(kind)) {
      pods.push(readWorkloadPod(object, kind));
    } else {
      ignoredKinds.add(kind);
    }
  };
  objects.forEach(visit);
  return { cluster: { namespaces, pods, policies }, ignoredKinds: [...ignoredKinds].sort() };
}
