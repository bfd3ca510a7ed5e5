import { describe, expect, it } from 'vitest';
import { formatConnectivityLines, summarizeConnectivity, workloadName } from './connectivity.summarizer';
import { compileCluster } from './network-policy.compiler';
import type { ClusterState, PodInfo } from './network-policy.types';

const api: PodInfo = {
  namespace: 'app',
  name: 'api-1',
  labels: { app: 'api' },
  owner: { kind: 'Deployment', name: 'api' },
};
const apiTwin: PodInfo = { ...api, name: 'api-2' };
const db: PodInfo = {
  namespace: 'app',
  name: 'db-0',
  labels: { app: 'db' },
  owner: { kind: 'StatefulSet', name: 'db' },
};

describe('workloadName', () => {
  it.each([
    { pod: api, name: 'app/api[Deployment]' },
    { pod: { namespace: 'default', name: 'debug' }, name: 'default/debug[Pod]' },
  ])('$name', ({ pod, name }) => {
    expect(workloadName(pod)).toBe(name);
  });
});

describe('summarizeConnectivity', () => {
  const state: ClusterState = {
    namespaces: [{ name: 'app' }],
    pods: [api, apiTwin, db],
    policies: [
      {
        metadata: { name: 'api-egress', namespace: 'app' },
        spec: {
          podSelector: { matchLabels: { app: 'api' } },
          policyTypes: ['Egress'],
          egress: [
            { to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] },
            {
              to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }],
              ports: [{ port: 443 }, { port: 53, protocol: 'UDP' }],
            },
          ],
        },
      },
      {
        metadata: { name: 'db-ingress', namespace: 'app' },
        spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: {} }] }] },
      },
    ],
  };

  it('lists workload pairs and external ranges split at the egress ipBlocks, sorted like np-guard', () => {
    expect(formatConnectivityLines(summarizeConnectivity(compileCluster(state)))).toBe(
      [
        '0.0.0.0-255.255.255.255[External] => app/api[Deployment] : All Connections',
        'app/api[Deployment] => 0.0.0.0-9.255.255.255[External] : TCP 443,UDP 53',
        'app/api[Deployment] => 11.0.0.0-255.255.255.255[External] : TCP 443,UDP 53',
        'app/api[Deployment] => app/db[StatefulSet] : TCP 5432',
        // Destinations are split for every workload, as np-guard does.
        'app/db[StatefulSet] => 0.0.0.0-9.255.255.255[External] : All Connections',
        'app/db[StatefulSet] => 10.0.0.0-10.255.255.255[External] : All Connections',
        'app/db[StatefulSet] => 11.0.0.0-255.255.255.255[External] : All Connections',
        'app/db[StatefulSet] => app/api[Deployment] : All Connections',
        '',
      ].join('\n'),
    );
  });

  it('is empty text for no lines', () => {
    expect(formatConnectivityLines([])).toBe('');
  });
});
