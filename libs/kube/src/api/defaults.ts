import { isPlainObject, type KubeObject } from './kube-object';

type Obj = Record<string, unknown>;

function obj(parent: Obj, key: string): Obj {
  if (!isPlainObject(parent[key])) parent[key] = {};
  return parent[key] as Obj;
}

function setDefault(target: Obj, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

function imagePullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  const lastPart = image.split('/').pop() ?? '';
  const tag = lastPart.includes('@')
    ? 'digest'
    : lastPart.includes(':')
      ? lastPart.split(':').pop()
      : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(container: Obj): void {
  setDefault(container, 'imagePullPolicy', imagePullPolicy(container['image']));
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'resources', {});
  if (Array.isArray(container['ports'])) {
    for (const port of container['ports']) if (isPlainObject(port)) setDefault(port, 'protocol', 'TCP');
  }
}

/** The defaults the API server fills into a PodSpec (also a Deployment's template). */
export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const key of ['containers', 'initContainers']) {
    const containers = spec[key];
    if (Array.isArray(containers))
      for (const container of containers) if (isPlainObject(container)) defaultContainer(container);
  }
}

const DEFAULTERS: Record<string, (object: KubeObject) => void> = {
  namespaces: (ns) => {
    ns.metadata.labels = {
      ...(ns.metadata.labels ?? {}),
      'kubernetes.io/metadata.name': ns.metadata.name ?? '',
    };
    setDefault(obj(ns, 'spec'), 'finalizers', ['kubernetes']);
    setDefault(obj(ns, 'status'), 'phase', 'Active');
  },
  pods: (pod) => {
    const spec = obj(pod, 'spec');
    defaultPodSpec(spec);
    setDefault(spec, 'enableServiceLinks', true);
    setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    setDefault(spec, 'priority', 0);
    setDefault(spec, 'serviceAccountName', 'default');
    setDefault(spec, 'serviceAccount', spec['serviceAccountName']);
    const status = obj(pod, 'status');
    setDefault(status, 'phase', 'Pending');
    setDefault(status, 'qosClass', 'BestEffort');
  },
  deployments: (deployment) => {
    const spec = obj(deployment, 'spec');
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    const strategy = obj(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy['type'] === 'RollingUpdate') {
      const rolling = obj(strategy, 'rollingUpdate');
      setDefault(rolling, 'maxUnavailable', '25%');
      setDefault(rolling, 'maxSurge', '25%');
    }
    const template = obj(spec, 'template');
    obj(template, 'metadata');
    defaultPodSpec(obj(template, 'spec'));
    obj(deployment, 'status');
  },
  replicasets: (replicaSet) => {
    const spec = obj(replicaSet, 'spec');
    setDefault(spec, 'replicas', 1);
    const template = obj(spec, 'template');
    obj(template, 'metadata');
    defaultPodSpec(obj(template, 'spec'));
    obj(replicaSet, 'status');
  },
  services: (service) => {
    const spec = obj(service, 'spec');
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    if (spec['type'] !== 'ExternalName') {
      setDefault(spec, 'internalTrafficPolicy', 'Cluster');
      setDefault(spec, 'ipFamilies', ['IPv4']);
      setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    }
    if (spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer')
      setDefault(spec, 'externalTrafficPolicy', 'Cluster');
    if (spec['type'] === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
    if (Array.isArray(spec['ports'])) {
      for (const port of spec['ports']) {
        if (!isPlainObject(port)) continue;
        setDefault(port, 'protocol', 'TCP');
        setDefault(port, 'targetPort', port['port']);
      }
    }
    const status = obj(service, 'status');
    setDefault(status, 'loadBalancer', {});
  },
  networkpolicies: (policy) => {
    const spec = obj(policy, 'spec');
    setDefault(spec, 'podSelector', {});
    if (!Array.isArray(spec['policyTypes']) || spec['policyTypes'].length === 0) {
      spec['policyTypes'] =
        Array.isArray(spec['egress']) && spec['egress'].length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
    }
    for (const direction of ['ingress', 'egress']) {
      const rules = spec[direction];
      if (!Array.isArray(rules)) continue;
      for (const rule of rules) {
        if (!isPlainObject(rule) || !Array.isArray(rule['ports'])) continue;
        for (const port of rule['ports']) if (isPlainObject(port)) setDefault(port, 'protocol', 'TCP');
      }
    }
  },
  endpointslices: (slice) => {
    if (Array.isArray(slice['ports']))
      for (const port of slice['ports']) if (isPlainObject(port)) setDefault(port, 'protocol', 'TCP');
  },
  ingresses: (ingress) => {
    obj(ingress, 'spec');
    setDefault(obj(ingress, 'status'), 'loadBalancer', {});
  },
};

/** Fills the server-side defaults of the kind in place (what a GET returns that the client did not send). */
export function applyDefaults(resource: string, object: KubeObject): void {
  DEFAULTERS[resource]?.(object);
}
