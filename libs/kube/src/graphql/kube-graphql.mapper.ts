import type { ClusterRecord } from '@gke-emulator/container';
import {
  field,
  isPlainObject,
  type KubeObject,
  listField,
  numberField,
  stringField,
} from '../api/kube-object';
import type { LabelSelectorObject } from '../api/selectors';
import { podReady } from '../controllers/endpoint-slices';
import { isInternal, loadBalancerName } from '../controllers/load-balancer.plan';
import { type IngressBackendModel, type IngressModel, type IngressRuleModel } from './ingress.models';
import type {
  KubeObjectModel,
  LabelModel,
  LabelSelectorModel,
  NamespaceModel,
  PodModel,
} from './kube.models';
import type { NetworkPolicyModel } from './network-policy.models';
import type {
  LoadBalancerForwardingRuleModel,
  ServiceEndpointModel,
  ServiceLoadBalancerModel,
  ServiceModel,
} from './service.models';

type Json = Record<string, unknown>;

export function toLabels(labels: Record<string, string> | undefined): LabelModel[] {
  return Object.entries(labels ?? {}).map(([key, value]) => ({ key, value }));
}

/** The name at the end of a link (`.../targetPools/a1b2` → `a1b2`). */
const lastSegment = (link: unknown) => (typeof link === 'string' ? link.split('/').pop() : undefined);

function objectModel(cluster: ClusterRecord, object: KubeObject): KubeObjectModel {
  return {
    namespace: object.metadata.namespace ?? '',
    name: String(object.metadata.name),
    uid: String(object.metadata.uid),
    labels: toLabels(object.metadata.labels),
    creationTimestamp: String(object.metadata.creationTimestamp),
    object,
    cluster,
  };
}

const ingressIps = (object: KubeObject) =>
  listField(object, 'status', 'loadBalancer', 'ingress')
    .map((entry) => stringField(entry, 'ip'))
    .filter((ip): ip is string => ip !== undefined);

export function toNamespaceModel(object: KubeObject): NamespaceModel {
  return {
    name: String(object.metadata.name),
    phase: stringField(object, 'status', 'phase') ?? 'Active',
    labels: toLabels(object.metadata.labels),
    creationTimestamp: String(object.metadata.creationTimestamp),
  };
}

export function toPodModel(cluster: ClusterRecord, object: KubeObject): PodModel {
  const owner = object.metadata.ownerReferences?.find((reference) => reference.controller);
  return {
    ...objectModel(cluster, object),
    nodeName: stringField(object, 'spec', 'nodeName'),
    podIP: stringField(object, 'status', 'podIP'),
    hostIP: stringField(object, 'status', 'hostIP'),
    phase: stringField(object, 'status', 'phase') ?? 'Pending',
    ready: podReady(object),
    containers: listField(object, 'spec', 'containers').map((container) => ({
      name: String(field(container, 'name')),
      image: String(field(container, 'image') ?? ''),
      ports: listField(container, 'ports')
        .map((port) => numberField(port, 'containerPort'))
        .filter((port): port is number => port !== undefined),
    })),
    controlledBy: owner ? `${owner.kind}/${owner.name}` : undefined,
  };
}

export function toServiceModel(cluster: ClusterRecord, object: KubeObject): ServiceModel {
  const ports = listField(object, 'spec', 'ports').filter(isPlainObject);
  return {
    ...objectModel(cluster, object),
    type: stringField(object, 'spec', 'type') ?? 'ClusterIP',
    clusterIP: stringField(object, 'spec', 'clusterIP'),
    ports: ports.map((port) => ({
      name: stringField(port, 'name'),
      protocol: stringField(port, 'protocol') ?? 'TCP',
      port: Number(port['port']),
      targetPort: String(port['targetPort'] ?? port['port']),
      nodePort: numberField(port, 'nodePort'),
    })),
    selector: toLabels(field(object, 'spec', 'selector') as Record<string, string> | undefined),
    nodePorts: ports.map((port) => numberField(port, 'nodePort')).filter((port): port is number => !!port),
    externalTrafficPolicy: stringField(object, 'spec', 'externalTrafficPolicy'),
    sessionAffinity: stringField(object, 'spec', 'sessionAffinity'),
    healthCheckNodePort: numberField(object, 'spec', 'healthCheckNodePort'),
    loadBalancerIngress: ingressIps(object),
  };
}

/** The endpoints of one EndpointSlice, each with the slice's ports. */
export function toServiceEndpointModels(cluster: ClusterRecord, slice: KubeObject): ServiceEndpointModel[] {
  const ports = listField(slice, 'ports').map((port) => ({
    name: stringField(port, 'name') || undefined,
    port: Number(field(port, 'port')),
    protocol: stringField(port, 'protocol') ?? 'TCP',
  }));
  return listField(slice, 'endpoints').map((endpoint) => {
    const addresses = listField(endpoint, 'addresses').map(String);
    return {
      endpointSlice: String(slice.metadata.name),
      address: addresses[0] ?? '',
      addresses,
      ready: field(endpoint, 'conditions', 'ready') !== false,
      serving: field(endpoint, 'conditions', 'serving') !== false,
      terminating: field(endpoint, 'conditions', 'terminating') === true,
      nodeName: stringField(endpoint, 'nodeName'),
      zone: stringField(endpoint, 'zone'),
      podName:
        stringField(endpoint, 'targetRef', 'kind') === 'Pod'
          ? stringField(endpoint, 'targetRef', 'name')
          : undefined,
      ports,
      namespace: slice.metadata.namespace ?? '',
      cluster,
    };
  });
}

/** The region of a cluster's load balancers: its location, less the zone letter. */
export const regionOfCluster = (cluster: ClusterRecord) => cluster.location.replace(/-[a-z]$/, '');

export function toServiceLoadBalancerModel(
  cluster: ClusterRecord,
  service: KubeObject,
): ServiceLoadBalancerModel {
  const internal = isInternal(service);
  return {
    name: loadBalancerName(String(service.metadata.uid)),
    scheme: internal ? 'INTERNAL' : 'EXTERNAL',
    region: regionOfCluster(cluster),
    ingressIp: ingressIps(service)[0],
    // An external one on a backend service (RBS) is recognised by the resource annotation the NetLB controller writes.
    backendCollection:
      internal || service.metadata.annotations?.['service.kubernetes.io/backend-service']
        ? 'backendServices'
        : 'targetPools',
    project: cluster.project,
  };
}

export function toForwardingRuleModel(region: string, wire: Json): LoadBalancerForwardingRuleModel {
  return {
    name: String(wire['name']),
    region,
    ipAddress: String(wire['IPAddress'] ?? ''),
    ipProtocol: String(wire['IPProtocol'] ?? 'TCP'),
    loadBalancingScheme: String(wire['loadBalancingScheme'] ?? 'EXTERNAL'),
    portRange: wire['portRange'] as string | undefined,
    ports: (wire['ports'] as string[] | undefined) ?? [],
    target: lastSegment(wire['target']),
    backendService: lastSegment(wire['backendService']),
    selfLink: String(wire['selfLink']),
  };
}

function toBackend(
  cluster: ClusterRecord,
  namespace: string,
  backend: unknown,
): IngressBackendModel | undefined {
  const serviceName = stringField(backend, 'service', 'name');
  if (!serviceName) return undefined;
  return {
    serviceName,
    servicePortNumber: numberField(backend, 'service', 'port', 'number'),
    servicePortName: stringField(backend, 'service', 'port', 'name'),
    namespace,
    cluster,
  };
}

export function toIngressModel(cluster: ClusterRecord, object: KubeObject): IngressModel {
  const namespace = object.metadata.namespace ?? '';
  const rules = listField(object, 'spec', 'rules').map((rule): IngressRuleModel => ({
    host: stringField(rule, 'host'),
    paths: listField(rule, 'http', 'paths').flatMap((path) => {
      const backend = toBackend(cluster, namespace, field(path, 'backend'));
      if (!backend) return [];
      return [
        {
          path: stringField(path, 'path'),
          pathType: stringField(path, 'pathType') ?? 'ImplementationSpecific',
          backend,
        },
      ];
    }),
  }));
  const ips = ingressIps(object);
  return {
    ...objectModel(cluster, object),
    className:
      stringField(object, 'spec', 'ingressClassName') ??
      object.metadata.annotations?.['kubernetes.io/ingress.class'],
    rules,
    defaultBackend: toBackend(cluster, namespace, field(object, 'spec', 'defaultBackend')),
    tlsHosts: listField(object, 'spec', 'tls').flatMap((tls) => listField(tls, 'hosts').map(String)),
    ip: ips[0],
    loadBalancerIngress: ips,
  };
}

export function toLabelSelectorModel(selector: LabelSelectorObject | undefined): LabelSelectorModel {
  return {
    matchLabels: toLabels(selector?.matchLabels),
    matchExpressions: (selector?.matchExpressions ?? []).map((expression) => ({
      key: expression.key,
      operator: expression.operator,
      values: expression.values ?? [],
    })),
  };
}

export function toNetworkPolicyModel(cluster: ClusterRecord, object: KubeObject): NetworkPolicyModel {
  const ingress = listField(object, 'spec', 'ingress');
  const egress = listField(object, 'spec', 'egress');
  const given = listField(object, 'spec', 'policyTypes').map(String);
  // The API server's default: Ingress always, Egress when there are egress rules.
  const policyTypes = given.length > 0 ? given : ['Ingress', ...(egress.length > 0 ? ['Egress'] : [])];
  return {
    ...objectModel(cluster, object),
    podSelector: toLabelSelectorModel(
      field(object, 'spec', 'podSelector') as LabelSelectorObject | undefined,
    ),
    policyTypes,
    ingress,
    egress,
  };
}
