import { describe, expect, it } from 'vitest';
import {
  buildClusterDnsZone,
  invalidQueryName,
  lookupName,
  resolveForPod,
  resolveName,
  searchNames,
} from './cluster-dns.resolver';
import type { ClusterDnsInput } from './cluster-dns.types';
import { clusterDnsInputOf } from './kubernetes-objects';

const cluster: ClusterDnsInput = {
  services: [
    { namespace: 'default', name: 'kubernetes', clusterIP: '10.8.0.1' },
    { namespace: 'kube-system', name: 'kube-dns', clusterIP: '10.8.0.10' },
    { namespace: 'shop', name: 'web', type: 'LoadBalancer', clusterIP: '10.8.0.2' },
    { namespace: 'shop', name: 'db', clusterIP: 'None' },
    { namespace: 'shop', name: 'empty', clusterIP: 'None' },
    { namespace: 'shop', name: 'warm', clusterIP: 'None', publishNotReadyAddresses: true },
    { namespace: 'shop', name: 'mail', type: 'ExternalName', externalName: 'smtp.example.com' },
    { namespace: 'shop', name: 'alias', type: 'ExternalName', externalName: 'web.shop.svc.cluster.local' },
    { namespace: 'other', name: 'web', clusterIP: '10.8.0.3' },
  ],
  endpointSlices: [
    {
      namespace: 'shop',
      serviceName: 'db',
      endpoints: [
        { addresses: ['10.4.1.3'], ready: true, targetRef: { kind: 'Pod', namespace: 'shop', name: 'db-1' } },
        { addresses: ['10.4.0.3'], targetRef: { kind: 'Pod', name: 'db-0' } },
        { addresses: ['10.4.2.9'], ready: false, targetRef: { kind: 'Pod', name: 'db-2' } },
        { addresses: ['10.4.2.7'], ready: true, hostname: 'explicit' },
      ],
    },
    { namespace: 'shop', serviceName: 'empty', endpoints: [] },
    { namespace: 'shop', serviceName: 'warm', endpoints: [{ addresses: ['10.4.3.3'], ready: false }] },
  ],
  pods: [
    { namespace: 'shop', name: 'db-0', ip: '10.4.0.3', hostname: 'db-0', subdomain: 'db' },
    { namespace: 'shop', name: 'db-1', ip: '10.4.1.3', hostname: 'db-1', subdomain: 'other' },
    { namespace: 'shop', name: 'db-2', ip: '10.4.2.9', hostname: 'db-2', subdomain: 'db' },
    { namespace: 'shop', name: 'client', ip: '10.4.0.4' },
  ],
};
const zone = buildClusterDnsZone(cluster);

describe('the search path a pod`s resolver walks (ndots 5)', () => {
  it.each([
    ['web', ['web.shop.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.', 'web.']],
    // five dots reach ndots: the name as it is goes first
    [
      'a.b.c.d.e.f',
      [
        'a.b.c.d.e.f.',
        'a.b.c.d.e.f.shop.svc.cluster.local.',
        'a.b.c.d.e.f.svc.cluster.local.',
        'a.b.c.d.e.f.cluster.local.',
      ],
    ],
    // four do not
    [
      'a.b.c.d.e',
      [
        'a.b.c.d.e.shop.svc.cluster.local.',
        'a.b.c.d.e.svc.cluster.local.',
        'a.b.c.d.e.cluster.local.',
        'a.b.c.d.e.',
      ],
    ],
    ['web.shop.svc.cluster.local.', ['web.shop.svc.cluster.local.']],
    [
      'WEB.Shop',
      [
        'web.shop.shop.svc.cluster.local.',
        'web.shop.svc.cluster.local.',
        'web.shop.cluster.local.',
        'web.shop.',
      ],
    ],
  ])('%s', (query, names) => {
    expect(searchNames(query, 'shop').names).toEqual(names);
    expect(searchNames(query, 'shop').search).toEqual([
      'shop.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
    ]);
  });
});

describe('Service names', () => {
  it.each([
    ['web', 'shop', ['10.8.0.2'], 'web.shop.svc.cluster.local.', 1],
    ['web', 'other', ['10.8.0.3'], 'web.other.svc.cluster.local.', 1],
    ['web.shop', 'other', ['10.8.0.2'], 'web.shop.svc.cluster.local.', 2],
    ['web.shop.svc', 'other', ['10.8.0.2'], 'web.shop.svc.cluster.local.', 3],
    ['web.shop.svc.cluster.local', 'other', ['10.8.0.2'], 'web.shop.svc.cluster.local.', 4],
    ['web.shop.svc.cluster.local.', 'other', ['10.8.0.2'], 'web.shop.svc.cluster.local.', 1],
    ['kubernetes.default', 'shop', ['10.8.0.1'], 'kubernetes.default.svc.cluster.local.', 2],
    [
      'kube-dns.kube-system.svc.cluster.local',
      'shop',
      ['10.8.0.10'],
      'kube-dns.kube-system.svc.cluster.local.',
      4,
    ],
  ])('%s from %s resolves to %j at %s after %i step(s)', (query, namespace, addresses, answered, steps) => {
    const resolution = resolveName(zone, query, namespace);
    expect(resolution.rcode).toBe('NOERROR');
    expect(resolution.addresses).toEqual(addresses);
    expect(resolution.answeredName).toBe(answered);
    expect(resolution.steps).toHaveLength(steps);
    expect(resolution.steps.slice(0, -1).every((step) => step.rcode === 'NXDOMAIN')).toBe(true);
    expect(resolution.records[0]).toEqual({ name: answered, type: 'A', ttl: 30, value: addresses[0] });
  });

  it('a short name only reaches the pod`s own namespace', () => {
    const resolution = resolveName(zone, 'db', 'other');
    expect(resolution.rcode).toBe('NXDOMAIN');
    expect(resolution.steps.map((step) => step.name)).toEqual([
      'db.other.svc.cluster.local.',
      'db.svc.cluster.local.',
      'db.cluster.local.',
      'db.',
    ]);
    expect(resolution.steps[0]?.detail).toBe('no Service other/db');
    expect(resolution.steps[3]?.upstream).toBe(true);
    expect(resolution.upstream).toBe(true);
  });

  it('names the missing namespace and the missing Service', () => {
    expect(lookupName(zone, 'web.nowhere.svc.cluster.local').detail).toBe(
      'no namespace nowhere with Services or pods',
    );
    expect(lookupName(zone, 'nope.shop.svc.cluster.local')).toMatchObject({
      rcode: 'NXDOMAIN',
      detail: 'no Service shop/nope',
    });
    expect(lookupName(zone, 'web.shop.svc.cluster.local').detail).toBe('Service shop/web (ClusterIP)');
  });

  it('is case-insensitive, as DNS is', () => {
    expect(resolveForPod(zone, 'WEB.SHOP.SVC.CLUSTER.LOCAL', 'x')).toEqual(['10.8.0.2']);
  });
});

describe('headless Services', () => {
  it('answer their ready endpoints` addresses, in address order', () => {
    expect(resolveForPod(zone, 'db', 'shop')).toEqual(['10.4.0.3', '10.4.1.3', '10.4.2.7']);
  });

  it('with publishNotReadyAddresses, answer the not-ready ones too', () => {
    expect(resolveForPod(zone, 'warm.shop', 'default')).toEqual(['10.4.3.3']);
  });

  it('with no ready endpoint, the name exists without addresses and the search goes on', () => {
    const step = lookupName(zone, 'empty.shop.svc.cluster.local');
    expect(step).toMatchObject({ rcode: 'NOERROR', records: [] });
    const resolution = resolveName(zone, 'empty', 'shop');
    expect(resolution.rcode).toBe('NXDOMAIN');
    expect(resolution.steps).toHaveLength(4);
  });

  it('answer <hostname>.<service> for pods whose subdomain names the Service, and endpoints with a hostname', () => {
    expect(resolveForPod(zone, 'db-0.db', 'shop')).toEqual(['10.4.0.3']);
    expect(resolveForPod(zone, 'db-0.db.shop.svc.cluster.local', 'default')).toEqual(['10.4.0.3']);
    expect(resolveForPod(zone, 'explicit.db.shop', 'default')).toEqual(['10.4.2.7']);
    // db-1's subdomain names another Service; db-2 is not ready
    expect(resolveForPod(zone, 'db-1.db', 'shop')).toEqual([]);
    expect(resolveForPod(zone, 'db-2.db', 'shop')).toEqual([]);
    expect(lookupName(zone, 'db-1.db.shop.svc.cluster.local').detail).toBe(
      'no endpoint db-1 of a headless Service shop/db',
    );
  });

  it('a Service with a ClusterIP has no per-pod names', () => {
    const withIp = buildClusterDnsZone({
      ...cluster,
      services: [{ namespace: 'shop', name: 'db', clusterIP: '10.8.0.5' }],
    });
    expect(resolveForPod(withIp, 'db-0.db', 'shop')).toEqual([]);
    expect(resolveForPod(withIp, 'db', 'shop')).toEqual(['10.8.0.5']);
  });
});

describe('ExternalName Services', () => {
  it('answer a CNAME; outside the cluster domain the chain stops there', () => {
    const resolution = resolveName(zone, 'mail', 'shop');
    expect(resolution.rcode).toBe('NOERROR');
    expect(resolution.records).toEqual([
      { name: 'mail.shop.svc.cluster.local.', type: 'CNAME', ttl: 30, value: 'smtp.example.com.' },
    ]);
    expect(resolution.addresses).toEqual([]);
  });

  it('a CNAME into the cluster is followed to its A record', () => {
    const resolution = resolveName(zone, 'alias.shop', 'default');
    expect(resolution.records.map((r) => [r.type, r.value])).toEqual([
      ['CNAME', 'web.shop.svc.cluster.local.'],
      ['A', '10.8.0.2'],
    ]);
    expect(resolution.addresses).toEqual(['10.8.0.2']);
  });

  it('a CNAME loop ends', () => {
    const loop = buildClusterDnsZone({
      services: [
        { namespace: 'a', name: 'x', type: 'ExternalName', externalName: 'y.a.svc.cluster.local' },
        { namespace: 'a', name: 'y', type: 'ExternalName', externalName: 'x.a.svc.cluster.local' },
      ],
      endpointSlices: [],
      pods: [],
    });
    const resolution = resolveName(loop, 'x', 'a');
    expect(resolution.records.length).toBeLessThanOrEqual(9);
    expect(resolution.addresses).toEqual([]);
  });
});

describe('pod names', () => {
  it.each([
    ['10-4-0-4.shop.pod.cluster.local', 'default', ['10.4.0.4']],
    ['10-4-0-4.shop.pod', 'default', ['10.4.0.4']],
    ['10-4-0-4.any.pod.cluster.local.', 'default', ['10.4.0.4']],
    ['10-4-0-256.shop.pod', 'default', []],
    ['10-4-0.shop.pod', 'default', []],
    ['client.shop.pod', 'default', []],
  ])('%s from %s', (query, namespace, addresses) => {
    expect(resolveForPod(zone, query, namespace)).toEqual(addresses);
  });
});

describe('names outside the cluster', () => {
  it('are asked with every search domain first, then upstream, which the emulator does not answer', () => {
    const resolution = resolveName(zone, 'www.google.com', 'shop');
    expect(resolution.steps.map((s) => [s.name, s.rcode, s.upstream ?? false])).toEqual([
      ['www.google.com.shop.svc.cluster.local.', 'NXDOMAIN', false],
      ['www.google.com.svc.cluster.local.', 'NXDOMAIN', false],
      ['www.google.com.cluster.local.', 'NXDOMAIN', false],
      ['www.google.com.', 'NXDOMAIN', true],
    ]);
    expect(resolution).toMatchObject({ rcode: 'NXDOMAIN', upstream: true, addresses: [] });
  });
});

describe('query names', () => {
  it.each([
    ['web', undefined],
    ['web.shop.svc.cluster.local.', undefined],
    ['_dns._udp.kube-dns', undefined],
    ['', 'must not be empty'],
    ['web..shop', 'must not have an empty label'],
    ['-web', 'label "-web" is not a DNS label'],
    ['we b', 'label "we b" is not a DNS label'],
    [`${'a'.repeat(64)}.shop`, `label "${'a'.repeat(64)}" is longer than 63 characters`],
    [`${'a.'.repeat(127)}ab`, 'must be at most 253 characters'],
  ])('%j: %s', (query, problem) => {
    expect(invalidQueryName(query)).toBe(problem);
  });
});

describe('from the API`s objects', () => {
  it('reads Services, EndpointSlices and pods as the API returns them', () => {
    const input = clusterDnsInputOf({
      services: [
        {
          metadata: { namespace: 'shop', name: 'db' },
          spec: { clusterIP: 'None', selector: { app: 'db' } },
        },
        {
          metadata: { namespace: 'shop', name: 'ext' },
          spec: { type: 'ExternalName', externalName: 'a.example' },
        },
      ],
      endpointSlices: [
        {
          metadata: { namespace: 'shop', name: 'db-abcde', labels: { 'kubernetes.io/service-name': 'db' } },
          addressType: 'IPv4',
          endpoints: [
            {
              addresses: ['10.4.0.3'],
              conditions: { ready: true, serving: true, terminating: false },
              targetRef: { kind: 'Pod', namespace: 'shop', name: 'db-0', uid: 'u' },
            },
          ],
        },
      ],
      pods: [
        {
          metadata: { namespace: 'shop', name: 'db-0' },
          spec: { hostname: 'db-0', subdomain: 'db' },
          status: { podIP: '10.4.0.3' },
        },
      ],
    });
    expect(resolveForPod(input, 'db-0.db', 'shop')).toEqual(['10.4.0.3']);
    expect(resolveForPod(input, 'db', 'shop')).toEqual(['10.4.0.3']);
    expect(resolveName(buildClusterDnsZone(input), 'ext.shop', 'x').records[0]?.value).toBe('a.example.');
  });

  it('honours another cluster domain', () => {
    const other = buildClusterDnsZone({ ...cluster, clusterDomain: 'corp.internal.' });
    expect(resolveForPod(other, 'web', 'shop')).toEqual(['10.8.0.2']);
    expect(resolveName(other, 'web', 'shop').answeredName).toBe('web.shop.svc.corp.internal.');
    expect(resolveForPod(other, 'web.shop.svc.cluster.local.', 'shop')).toEqual([]);
  });
});
