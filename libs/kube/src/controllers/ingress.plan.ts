import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/kube-object';
import { field, isPlainObject, listField, stringField } from '../api/kube-object';

type Wire = Record<string, unknown>;

/** Where Google's L7 health checks come from (ingress-gce). */
export const L7_HEALTH_CHECK_RANGES = ['130.211.0.0/22', '35.191.0.0/16'];
export const DEFAULT_BACKEND = { namespace: 'kube-system', name: 'default-http-backend', port: 80 } as const;

export interface ClusterForIngress {
  project: string;
  /** 16 hex characters naming the cluster in GKE's resource names */
  clusterId: string;
  network: string;
  nodeTag: string;
  zones: string[];
}

export interface IngressBackendPlan {
  /** `namespace/service:port` */
  key: string;
  name: string;
  nodePort: number;
  healthCheck: Wire;
  backendService: Wire;
}

export type IngressPlan =
  | { ok: false; reason: string }
  | {
      ok: true;
      names: { forwardingRule: string; targetProxy: string; urlMap: string };
      backends: IngressBackendPlan[];
      urlMap: Wire;
      targetProxy: Wire;
      forwardingRule(address: string | undefined): Wire;
      firewall: Wire;
    };

function hash8(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** ingress-gce's v2 names: `k8s2-<kind>-<cluster 8>-<namespace 8>-<name 8>-<hash 8>`. */
export function ingressResourceNames(clusterId: string, namespace: string, name: string) {
  const suffix = `${clusterId.slice(0, 8)}-${namespace.slice(0, 8)}-${name.slice(0, 8)}-${hash8(`${namespace}/${name}`)}`;
  return {
    forwardingRule: `k8s2-fr-${suffix}`,
    targetProxy: `k8s2-tp-${suffix}`,
    urlMap: `k8s2-um-${suffix}`,
  };
}

/** A backend service per Service port: `k8s1-<cluster 8>-<namespace>-<service>-<port>-<hash 8>`, at most 63. */
export function backendName(
  clusterId: string,
  namespace: string,
  service: string,
  port: number | string,
): string {
  const head = `k8s1-${clusterId.slice(0, 8)}-${namespace}-${service}-${port}`.slice(0, 54);
  return `${head}-${hash8(`${clusterId}/${namespace}/${service}/${port}`)}`;
}

/** An Ingress path as a URL map path: Prefix `/foo` matches `/foo` and below; `/` is `/*`. */
export function urlMapPaths(path: string | undefined, pathType: string | undefined): string[] {
  const p = path && path !== '' ? path : '/';
  if (pathType === 'Exact') return [p];
  if (pathType === 'ImplementationSpecific') return [p];
  if (p === '/') return ['/*'];
  const trimmed = p.replace(/\/+$/, '');
  return [trimmed, `${trimmed}/*`];
}

/** The BackendConfig name a Service's annotation gives for a port (`{"ports": {...}, "default": ...}`). */
export function backendConfigName(
  service: KubeObject,
  port: { name?: string; number: number },
): string | undefined {
  const annotations = service.metadata.annotations ?? {};
  const raw =
    annotations['cloud.google.com/backend-config'] ?? annotations['beta.cloud.google.com/backend-config'];
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { ports?: Record<string, string>; default?: string };
    return (
      (port.name ? parsed.ports?.[port.name] : undefined) ??
      parsed.ports?.[String(port.number)] ??
      parsed.default
    );
  } catch {
    return undefined;
  }
}

interface BackendRef {
  namespace: string;
  service: string;
  port: { name?: string; number?: number };
}

function refOf(backend: unknown, namespace: string): BackendRef | undefined {
  const service = field(backend, 'service');
  if (!isPlainObject(service)) return undefined;
  const port = field(service, 'port');
  return {
    namespace,
    service: String(service['name']),
    port: {
      ...(typeof field(port, 'name') === 'string' ? { name: String(field(port, 'name')) } : {}),
      ...(typeof field(port, 'number') === 'number' ? { number: Number(field(port, 'number')) } : {}),
    },
  };
}

/**
 * What the GKE ingress controller (ingress-gce) builds for an Ingress: a backend service and health check per
 * Service port (NodePort or LoadBalancer Services only, backed by the cluster's instance groups), a URL map with
 * a host rule per host, a target HTTP proxy, a global forwarding rule on port 80, and the L7 health-check firewall
 * rule. A BackendConfig named by the Service's annotation attaches its Cloud Armor policy and IAP settings.
 */
export function planIngress(
  ingress: KubeObject,
  services: ReadonlyMap<string, KubeObject>,
  backendConfigs: ReadonlyMap<string, KubeObject>,
  cluster: ClusterForIngress,
): IngressPlan {
  const namespace = String(ingress.metadata.namespace);
  const names = ingressResourceNames(cluster.clusterId, namespace, String(ingress.metadata.name));
  const link = (path: string) => `projects/${cluster.project}/${path}`;
  const backends = new Map<string, IngressBackendPlan>();

  const resolve = (ref: BackendRef): IngressBackendPlan | string => {
    const service = services.get(`${ref.namespace}/${ref.service}`);
    if (!service) return `service "${ref.namespace}/${ref.service}" not found`;
    const type = String(field(service, 'spec', 'type') ?? 'ClusterIP');
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      return `service "${ref.namespace}/${ref.service}" is type "${type}", expected "NodePort" or "LoadBalancer"`;
    }
    const port = listField(service, 'spec', 'ports')
      .filter(isPlainObject)
      .find((p) =>
        ref.port.name !== undefined ? p['name'] === ref.port.name : p['port'] === ref.port.number,
      );
    if (!port) {
      return `could not find port "${ref.port.name ?? ref.port.number}" in service "${ref.namespace}/${ref.service}"`;
    }
    const nodePort = Number(port['nodePort']);
    const key = `${ref.namespace}/${ref.service}:${String(port['port'])}`;
    const existing = backends.get(key);
    if (existing) return existing;
    const name = backendName(cluster.clusterId, ref.namespace, ref.service, Number(port['port']));
    const description = JSON.stringify({
      'kubernetes.io/service-name': `${ref.namespace}/${ref.service}`,
      'kubernetes.io/service-port': String(port['port']),
    });
    const configName = backendConfigName(service, {
      name: port['name'] as string | undefined,
      number: Number(port['port']),
    });
    const config = configName ? backendConfigs.get(`${ref.namespace}/${configName}`) : undefined;
    if (configName && !config) return `BackendConfig "${ref.namespace}/${configName}" not found`;
    const policy = stringField(config, 'spec', 'securityPolicy', 'name');
    const iap = field(config, 'spec', 'iap');
    const plan: IngressBackendPlan = {
      key,
      name,
      nodePort,
      healthCheck: {
        name,
        description,
        type: 'HTTP',
        httpHealthCheck: { port: nodePort, requestPath: '/' },
        checkIntervalSec: 15,
        timeoutSec: 15,
        healthyThreshold: 1,
        unhealthyThreshold: 2,
      },
      backendService: {
        name,
        description,
        protocol: 'HTTP',
        portName: `port${nodePort}`,
        loadBalancingScheme: 'EXTERNAL',
        timeoutSec: Number(field(config, 'spec', 'timeoutSec') ?? 30),
        healthChecks: [link(`global/healthChecks/${name}`)],
        backends: cluster.zones.map((zone) => ({
          group: link(`zones/${zone}/instanceGroups/k8s-ig--${cluster.clusterId}`),
          balancingMode: 'RATE',
          maxRatePerInstance: 1,
          capacityScaler: 1,
        })),
        ...(policy ? { securityPolicy: link(`global/securityPolicies/${policy}`) } : {}),
        ...(isPlainObject(iap) ? { iap: { enabled: iap['enabled'] === true } } : {}),
      },
    };
    backends.set(key, plan);
    return plan;
  };

  const defaultRef = refOf(field(ingress, 'spec', 'defaultBackend'), namespace) ?? {
    namespace: DEFAULT_BACKEND.namespace,
    service: DEFAULT_BACKEND.name,
    port: { number: DEFAULT_BACKEND.port },
  };
  const defaultBackend = resolve(defaultRef);
  if (typeof defaultBackend === 'string') return { ok: false, reason: defaultBackend };
  const serviceLink = (plan: IngressBackendPlan) => link(`global/backendServices/${plan.name}`);

  const hostRules: Wire[] = [];
  const pathMatchers: Wire[] = [];
  for (const rule of listField(ingress, 'spec', 'rules').filter(isPlainObject)) {
    const host = typeof rule['host'] === 'string' && rule['host'] !== '' ? rule['host'] : '*';
    const pathRules: Wire[] = [];
    for (const path of listField(rule, 'http', 'paths').filter(isPlainObject)) {
      const ref = refOf(path['backend'], namespace);
      if (!ref) continue;
      const backend = resolve(ref);
      if (typeof backend === 'string') return { ok: false, reason: backend };
      pathRules.push({
        paths: urlMapPaths(path['path'] as string | undefined, path['pathType'] as string | undefined),
        service: serviceLink(backend),
      });
    }
    const matcher = `host${hash8(host)}`;
    hostRules.push({ hosts: [host], pathMatcher: matcher });
    pathMatchers.push({ name: matcher, defaultService: serviceLink(defaultBackend), pathRules });
  }
  const staticIp = ingress.metadata.annotations?.['kubernetes.io/ingress.global-static-ip-name'];
  return {
    ok: true,
    names,
    backends: [...backends.values()],
    urlMap: {
      name: names.urlMap,
      defaultService: serviceLink(defaultBackend),
      ...(hostRules.length > 0 ? { hostRules, pathMatchers } : {}),
    },
    targetProxy: { name: names.targetProxy, urlMap: link(`global/urlMaps/${names.urlMap}`) },
    forwardingRule: (address) => ({
      name: names.forwardingRule,
      description: JSON.stringify({
        'kubernetes.io/ingress-name': `${namespace}/${String(ingress.metadata.name)}`,
      }),
      IPProtocol: 'TCP',
      portRange: '80-80',
      target: link(`global/targetHttpProxies/${names.targetProxy}`),
      loadBalancingScheme: 'EXTERNAL',
      ...(staticIp
        ? { IPAddress: link(`global/addresses/${staticIp}`) }
        : address
          ? { IPAddress: address }
          : {}),
    }),
    firewall: {
      name: `k8s-fw-l7--${cluster.clusterId}`,
      description: 'GCE L7 firewall rule',
      network: link(`global/networks/${cluster.network}`),
      direction: 'INGRESS',
      priority: 1000,
      sourceRanges: L7_HEALTH_CHECK_RANGES,
      targetTags: [cluster.nodeTag],
      allowed: [{ IPProtocol: 'tcp', ports: ['30000-32767'] }],
    },
  };
}
