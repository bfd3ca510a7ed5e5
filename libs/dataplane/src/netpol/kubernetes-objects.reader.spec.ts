import { describe, expect, it } from 'vitest';
import { readKubernetesObjects, readNetworkPolicy } from './kubernetes-objects.reader';

const template = (labels: Record<string, string>) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { containerport: 9 }] }] },
});

describe('readKubernetesObjects', () => {
  it('turns each workload into one representative pod of its template', () => {
    const { cluster } = readKubernetesObjects([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { replicas: 3, template: template({ app: 'web' }) },
      },
      {
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: 'ops' },
        spec: { template: template({ app: 'agent' }) },
      },
      {
        kind: 'CronJob',
        metadata: { name: 'nightly', namespace: 'ops' },
        spec: { jobTemplate: { spec: { template: template({ job: 'nightly' }) } } },
      },
    ]);
    expect(cluster.pods).toEqual([
      {
        namespace: 'default',
        name: 'web-1',
        labels: { app: 'web' },
        // A port without containerPort (misspelt key) is dropped.
        containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080, protocol: undefined }] }],
        owner: { kind: 'Deployment', name: 'web' },
      },
      expect.objectContaining({
        namespace: 'ops',
        name: 'agent-1',
        owner: { kind: 'DaemonSet', name: 'agent' },
      }),
      expect.objectContaining({
        name: 'nightly-1',
        labels: { job: 'nightly' },
        owner: { kind: 'CronJob', name: 'nightly' },
      }),
    ]);
  });

  it('reads pods with their controller, IP and node; lists give their kind to items', () => {
    const { cluster } = readKubernetesObjects([
      {
        kind: 'PodList',
        items: [
          {
            metadata: {
              name: 'p1',
              namespace: 'kube-system',
              labels: { tier: 'frontend', 'pod-template-generation': 1 },
              ownerReferences: [
                { kind: 'ReplicaSet', name: 'not-controller' },
                { kind: 'DaemonSet', name: 'calico-node', controller: true },
              ],
            },
            spec: { nodeName: 'n1', containers: [{ ports: [{ containerPort: 53, protocol: 'UDP' }] }] },
            status: { podIPs: [{ ip: '172.30.0.4' }] },
          },
          {
            metadata: { name: 'static', ownerReferences: [{ kind: 'Node', name: 'n1', controller: true }] },
            status: { podIP: '10.0.0.9' },
          },
        ],
      },
    ]);
    expect(cluster.pods[0]).toEqual({
      namespace: 'kube-system',
      name: 'p1',
      labels: { tier: 'frontend', 'pod-template-generation': '1' },
      ip: '172.30.0.4',
      containers: [{ name: undefined, ports: [{ name: undefined, containerPort: 53, protocol: 'UDP' }] }],
      owner: { kind: 'DaemonSet', name: 'calico-node' },
      nodeName: 'n1',
    });
    expect(cluster.pods[1]).toMatchObject({
      namespace: 'default',
      name: 'static',
      ip: '10.0.0.9',
      owner: undefined,
    });
  });

  it('reads namespaces and reports kinds it ignores', () => {
    const reading = readKubernetesObjects([
      {
        kind: 'NamespaceList',
        items: [{ metadata: { name: 'a', labels: { env: 'prod' } } }, { metadata: { name: 'b' } }],
      },
      { kind: 'Service', metadata: { name: 's' } },
      null,
      'not an object',
    ]);
    expect(reading.cluster.namespaces).toEqual([
      { name: 'a', labels: { env: 'prod' } },
      { name: 'b', labels: {} },
    ]);
    expect(reading.ignoredKinds).toEqual(['Service']);
  });
});

describe('readNetworkPolicy', () => {
  it('keeps the Kubernetes shape, numeric and named ports alike', () => {
    expect(
      readNetworkPolicy({
        kind: 'NetworkPolicy',
        metadata: { name: 'p', creationTimestamp: null },
        spec: {
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }, { namespaceSelector: {} }],
              ports: [
                { port: 'dns', protocol: 'UDP' },
                { port: 1, endPort: 65535 },
              ],
            },
          ],
        },
        status: {},
      }),
    ).toEqual({
      apiVersion: undefined,
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: undefined },
      spec: {
        podSelector: { matchLabels: undefined, matchExpressions: undefined },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                podSelector: undefined,
                namespaceSelector: undefined,
                ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] },
              },
              {
                podSelector: undefined,
                namespaceSelector: { matchLabels: undefined, matchExpressions: undefined },
                ipBlock: undefined,
              },
            ],
            ports: [
              { protocol: 'UDP', port: 'dns', endPort: undefined },
              { protocol: undefined, port: 1, endPort: 65535 },
            ],
          },
        ],
        egress: undefined,
      },
    });
  });
});
