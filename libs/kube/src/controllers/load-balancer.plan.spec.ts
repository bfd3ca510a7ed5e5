import { describe, expect, it } from 'vitest';
import { atLeast } from '@gke-emulator/container';
import type { KubeObject } from '../api/kube-object';
import {
  type ClusterForLoadBalancer,
  l4ContentHash,
  planLoadBalancer,
  RBS_ANNOTATION,
  rbsNames,
  rbsProtocol,
  REGIONAL_EXTERNAL_CLASS,
  trimFieldsEvenly,
  wantsRbs,
} from './load-balancer.plan';

const cluster: ClusterForLoadBalancer = {
  project: 'p',
  region: 'us-central1',
  clusterId: '0123456789abcdef',
  l4ClusterUid: 'abcd1234',
  network: 'n1',
  subnetwork: 's1',
  nodeTag: 'gke-c1-0a1b2c3d-node',
  nodes: [
    { name: 'n-a', zone: 'us-central1-a' },
    { name: 'n-b', zone: 'us-central1-b' },
    { name: 'n-b2', zone: 'us-central1-b' },
  ],
};

function service(overrides: { annotations?: Record<string, string>; spec?: Record<string, unknown> } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: '11111111-2222-3333-4444-555555555555',
      ...(overrides.annotations ? { annotations: overrides.annotations } : {}),
    },
    spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }], ...overrides.spec },
  } as unknown as KubeObject;
}

describe('which external LoadBalancer Services get a backend service-based load balancer (RBS)', () => {
  it('a new Service on 1.34/1.35 keeps the target pool unless it asks by annotation or class', () => {
    expect(wantsRbs(service(), '1.35.6-gke.1250000', undefined, atLeast)).toBe(false);
    expect(wantsRbs(service(), '1.34.9-gke.1131000', undefined, atLeast)).toBe(false);
    const annotated = service({ annotations: { [RBS_ANNOTATION]: 'enabled' } });
    expect(wantsRbs(annotated, '1.34.9-gke.1131000', undefined, atLeast)).toBe(true);
    expect(
      wantsRbs(
        service({ annotations: { [RBS_ANNOTATION]: 'disabled' } }),
        '1.35.6-gke.1250000',
        undefined,
        atLeast,
      ),
    ).toBe(false);
    const classed = service({ spec: { loadBalancerClass: REGIONAL_EXTERNAL_CLASS } });
    expect(wantsRbs(classed, '1.35.6-gke.1250000', undefined, atLeast)).toBe(true);
  });

  it('is the default from 1.37, for new Services only; neither shape is migrated to the other', () => {
    expect(wantsRbs(service(), '1.37.0-gke.1000', undefined, atLeast)).toBe(true);
    expect(wantsRbs(service(), '1.37.0-gke.1000', 'targetPool', atLeast)).toBe(false);
    const annotated = service({ annotations: { [RBS_ANNOTATION]: 'enabled' } });
    expect(wantsRbs(annotated, '1.35.6-gke.1250000', 'targetPool', atLeast)).toBe(false);
    expect(wantsRbs(service(), '1.34.9-gke.1131000', 'backendService', atLeast)).toBe(true);
  });

  it('never for an internal Service', () => {
    const internal = service({
      annotations: { 'networking.gke.io/load-balancer-type': 'Internal', [RBS_ANNOTATION]: 'enabled' },
    });
    expect(wantsRbs(internal, '1.37.0-gke.1000', undefined, atLeast)).toBe(false);
    expect(planLoadBalancer(internal, cluster, { rbs: true }).shape).toBe('internal');
  });
});

describe('ingress-gce L4 names', () => {
  it('hashes to base-36 characters, stably', () => {
    const hash = l4ContentHash('abcd1234;default;web', 8);
    expect(hash).toMatch(/^[0-9a-z]{8}$/);
    expect(l4ContentHash('abcd1234;default;web', 8)).toBe(hash);
    expect(l4ContentHash('abcd1234;default;web2', 8)).not.toBe(hash);
  });

  it('trims namespace and name in proportion to their lengths to fit', () => {
    expect(trimFieldsEvenly(39, 'default', 'web')).toEqual(['default', 'web']);
    const [ns, name] = trimFieldsEvenly(39, 'n'.repeat(10), 'x'.repeat(50));
    expect((ns as string).length + (name as string).length).toBe(39);
    expect((ns as string).length).toBeGreaterThanOrEqual(6);
    expect((name as string).length).toBeGreaterThan((ns as string).length);
  });

  it('k8s2-<cluster uid>-<namespace>-<name>-<hash>, at most 63 characters; shared health check per cluster', () => {
    const names = rbsNames('abcd1234', 'default', 'web');
    expect(names.backendService).toMatch(/^k8s2-abcd1234-default-web-[0-9a-z]{8}$/);
    expect(names.firewall).toBe(names.backendService);
    expect(names.localHealthCheckFirewall).toBe(`${names.backendService}-fw`);
    expect(names.sharedHealthCheck).toBe('k8s2-abcd1234-l4-shared-hc');
    expect(names.sharedHealthCheckFirewall).toBe('k8s2-abcd1234-l4-shared-hc-fw');
    const long = rbsNames(
      'abcd1234',
      'a-very-long-namespace-name-here',
      'and-an-even-longer-service-name-too',
    );
    expect(long.backendService.length).toBeLessThanOrEqual(63);
    expect(long.localHealthCheckFirewall.length).toBeLessThanOrEqual(63);
    expect(long.localHealthCheckFirewall.endsWith('-fw')).toBe(true);
  });

  it('mixed TCP and UDP ports make an UNSPECIFIED backend service', () => {
    expect(rbsProtocol([{ protocol: 'TCP' }, { protocol: 'TCP' }])).toBe('TCP');
    expect(rbsProtocol([{ protocol: 'UDP' }])).toBe('UDP');
    expect(rbsProtocol([{ protocol: 'TCP' }, { protocol: 'UDP' }])).toBe('UNSPECIFIED');
  });
});

describe('the RBS plan', () => {
  it('Cluster policy: the shared regional health check, a regional EXTERNAL backend service on the zones’ groups, a forwarding rule to it', () => {
    const plan = planLoadBalancer(service(), cluster, { rbs: true });
    const names = rbsNames('abcd1234', 'default', 'web');
    expect(plan.shape).toBe('rbs');
    expect(plan.name).toBe('a1111111122223333444455555555555');
    expect(plan.healthCheck).toMatchObject({
      collection: 'healthChecks',
      scope: 'us-central1',
      shared: true,
      body: {
        name: 'k8s2-abcd1234-l4-shared-hc',
        type: 'HTTP',
        httpHealthCheck: { port: 10256, requestPath: '/healthz' },
        checkIntervalSec: 8,
        unhealthyThreshold: 3,
      },
    });
    expect(plan.backend).toEqual({
      collection: 'backendServices',
      body: expect.objectContaining({
        name: names.backendService,
        loadBalancingScheme: 'EXTERNAL',
        protocol: 'TCP',
        sessionAffinity: 'NONE',
        healthChecks: ['projects/p/regions/us-central1/healthChecks/k8s2-abcd1234-l4-shared-hc'],
        backends: [
          {
            group: 'projects/p/zones/us-central1-a/instanceGroups/k8s-ig--0123456789abcdef',
            balancingMode: 'CONNECTION',
          },
          {
            group: 'projects/p/zones/us-central1-b/instanceGroups/k8s-ig--0123456789abcdef',
            balancingMode: 'CONNECTION',
          },
        ],
      }),
    });
    expect(plan.instanceGroupZones).toEqual(['us-central1-a', 'us-central1-b']);
    const rule = plan.forwardingRule('198.18.0.5');
    expect(rule).toMatchObject({
      name: plan.name,
      IPAddress: '198.18.0.5',
      IPProtocol: 'TCP',
      portRange: '80-80',
      loadBalancingScheme: 'EXTERNAL',
      backendService: `projects/p/regions/us-central1/backendServices/${names.backendService}`,
      networkTier: 'PREMIUM',
    });
    expect(rule).not.toHaveProperty('target');
    expect(JSON.parse(String(rule['description']))).toEqual({
      'networking.gke.io/service-name': 'default/web',
      'networking.gke.io/api-version': 'ga',
      'networking.gke.io/service-ip': '198.18.0.5',
    });
    const [nodes, probes] = plan.firewalls('198.18.0.5');
    expect(nodes).toMatchObject({
      name: names.firewall,
      destinationRanges: ['198.18.0.5'],
      sourceRanges: ['0.0.0.0/0'],
      allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
    });
    expect(probes).toMatchObject({
      name: 'k8s2-abcd1234-l4-shared-hc-fw',
      allowed: [{ IPProtocol: 'tcp', ports: ['10256'] }],
    });
    expect(plan.serviceMetadata).toEqual({
      annotations: {
        'service.kubernetes.io/backend-service': names.backendService,
        'service.kubernetes.io/firewall-rule': names.firewall,
        'service.kubernetes.io/firewall-rule-for-hc': 'k8s2-abcd1234-l4-shared-hc-fw',
        'service.kubernetes.io/healthcheck': 'k8s2-abcd1234-l4-shared-hc',
        'service.kubernetes.io/tcp-forwarding-rule': plan.name,
      },
      finalizer: 'gke.networking.io/l4-netlb-v2',
    });
  });

  it('Local policy: the Service’s own health check on healthCheckNodePort, probed more often', () => {
    const plan = planLoadBalancer(
      service({
        spec: { externalTrafficPolicy: 'Local', healthCheckNodePort: 31234, sessionAffinity: 'ClientIP' },
      }),
      cluster,
      { rbs: true },
    );
    const names = rbsNames('abcd1234', 'default', 'web');
    expect(plan.healthCheck).toMatchObject({
      shared: false,
      body: {
        name: names.localHealthCheck,
        httpHealthCheck: { port: 31234 },
        checkIntervalSec: 3,
        unhealthyThreshold: 2,
      },
    });
    expect(plan.backend.body['sessionAffinity']).toBe('CLIENT_IP');
    expect(plan.firewalls('198.18.0.5')[1]).toMatchObject({
      name: `${names.backendService}-fw`,
      allowed: [{ IPProtocol: 'tcp', ports: ['31234'] }],
    });
  });

  it('mixed protocols: an L3_DEFAULT forwarding rule on all ports, one firewall entry per protocol', () => {
    const plan = planLoadBalancer(
      service({
        spec: {
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP', name: 't' },
          ],
        },
      }),
      cluster,
      { rbs: true },
    );
    expect(plan.backend.body['protocol']).toBe('UNSPECIFIED');
    expect(plan.forwardingRule('198.18.0.5')).toMatchObject({ IPProtocol: 'L3_DEFAULT', allPorts: true });
    expect(plan.firewalls('198.18.0.5')[0]?.['allowed']).toEqual([
      { IPProtocol: 'udp', ports: ['53'] },
      { IPProtocol: 'tcp', ports: ['53'] },
    ]);
    expect(Object.keys(plan.serviceMetadata?.annotations ?? {})).toContain(
      'service.kubernetes.io/l3-forwarding-rule',
    );
  });

  it('without RBS an external Service keeps the service controller’s target pool', () => {
    const plan = planLoadBalancer(service(), cluster);
    expect(plan.shape).toBe('targetPool');
    expect(plan.backend.collection).toBe('targetPools');
    expect(plan.healthCheck).toMatchObject({ collection: 'httpHealthChecks', scope: 'global' });
    expect(plan.forwardingRule('198.18.0.5')['target']).toBe(
      'projects/p/regions/us-central1/targetPools/a1111111122223333444455555555555',
    );
    expect(plan.serviceMetadata).toBeUndefined();
  });
});
