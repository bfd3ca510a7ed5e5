import type { KubeObject } from '../api/kube-object';
import { field, isPlainObject, listField, stringField } from '../api/kube-object';

/** kube-controller-manager's default --max-endpoints-per-slice. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
export const MANAGED_BY = 'endpointslice-controller.k8s.io';

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  nodeName?: string;
  zone?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

export interface DesiredSlice {
  name: string;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

/** Whether every `selector` pair is among the pod's labels (a Service selector is equality-based). */
export function selects(
  selector: Record<string, string>,
  labels: Record<string, string> | undefined,
): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels?.[key] === value);
}

/** A pod's Ready condition. */
export function podReady(pod: KubeObject): boolean {
  return listField(pod, 'status', 'conditions').some(
    (condition) => field(condition, 'type') === 'Ready' && field(condition, 'status') === 'True',
  );
}

/**
 * The container port a Service port sends to on this pod: `targetPort` as a number, or the container port of that
 * name and protocol; absent → the Service port. Null when a named port is not on the pod (the pod is left out of
 * that port's endpoints, as the real controller does).
 */
export function resolveTargetPort(pod: KubeObject, servicePort: Record<string, unknown>): number | null {
  const protocol = String(servicePort['protocol'] ?? 'TCP');
  const target = servicePort['targetPort'] ?? servicePort['port'];
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  for (const container of listField(pod, 'spec', 'containers')) {
    for (const port of listField(container, 'ports')) {
      if (field(port, 'name') === target && String(field(port, 'protocol') ?? 'TCP') === protocol) {
        return Number(field(port, 'containerPort'));
      }
    }
  }
  return null;
}

function shortHash(text: string): string {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += alphabet[hash % alphabet.length];
    hash = Math.floor(hash / alphabet.length) + i * 7919;
  }
  return out;
}

/**
 * The EndpointSlices the endpointslice controller keeps for a Service with a selector: the selected pods that
 * have an IP and are not finished, grouped by the ports they resolve to, at most 100 endpoints a slice. A Service
 * selecting nothing keeps one empty slice. Names are `<service>-<5 chars>` like the controller's, but derived from
 * the Service's uid and the slice's ports, so an update finds the same slice again.
 */
export function desiredEndpointSlices(
  service: KubeObject,
  pods: readonly KubeObject[],
  zones: ReadonlyMap<string, string>,
) {
  const serviceName = service.metadata.name as string;
  const namespace = service.metadata.namespace as string;
  const uid = String(service.metadata.uid);
  const selector = (field(service, 'spec', 'selector') ?? {}) as Record<string, string>;
  const servicePorts = listField(service, 'spec', 'ports').filter(isPlainObject);
  const publishNotReady = field(service, 'spec', 'publishNotReadyAddresses') === true;
  const groups = new Map<string, { ports: SlicePort[]; endpoints: SliceEndpoint[] }>();

  const members = pods
    .filter((pod) => pod.metadata.namespace === namespace && selects(selector, pod.metadata.labels))
    .filter((pod) => stringField(pod, 'status', 'podIP'))
    .filter((pod) => !['Succeeded', 'Failed'].includes(String(field(pod, 'status', 'phase'))))
    .sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));

  for (const pod of members) {
    const ports: SlicePort[] = [];
    let complete = true;
    for (const servicePort of servicePorts) {
      const port = resolveTargetPort(pod, servicePort);
      if (port === null) {
        complete = false;
        continue;
      }
      ports.push({
        name: String(servicePort['name'] ?? ''),
        port,
        protocol: String(servicePort['protocol'] ?? 'TCP'),
        ...(servicePort['appProtocol'] ? { appProtocol: String(servicePort['appProtocol']) } : {}),
      });
    }
    if (!complete && ports.length === 0) continue;
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, endpoints: [] };
    groups.set(key, group);
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const ready = podReady(pod);
    const nodeName = stringField(pod, 'spec', 'nodeName');
    group.endpoints.push({
      addresses: [stringField(pod, 'status', 'podIP') as string],
      conditions: {
        ready: (ready || publishNotReady) && !terminating,
        serving: ready || publishNotReady,
        terminating,
      },
      ...(nodeName ? { nodeName } : {}),
      ...(nodeName && zones.get(nodeName) ? { zone: zones.get(nodeName) } : {}),
      targetRef: { kind: 'Pod', namespace, name: pod.metadata.name as string, uid: String(pod.metadata.uid) },
    });
  }

  const slices: DesiredSlice[] = [];
  for (const [key, group] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (
      let start = 0, index = 0;
      start < group.endpoints.length;
      start += MAX_ENDPOINTS_PER_SLICE, index++
    ) {
      slices.push({
        name: `${serviceName}-${shortHash(`${uid}/${key}/${index}`)}`,
        ports: group.ports,
        endpoints: group.endpoints.slice(start, start + MAX_ENDPOINTS_PER_SLICE),
      });
    }
  }
  if (slices.length === 0)
    slices.push({ name: `${serviceName}-${shortHash(`${uid}/empty`)}`, ports: [], endpoints: [] });
  return slices;
}

/** The EndpointSlice object for a desired slice. */
export function endpointSliceObject(service: KubeObject, slice: DesiredSlice): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: slice.name,
      namespace: service.metadata.namespace,
      labels: {
        'endpointslice.kubernetes.io/managed-by': MANAGED_BY,
        'kubernetes.io/service-name': service.metadata.name as string,
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: service.metadata.name as string,
          uid: String(service.metadata.uid),
          controller: true,
          blockOwnerDeletion: true,
        } as never,
      ],
    },
    addressType: 'IPv4',
    endpoints: slice.endpoints,
    ...(slice.ports.length > 0 ? { ports: slice.ports } : {}),
  };
}
