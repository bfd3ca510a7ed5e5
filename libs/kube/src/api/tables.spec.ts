import { describe, expect, it } from 'vitest';
import { humanDuration } from './human-duration';
import type { KubeObject } from './kube-object';
import { renderTable } from './tables';

const now = Date.parse('2025-01-01T01:00:00Z');
const meta = (name: string) => ({
  name,
  namespace: 'default',
  creationTimestamp: '2025-01-01T00:59:30Z',
  managedFields: [],
});

describe('humanDuration', () => {
  it.each([
    [-5000, '<invalid>'],
    [-500, '0s'],
    [59_000, '59s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3600_000 + 5 * 60_000, '3h5m'],
    [30 * 3600_000, '30h'],
    [3 * 86400_000 + 3600_000, '3d1h'],
    [40 * 86400_000, '40d'],
    [3 * 365 * 86400_000, '3y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('server-side printing', () => {
  it('prints pods with the wide columns at priority 1', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('web-1'),
      spec: { nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }] },
      status: {
        phase: 'Running',
        podIP: '10.4.0.5',
        containerStatuses: [
          { ready: true, restartCount: 1 },
          { ready: false, restartCount: 2 },
        ],
      },
    };
    const table = renderTable('pods', [pod], now, { resourceVersion: '7' });
    expect(table.columnDefinitions.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    expect(table.rows[0]?.cells).toEqual([
      'web-1',
      '1/2',
      'Running',
      3,
      '30s',
      '10.4.0.5',
      'n1',
      '<none>',
      '<none>',
    ]);
    expect(table.rows[0]?.object.metadata).not.toHaveProperty('managedFields');
  });
  it('prints services with ports, node ports and selectors', () => {
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('web'),
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.8.0.10',
        selector: { b: '2', a: '1' },
        ports: [
          { port: 80, nodePort: 30080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      },
      status: { loadBalancer: {} },
    };
    expect(renderTable('services', [svc], now).rows[0]?.cells).toEqual([
      'web',
      'LoadBalancer',
      '10.8.0.10',
      '<pending>',
      '80:30080/TCP,53/UDP',
      '30s',
      'a=1,b=2',
    ]);
  });
  it('prints deployments, network policies and endpoint slices', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('web'),
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } },
      },
      status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
    };
    expect(renderTable('deployments', [deployment], now).rows[0]?.cells).toEqual([
      'web',
      '1/3',
      2,
      1,
      '30s',
      'nginx',
      'nginx:1',
      'app=web',
    ]);
    const policy: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('p'),
      spec: { podSelector: {} },
    };
    expect(renderTable('networkpolicies', [policy], now).rows[0]?.cells).toEqual(['p', '<none>', '30s']);
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: meta('s'),
      addressType: 'IPv4',
      ports: [{ port: 80 }],
      endpoints: [
        { addresses: ['10.0.0.1'] },
        { addresses: ['10.0.0.2'] },
        { addresses: ['10.0.0.3'] },
        { addresses: ['10.0.0.4'] },
      ],
    };
    expect(renderTable('endpointslices', [slice], now).rows[0]?.cells).toEqual([
      's',
      'IPv4',
      '80',
      '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...',
      '30s',
    ]);
  });
});
