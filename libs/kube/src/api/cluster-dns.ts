import { firstAddress, formatIpv4, lastAddress, parseCidrOrThrow } from '@gke-emulator/netaddr';
import type { KubeObject } from './kube-object';

/** GKE's cluster DNS: `kube-system/kube-dns`, its Service and its Deployment (kept by the addon manager). */
export const KUBE_DNS = { namespace: 'kube-system', name: 'kube-dns' } as const;

/** The labels kube-dns's Service carries on GKE. */
const SERVICE_LABELS = {
  'addonmanager.kubernetes.io/mode': 'Reconcile',
  'k8s-app': 'kube-dns',
  'kubernetes.io/cluster-service': 'true',
  'kubernetes.io/name': 'KubeDNS',
};

/** The offset of kube-dns's ClusterIP in the services range: `.10`, the address kubelet writes as `nameserver`. */
const KUBE_DNS_OFFSET = 10;

/**
 * kube-dns's ClusterIP: the services range's `.10` (what GKE passes kubelet as `--cluster-dns`), or undefined when
 * the range is too small to hold it.
 */
export function kubeDnsServiceIp(servicesRange: string): string | undefined {
  const range = parseCidrOrThrow(servicesRange);
  const address = firstAddress(range) + KUBE_DNS_OFFSET;
  return address < lastAddress(range) ? formatIpv4(address) : undefined;
}

/**
 * kube-dns's replicas as GKE's kube-dns-autoscaler sets them (linear mode: one replica per 16 nodes or 256 cores,
 * whichever asks more, and at least 2 once there are 2 nodes: `preventSinglePointFailure`). Cores are not
 * counted: with GKE's machine types, 16 nodes always reach 256 cores later than the node count asks.
 */
export function kubeDnsReplicas(nodes: number): number {
  if (nodes <= 0) return 1;
  const linear = Math.ceil(nodes / 16);
  return nodes > 1 ? Math.max(2, linear) : linear;
}

/** `kube-system/kube-dns` as GKE's addon manager creates it: DNS on 53/UDP and 53/TCP to the pods `k8s-app: kube-dns`. */
export function kubeDnsService(clusterIp: string | undefined): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: KUBE_DNS.name, namespace: KUBE_DNS.namespace, labels: { ...SERVICE_LABELS } },
    spec: {
      ...(clusterIp ? { clusterIP: clusterIp } : {}),
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
      selector: { 'k8s-app': 'kube-dns' },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
  };
}

function container(name: string, image: string, ports: [string, number, string][], args: string[]) {
  return {
    name,
    image,
    args,
    ports: ports.map(([portName, containerPort, protocol]) => ({ name: portName, containerPort, protocol })),
    resources: { requests: { cpu: name === 'kubedns' ? '100m' : '10m', memory: '20Mi' } },
  };
}

/**
 * The `kube-dns` Deployment: kubedns (the cluster's records, served on 10053), dnsmasq (the cache on 53, which the
 * Service targets) and the sidecar (metrics), in pods labelled `k8s-app: kube-dns`.
 */
export function kubeDnsDeployment(replicas: number): KubeObject {
  const labels = { 'k8s-app': 'kube-dns' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: KUBE_DNS.name,
      namespace: KUBE_DNS.namespace,
      labels: {
        'addonmanager.kubernetes.io/mode': 'Reconcile',
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
      },
    },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%', maxUnavailable: 0 } },
      template: {
        metadata: {
          labels,
          annotations: {
            'components.gke.io/component-name': 'kubedns',
            'prometheus.io/port': '10054',
            'prometheus.io/scrape': 'true',
          },
        },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'kube-dns',
          dnsPolicy: 'Default',
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
          containers: [
            container(
              'kubedns',
              'gke.gcr.io/k8s-dns-kube-dns:1.23.0-gke.9',
              [
                ['dns-local', 10053, 'UDP'],
                ['dns-tcp-local', 10053, 'TCP'],
                ['metrics', 10055, 'TCP'],
              ],
              ['--domain=cluster.local.', '--dns-port=10053', '--config-dir=/kube-dns-config', '--v=2'],
            ),
            container(
              'dnsmasq',
              'gke.gcr.io/k8s-dns-dnsmasq-nanny:1.23.0-gke.9',
              [
                ['dns', 53, 'UDP'],
                ['dns-tcp', 53, 'TCP'],
              ],
              ['-v=2', '-logtostderr', '-restartDnsmasq=true', '--', '-k', '--cache-size=1000'],
            ),
            container(
              'sidecar',
              'gke.gcr.io/k8s-dns-sidecar:1.23.0-gke.9',
              [['metrics', 10054, 'TCP']],
              [
                '--v=2',
                '--logtostderr',
                '--probe=kubedns,127.0.0.1:10053,kubernetes.default.svc.cluster.local,5,SRV',
                '--probe=dnsmasq,127.0.0.1:53,kubernetes.default.svc.cluster.local,5,SRV',
              ],
            ),
          ],
        },
      },
    },
  };
}
