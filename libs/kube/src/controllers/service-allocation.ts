import { firstAddress, formatIpv4, lastAddress, parseCidrOrThrow, parseIpv4 } from '@gke-emulator/netaddr';
import { kubeDnsServiceIp } from '../api/cluster-dns';
import { field, isPlainObject, type KubeObject, listField, stringField } from '../api/kube-object';
import { KubeErrors, type StatusCause } from '../api/kube-status';

export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/**
 * The lowest free ClusterIP of the services range. The range's network and broadcast addresses are never
 * handed out; the first usable one goes to the `kubernetes` Service, as on a real cluster. `.10` is kube-dns's
 * (the address kubelet names as the pods' nameserver): never handed out dynamically, only when asked for by name,
 * as the API server's allocator keeps the static part of the range for addresses chosen in advance.
 */
export function allocateClusterIp(servicesRange: string, taken: ReadonlySet<string>): string | null {
  const range = parseCidrOrThrow(servicesRange);
  const reserved = kubeDnsServiceIp(servicesRange);
  for (let address = firstAddress(range) + 1; address < lastAddress(range); address++) {
    const text = formatIpv4(address);
    if (!taken.has(text) && text !== reserved) return text;
  }
  return null;
}

/** Whether a requested ClusterIP may be used: inside the range, and neither its network nor broadcast address. */
export function clusterIpInRange(servicesRange: string, ip: string, parsed: number | null): boolean {
  const range = parseCidrOrThrow(servicesRange);
  return (
    parsed !== null &&
    parsed > firstAddress(range) &&
    parsed < lastAddress(range) &&
    formatIpv4(parsed) === ip
  );
}

/**
 * A free NodePort. The real allocator picks at random; this one walks from a point derived from `seed` (the
 * Service's name), so ports look spread like real ones yet repeat from run to run.
 */
export function allocateNodePort(taken: ReadonlySet<number>, seed: string): number | null {
  const size = NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1;
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  for (let i = 0; i < size; i++) {
    const port = NODE_PORT_RANGE.min + ((hash + i) % size);
    if (!taken.has(port)) return port;
  }
  return null;
}

/** The ClusterIPs or NodePorts of the cluster other Services hold (the allocation table, read on demand). */
export type TakenValues = (kind: 'clusterIP' | 'nodePort') => Promise<Set<string>>;

/**
 * The API server's allocators on a Service write: a ClusterIP from the services range (kept on update), a NodePort
 * per port of a NodePort or LoadBalancer Service (kept per port and protocol on update), a health-check NodePort
 * for `externalTrafficPolicy: Local`, and the fields that go with them defaulted or cleared by type. Throws the
 * API server's 500 when a range is full. `taken` is asked only for what needs allocating.
 */
export async function allocateServiceFields(
  service: KubeObject,
  old: KubeObject | undefined,
  servicesRange: string,
  taken: TakenValues,
): Promise<void> {
  const spec = (service['spec'] ??= {}) as Record<string, unknown>;
  const type = String(spec['type'] ?? 'ClusterIP');
  if (type !== 'ExternalName') {
    const oldIp = stringField(old, 'spec', 'clusterIP');
    if (spec['clusterIP'] === undefined || spec['clusterIP'] === '') {
      if (oldIp) spec['clusterIP'] = oldIp;
      else {
        const ip = allocateClusterIp(servicesRange, await taken('clusterIP'));
        if (!ip) {
          throw KubeErrors.internal(`failed to allocate a serviceIP: range is full`);
        }
        spec['clusterIP'] = ip;
      }
    }
    spec['clusterIPs'] = [spec['clusterIP']];
    if (spec['clusterIP'] !== 'None') {
      spec['ipFamilies'] ??= ['IPv4'];
      spec['ipFamilyPolicy'] ??= 'SingleStack';
    }
  } else {
    delete spec['clusterIP'];
    delete spec['clusterIPs'];
  }
  const ports = listField(service, 'spec', 'ports').filter(isPlainObject);
  if (type === 'NodePort' || type === 'LoadBalancer') {
    const takenPorts = await taken('nodePort');
    const oldPorts = listField(old, 'spec', 'ports').filter(isPlainObject);
    ports.forEach((port, index) => {
      if (port['nodePort'] !== undefined) return;
      const previous = oldPorts.find(
        (p) => p['port'] === port['port'] && (p['protocol'] ?? 'TCP') === (port['protocol'] ?? 'TCP'),
      );
      const nodePort =
        (previous?.['nodePort'] as number | undefined) ??
        allocateNodePort(
          new Set([...takenPorts].map(Number)),
          `${String(service.metadata.namespace)}/${String(service.metadata.name)}/${index}`,
        );
      if (nodePort === null) throw KubeErrors.internal('failed to allocate a nodePort: range is full');
      port['nodePort'] = nodePort;
      takenPorts.add(String(nodePort));
    });
    if (type === 'LoadBalancer' && spec['externalTrafficPolicy'] === 'Local') {
      if (spec['healthCheckNodePort'] === undefined) {
        const previous = field(old, 'spec', 'healthCheckNodePort');
        spec['healthCheckNodePort'] =
          typeof previous === 'number'
            ? previous
            : allocateNodePort(
                new Set([...takenPorts].map(Number)),
                `${String(service.metadata.name)}/health`,
              );
      }
    } else delete spec['healthCheckNodePort'];
    if (type === 'LoadBalancer') spec['allocateLoadBalancerNodePorts'] ??= true;
  } else {
    for (const port of ports) delete port['nodePort'];
    delete spec['healthCheckNodePort'];
  }
  if (type !== 'NodePort' && type !== 'LoadBalancer') delete spec['externalTrafficPolicy'];
  else spec['externalTrafficPolicy'] ??= 'Cluster';
}

function invalid(field: string, value: unknown, detail: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
    field,
  };
}

/** Requested ClusterIPs and NodePorts: in range, and not someone else's (422 causes, as the allocators answer). */
export async function serviceAllocationCauses(
  service: KubeObject,
  old: KubeObject | undefined,
  servicesRange: string,
  taken: TakenValues,
): Promise<StatusCause[]> {
  const causes: StatusCause[] = [];
  const ip = stringField(service, 'spec', 'clusterIP');
  const oldIp = stringField(old, 'spec', 'clusterIP');
  if (old && oldIp && ip !== oldIp && field(service, 'spec', 'type') !== 'ExternalName') {
    causes.push(invalid('spec.clusterIPs[0]', [ip], 'may not change once set'));
  } else if (ip && ip !== 'None' && ip !== oldIp) {
    if (!clusterIpInRange(servicesRange, ip, parseIpv4(ip))) {
      causes.push(
        invalid(
          'spec.clusterIPs',
          [ip],
          `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${servicesRange}`,
        ),
      );
    } else if ((await taken('clusterIP')).has(ip)) {
      causes.push(
        invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated`),
      );
    }
  }
  const takenPorts = await taken('nodePort');
  const seen = new Set<number>();
  listField(service, 'spec', 'ports')
    .filter(isPlainObject)
    .forEach((port, index) => {
      const nodePort = port['nodePort'];
      if (typeof nodePort !== 'number') return;
      const at = `spec.ports[${index}].nodePort`;
      if (nodePort < NODE_PORT_RANGE.min || nodePort > NODE_PORT_RANGE.max) {
        causes.push(
          invalid(
            at,
            nodePort,
            `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
          ),
        );
      } else if (takenPorts.has(String(nodePort)) || seen.has(nodePort)) {
        causes.push(invalid(at, nodePort, 'provided port is already allocated'));
      }
      seen.add(nodePort);
    });
  return causes;
}

/** The allocations a Service holds once written: its ClusterIP and every NodePort, as [kind, value] rows. */
export function serviceAllocations(service: KubeObject): [string, string][] {
  const values: [string, string][] = [];
  const ip = stringField(service, 'spec', 'clusterIP');
  if (ip && ip !== 'None') values.push(['clusterIP', ip]);
  for (const port of listField(service, 'spec', 'ports')) {
    const nodePort = field(port, 'nodePort');
    if (typeof nodePort === 'number') values.push(['nodePort', String(nodePort)]);
  }
  const health = field(service, 'spec', 'healthCheckNodePort');
  if (typeof health === 'number') values.push(['nodePort', String(health)]);
  return values;
}
