import { describe, expect, it } from 'vitest';
import { kubeDnsDeployment, kubeDnsReplicas, kubeDnsService, kubeDnsServiceIp } from './cluster-dns';
import { selects } from '../controllers/endpoint-slices';

describe('kube-system/kube-dns', () => {
  it.each([
    ['10.8.0.0/20', '10.8.0.10'],
    ['34.118.224.0/20', '34.118.224.10'],
    ['10.0.16.0/28', '10.0.16.10'],
    ['10.0.16.8/29', undefined],
  ])('sits at .10 of the services range %s', (range, ip) => {
    expect(kubeDnsServiceIp(range)).toBe(ip);
  });

  it.each([
    [0, 1],
    [1, 1],
    [2, 2],
    [3, 2],
    [16, 2],
    [32, 2],
    [33, 3],
    [100, 7],
  ])('runs as kube-dns-autoscaler asks for %i nodes: %i replicas', (nodes, replicas) => {
    expect(kubeDnsReplicas(nodes)).toBe(replicas);
  });

  it('is the Service GKE makes: labels, selector, dns and dns-tcp on 53', () => {
    const service = kubeDnsService('10.8.0.10');
    expect(service.metadata).toEqual({
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: {
        'addonmanager.kubernetes.io/mode': 'Reconcile',
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': 'KubeDNS',
      },
    });
    expect(service['spec']).toMatchObject({
      clusterIP: '10.8.0.10',
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
      type: 'ClusterIP',
    });
    expect(kubeDnsService(undefined)['spec']).not.toHaveProperty('clusterIP');
  });

  it('is a Deployment whose pods the Service selects and which serve 53 in dnsmasq', () => {
    const deployment = kubeDnsDeployment(2);
    const spec = deployment['spec'] as {
      replicas: number;
      selector: { matchLabels: Record<string, string> };
      template: {
        metadata: { labels: Record<string, string> };
        spec: { containers: { name: string; ports: { containerPort: number }[] }[] };
      };
    };
    expect(spec.replicas).toBe(2);
    expect(spec.selector.matchLabels).toEqual({ 'k8s-app': 'kube-dns' });
    const selector = (kubeDnsService('10.8.0.10')['spec'] as { selector: Record<string, string> }).selector;
    expect(selects(selector, spec.template.metadata.labels)).toBe(true);
    expect(spec.template.spec.containers.map((c) => c.name)).toEqual(['kubedns', 'dnsmasq', 'sidecar']);
    const dnsmasq = spec.template.spec.containers.find((c) => c.name === 'dnsmasq');
    expect(dnsmasq?.ports.map((p) => p.containerPort)).toEqual([53, 53]);
  });
});
