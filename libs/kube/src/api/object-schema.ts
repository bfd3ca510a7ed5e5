/**
 * The shape of the kinds served, as much as strict field validation, strategic merge patch and server-side apply
 * need: every known field with its JSON type, and for lists their merge key (`patchMergeKey`). Parts the emulator
 * does not interpret (probes, security contexts, volume sources) are `any`: accepted as they come.
 */
export type FieldSchema =
  | { type: 'string' | 'integer' | 'number' | 'boolean' | 'intOrString' | 'quantity' | 'any' | 'time' }
  | { type: 'map'; values: FieldSchema }
  | { type: 'object'; name: string; fields: Record<string, FieldSchema>; retainKeys?: boolean }
  | { type: 'list'; items: FieldSchema; mergeKey?: string; setOfScalars?: boolean };

export type ObjectSchema = Extract<FieldSchema, { type: 'object' }>;

const string: FieldSchema = { type: 'string' };
const integer: FieldSchema = { type: 'integer' };
const boolean: FieldSchema = { type: 'boolean' };
const intOrString: FieldSchema = { type: 'intOrString' };
const quantity: FieldSchema = { type: 'quantity' };
const any: FieldSchema = { type: 'any' };
const time: FieldSchema = { type: 'time' };
const stringMap: FieldSchema = { type: 'map', values: string };
const strings: FieldSchema = { type: 'list', items: string };

function object(name: string, fields: Record<string, FieldSchema>, retainKeys = false): ObjectSchema {
  return { type: 'object', name, fields, ...(retainKeys ? { retainKeys } : {}) };
}
function list(items: FieldSchema, mergeKey?: string): FieldSchema {
  return { type: 'list', items, ...(mergeKey ? { mergeKey } : {}) };
}

const ownerReference = object('OwnerReference', {
  apiVersion: string,
  kind: string,
  name: string,
  uid: string,
  controller: boolean,
  blockOwnerDeletion: boolean,
});

const managedFieldsEntry = object('ManagedFieldsEntry', {
  manager: string,
  operation: string,
  apiVersion: string,
  time,
  fieldsType: string,
  fieldsV1: any,
  subresource: string,
});

export const objectMeta = object('ObjectMeta', {
  name: string,
  generateName: string,
  namespace: string,
  selfLink: string,
  uid: string,
  resourceVersion: string,
  generation: integer,
  creationTimestamp: time,
  deletionTimestamp: time,
  deletionGracePeriodSeconds: integer,
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: list(ownerReference, 'uid'),
  finalizers: { type: 'list', items: string, setOfScalars: true },
  managedFields: list(managedFieldsEntry),
});

const labelSelector = object('LabelSelector', {
  matchLabels: stringMap,
  matchExpressions: list(
    object('LabelSelectorRequirement', { key: string, operator: string, values: strings }),
  ),
});

const containerPort = object('ContainerPort', {
  name: string,
  hostPort: integer,
  containerPort: integer,
  protocol: string,
  hostIP: string,
});

const envVar = object('EnvVar', { name: string, value: string, valueFrom: any });

const resourceRequirements = object('ResourceRequirements', {
  limits: { type: 'map', values: quantity },
  requests: { type: 'map', values: quantity },
  claims: list(any, 'name'),
});

const volumeMount = object('VolumeMount', {
  name: string,
  readOnly: boolean,
  recursiveReadOnly: string,
  mountPath: string,
  subPath: string,
  mountPropagation: string,
  subPathExpr: string,
});

const container = object('Container', {
  name: string,
  image: string,
  command: strings,
  args: strings,
  workingDir: string,
  ports: list(containerPort, 'containerPort'),
  envFrom: list(any),
  env: list(envVar, 'name'),
  resources: resourceRequirements,
  resizePolicy: list(any),
  restartPolicy: string,
  volumeMounts: list(volumeMount, 'mountPath'),
  volumeDevices: list(any, 'devicePath'),
  livenessProbe: any,
  readinessProbe: any,
  startupProbe: any,
  lifecycle: any,
  terminationMessagePath: string,
  terminationMessagePolicy: string,
  imagePullPolicy: string,
  securityContext: any,
  stdin: boolean,
  stdinOnce: boolean,
  tty: boolean,
});

const volume = object('Volume', {
  name: string,
  hostPath: any,
  emptyDir: any,
  secret: any,
  configMap: any,
  persistentVolumeClaim: any,
  projected: any,
  downwardAPI: any,
  nfs: any,
  csi: any,
  ephemeral: any,
});

const toleration = object('Toleration', {
  key: string,
  operator: string,
  value: string,
  effect: string,
  tolerationSeconds: integer,
});

export const podSpec = object('PodSpec', {
  volumes: list(volume, 'name'),
  initContainers: list(container, 'name'),
  containers: list(container, 'name'),
  ephemeralContainers: list(any, 'name'),
  restartPolicy: string,
  terminationGracePeriodSeconds: integer,
  activeDeadlineSeconds: integer,
  dnsPolicy: string,
  nodeSelector: stringMap,
  serviceAccountName: string,
  serviceAccount: string,
  automountServiceAccountToken: boolean,
  nodeName: string,
  hostNetwork: boolean,
  hostPID: boolean,
  hostIPC: boolean,
  shareProcessNamespace: boolean,
  securityContext: any,
  imagePullSecrets: list(object('LocalObjectReference', { name: string }), 'name'),
  hostname: string,
  subdomain: string,
  affinity: any,
  schedulerName: string,
  tolerations: list(toleration),
  hostAliases: list(any, 'ip'),
  priorityClassName: string,
  priority: integer,
  dnsConfig: any,
  readinessGates: list(object('PodReadinessGate', { conditionType: string })),
  runtimeClassName: string,
  enableServiceLinks: boolean,
  preemptionPolicy: string,
  overhead: { type: 'map', values: quantity },
  topologySpreadConstraints: list(any, 'topologyKey'),
  setHostnameAsFQDN: boolean,
  os: object('PodOS', { name: string }),
  hostUsers: boolean,
  schedulingGates: list(object('PodSchedulingGate', { name: string }), 'name'),
  resourceClaims: list(any, 'name'),
});

const podCondition = object('PodCondition', {
  type: string,
  status: string,
  lastProbeTime: time,
  lastTransitionTime: time,
  reason: string,
  message: string,
});

const podStatus = object('PodStatus', {
  phase: string,
  conditions: list(podCondition, 'type'),
  message: string,
  reason: string,
  nominatedNodeName: string,
  hostIP: string,
  hostIPs: list(object('HostIP', { ip: string }), 'ip'),
  podIP: string,
  podIPs: list(object('PodIP', { ip: string }), 'ip'),
  startTime: time,
  initContainerStatuses: list(any),
  containerStatuses: list(any),
  ephemeralContainerStatuses: list(any),
  qosClass: string,
  resize: string,
  resourceClaimStatuses: list(any, 'name'),
});

const podTemplateSpec = object('PodTemplateSpec', { metadata: objectMeta, spec: podSpec });

function topLevel(
  name: string,
  spec: FieldSchema | undefined,
  status: FieldSchema | undefined,
  extra: Record<string, FieldSchema> = {},
): ObjectSchema {
  return object(name, {
    apiVersion: string,
    kind: string,
    metadata: objectMeta,
    ...(spec ? { spec } : {}),
    ...(status ? { status } : {}),
    ...extra,
  });
}

const servicePort = object('ServicePort', {
  name: string,
  protocol: string,
  appProtocol: string,
  port: integer,
  targetPort: intOrString,
  nodePort: integer,
});

const loadBalancerStatus = object('LoadBalancerStatus', {
  ingress: list(
    object('LoadBalancerIngress', { ip: string, hostname: string, ipMode: string, ports: list(any) }),
  ),
});

const serviceSpec = object('ServiceSpec', {
  ports: list(servicePort, 'port'),
  selector: stringMap,
  clusterIP: string,
  clusterIPs: strings,
  type: string,
  externalIPs: strings,
  sessionAffinity: string,
  loadBalancerIP: string,
  loadBalancerSourceRanges: strings,
  externalName: string,
  externalTrafficPolicy: string,
  healthCheckNodePort: integer,
  publishNotReadyAddresses: boolean,
  sessionAffinityConfig: any,
  ipFamilies: strings,
  ipFamilyPolicy: string,
  allocateLoadBalancerNodePorts: boolean,
  loadBalancerClass: string,
  internalTrafficPolicy: string,
  trafficDistribution: string,
});

const deploymentStrategy = object(
  'DeploymentStrategy',
  {
    type: string,
    rollingUpdate: object('RollingUpdateDeployment', { maxUnavailable: intOrString, maxSurge: intOrString }),
  },
  true,
);

const deploymentSpec = object('DeploymentSpec', {
  replicas: integer,
  selector: labelSelector,
  template: podTemplateSpec,
  strategy: deploymentStrategy,
  minReadySeconds: integer,
  revisionHistoryLimit: integer,
  paused: boolean,
  progressDeadlineSeconds: integer,
});

const deploymentStatus = object('DeploymentStatus', {
  observedGeneration: integer,
  replicas: integer,
  updatedReplicas: integer,
  readyReplicas: integer,
  availableReplicas: integer,
  unavailableReplicas: integer,
  terminatingReplicas: integer,
  conditions: list(
    object('DeploymentCondition', {
      type: string,
      status: string,
      lastUpdateTime: time,
      lastTransitionTime: time,
      reason: string,
      message: string,
    }),
    'type',
  ),
  collisionCount: integer,
});

const replicaSetSpec = object('ReplicaSetSpec', {
  replicas: integer,
  minReadySeconds: integer,
  selector: labelSelector,
  template: podTemplateSpec,
});

const replicaSetStatus = object('ReplicaSetStatus', {
  replicas: integer,
  fullyLabeledReplicas: integer,
  readyReplicas: integer,
  availableReplicas: integer,
  terminatingReplicas: integer,
  observedGeneration: integer,
  conditions: list(any, 'type'),
});

const networkPolicyPort = object('NetworkPolicyPort', {
  protocol: string,
  port: intOrString,
  endPort: integer,
});
const networkPolicyPeer = object('NetworkPolicyPeer', {
  podSelector: labelSelector,
  namespaceSelector: labelSelector,
  ipBlock: object('IPBlock', { cidr: string, except: strings }),
});

const networkPolicySpec = object('NetworkPolicySpec', {
  podSelector: labelSelector,
  ingress: list(
    object('NetworkPolicyIngressRule', { ports: list(networkPolicyPort), from: list(networkPolicyPeer) }),
  ),
  egress: list(
    object('NetworkPolicyEgressRule', { ports: list(networkPolicyPort), to: list(networkPolicyPeer) }),
  ),
  policyTypes: strings,
});

const ingressBackend = object('IngressBackend', {
  service: object('IngressServiceBackend', {
    name: string,
    port: object('ServiceBackendPort', { name: string, number: integer }),
  }),
  resource: any,
});

const ingressSpec = object('IngressSpec', {
  ingressClassName: string,
  defaultBackend: ingressBackend,
  tls: list(object('IngressTLS', { hosts: strings, secretName: string })),
  rules: list(
    object('IngressRule', {
      host: string,
      http: object('HTTPIngressRuleValue', {
        paths: list(object('HTTPIngressPath', { path: string, pathType: string, backend: ingressBackend })),
      }),
    }),
  ),
});

const endpoint = object('Endpoint', {
  addresses: strings,
  conditions: object('EndpointConditions', { ready: boolean, serving: boolean, terminating: boolean }),
  hostname: string,
  targetRef: any,
  nodeName: string,
  zone: string,
  hints: any,
});

export const SCHEMAS: Readonly<Record<string, ObjectSchema>> = {
  namespaces: topLevel(
    'Namespace',
    object('NamespaceSpec', { finalizers: strings }),
    object('NamespaceStatus', { phase: string, conditions: list(any, 'type') }),
  ),
  nodes: topLevel('Node', any, any),
  pods: topLevel('Pod', podSpec, podStatus),
  services: topLevel(
    'Service',
    serviceSpec,
    object('ServiceStatus', { loadBalancer: loadBalancerStatus, conditions: list(any, 'type') }),
  ),
  events: object('Event', {
    apiVersion: string,
    kind: string,
    metadata: objectMeta,
    involvedObject: any,
    reason: string,
    message: string,
    source: any,
    firstTimestamp: time,
    lastTimestamp: time,
    count: integer,
    type: string,
    eventTime: any,
    series: any,
    action: string,
    related: any,
    reportingComponent: string,
    reportingInstance: string,
  }),
  deployments: topLevel('Deployment', deploymentSpec, deploymentStatus),
  replicasets: topLevel('ReplicaSet', replicaSetSpec, replicaSetStatus),
  endpointslices: topLevel('EndpointSlice', undefined, undefined, {
    addressType: string,
    endpoints: list(endpoint),
    ports: list(
      object('EndpointPort', { name: string, protocol: string, port: integer, appProtocol: string }),
    ),
  }),
  ingresses: topLevel('Ingress', ingressSpec, object('IngressStatus', { loadBalancer: any })),
  networkpolicies: topLevel('NetworkPolicy', networkPolicySpec, undefined),
  backendconfigs: topLevel(
    'BackendConfig',
    object('BackendConfigSpec', {
      securityPolicy: object('SecurityPolicyConfig', { name: string }),
      iap: object('IAPConfig', {
        enabled: boolean,
        oauthclientCredentials: object('OAuthClientCredentials', { secretName: string }),
      }),
      timeoutSec: integer,
      connectionDraining: object('ConnectionDrainingConfig', { drainingTimeoutSec: integer }),
      sessionAffinity: any,
      healthCheck: any,
      cdn: any,
      logging: any,
      customRequestHeaders: any,
      customResponseHeaders: any,
    }),
    undefined,
  ),
};

/** The Scale subresource (autoscaling/v1). */
export const SCALE_SCHEMA: ObjectSchema = topLevel(
  'Scale',
  object('ScaleSpec', { replicas: integer }),
  object('ScaleStatus', { replicas: integer, selector: string }),
);

/** The schema of a field inside an object, following a path of keys; `undefined` when unknown or free-form. */
export function childSchema(schema: FieldSchema | undefined, key: string): FieldSchema | undefined {
  if (!schema) return undefined;
  if (schema.type === 'object') return schema.fields[key];
  if (schema.type === 'map') return schema.values;
  return undefined;
}
