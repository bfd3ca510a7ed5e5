// Lookups a trace needs, built once per inputs object (callers keep the object for a generation, so traces of one
// generation share them): who owns an address, which Service a destination names, a Service's endpoints.
import { cidrHasAddress, parseCidr, parseIpv4 } from '@gke-emulator/netaddr';
import type { Cidr } from '@gke-emulator/netaddr';
import type { KubeEndpoint, KubeService } from '../kube-proxy';
import type { PodInfo } from '../netpol';
import type {
  TraceCluster,
  TraceForwardingRule,
  TraceInputs,
  TraceInstance,
  TraceNetwork,
} from './trace-inputs.types';

export interface PodLocation {
  cluster: TraceCluster;
  pod: PodInfo;
}

export interface ServiceMatch {
  cluster: TraceCluster;
  service: KubeService;
  port: number;
}

export interface TraceIndex {
  instanceByIp: Map<string, TraceInstance>;
  instanceByExternalIp: Map<string, TraceInstance>;
  instanceByName: Map<string, TraceInstance>;
  forwardingRulesByIp: Map<string, TraceForwardingRule[]>;
  clusterByUri: Map<string, TraceCluster>;
  networkRanges: { network: TraceNetwork; range: Cidr; text: string }[];
  pod(ip: string): PodLocation | undefined;
  /** The Service a packet to ip:port names (ClusterIP, load-balancer ingress or external IP). */
  serviceAt(cluster: TraceCluster, ip: string, port: number, protocol: string): KubeService | undefined;
  /** The ready endpoints of a Service (every slice, every port). */
  endpointsOf(cluster: TraceCluster, service: KubeService): readonly KubeEndpoint[];
  /** The network whose subnet ranges hold the address. */
  networkOf(ip: string): { network: TraceNetwork; range: string } | undefined;
  /**
   * A value computed once per inputs object (inputs are immutable): firewall verdicts and backend health repeat
   * across the paths of a test and across tests of one generation. Bounded: cleared past MEMO_LIMIT entries.
   */
  memo<T>(key: string, make: () => T): T;
}

const MEMO_LIMIT = 50_000;

const indexes = new WeakMap<TraceInputs, TraceIndex>();

/** The last path segment of a resource reference. */
export function resourceName(reference: string): string {
  return reference.slice(reference.lastIndexOf('/') + 1);
}

/** A reference below `projects/`, whatever prefix (https://…/compute/v1/) it came with. */
export function relativeUri(reference: string): string {
  const at = reference.indexOf('projects/');
  return at < 0 ? reference : reference.slice(at);
}

function buildIndex(inputs: TraceInputs): TraceIndex {
  const instanceByIp = new Map<string, TraceInstance>();
  const instanceByExternalIp = new Map<string, TraceInstance>();
  const instanceByName = new Map<string, TraceInstance>();
  for (const instance of inputs.instances) {
    instanceByIp.set(instance.internalIp, instance);
    if (instance.externalIp) instanceByExternalIp.set(instance.externalIp, instance);
    instanceByName.set(instance.name, instance);
  }
  const forwardingRulesByIp = new Map<string, TraceForwardingRule[]>();
  for (const rule of inputs.forwardingRules) {
    forwardingRulesByIp.set(rule.ip, [...(forwardingRulesByIp.get(rule.ip) ?? []), rule]);
  }
  const clusterByUri = new Map(inputs.clusters.map((cluster) => [cluster.uri, cluster]));
  const networkRanges = inputs.networks.flatMap((network) =>
    network.ranges.flatMap((text) => {
      const parsed = parseCidr(text);
      return parsed.ok ? [{ network, range: parsed.cidr, text }] : [];
    }),
  );
  const services = new Map<TraceCluster, Map<string, KubeService>>();
  const endpoints = new Map<TraceCluster, Map<string, KubeEndpoint[]>>();
  const servicesOf = (cluster: TraceCluster) => {
    let byKey = services.get(cluster);
    if (!byKey) {
      byKey = new Map();
      for (const service of cluster.services) {
        const addresses = [
          service.clusterIP,
          ...(service.externalIPs ?? []),
          ...(service.loadBalancerIngress ?? []).map((ingress) => ingress.ip),
        ];
        for (const port of service.ports) {
          for (const address of addresses) {
            if (address && address !== 'None') {
              byKey.set(`${address}:${port.port}/${port.protocol ?? 'TCP'}`, service);
            }
          }
        }
      }
      services.set(cluster, byKey);
    }
    return byKey;
  };
  const endpointsByService = (cluster: TraceCluster) => {
    let byService = endpoints.get(cluster);
    if (!byService) {
      byService = new Map();
      for (const slice of cluster.endpointSlices) {
        const key = `${slice.namespace}/${slice.serviceName}`;
        byService.set(key, [
          ...(byService.get(key) ?? []),
          ...slice.endpoints.filter((endpoint) => endpoint.conditions?.ready !== false),
        ]);
      }
      endpoints.set(cluster, byService);
    }
    return byService;
  };
  const memos = new Map<string, unknown>();
  return {
    memo<T>(key: string, make: () => T): T {
      if (memos.has(key)) return memos.get(key) as T;
      const value = make();
      if (memos.size >= MEMO_LIMIT) memos.clear();
      memos.set(key, value);
      return value;
    },
    instanceByIp,
    instanceByExternalIp,
    instanceByName,
    forwardingRulesByIp,
    clusterByUri,
    networkRanges,
    pod(ip) {
      for (const cluster of inputs.clusters) {
        const key = cluster.policies.podKeysByIp[ip];
        const pod = key === undefined ? undefined : cluster.policies.pods[key];
        if (pod) return { cluster, pod };
      }
      return undefined;
    },
    serviceAt(cluster, ip, port, protocol) {
      return servicesOf(cluster).get(`${ip}:${port}/${protocol}`);
    },
    endpointsOf(cluster, service) {
      return endpointsByService(cluster).get(`${service.namespace}/${service.name}`) ?? [];
    },
    networkOf(ip) {
      const address = parseIpv4(ip);
      if (address === null) return undefined;
      const hit = networkRanges.find((entry) => cidrHasAddress(entry.range, address));
      return hit && { network: hit.network, range: hit.text };
    },
  };
}

export function traceIndex(inputs: TraceInputs): TraceIndex {
  let index = indexes.get(inputs);
  if (!index) {
    index = buildIndex(inputs);
    indexes.set(inputs, index);
  }
  return index;
}
