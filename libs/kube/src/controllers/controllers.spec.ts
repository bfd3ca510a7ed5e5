import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/kube-object';
import { desiredEndpointSlices, resolveTargetPort } from './endpoint-slices';
import { allocatePodIp, pickNode } from './pod-network';
import { allocateClusterIp, allocateNodePort, clusterIpInRange } from './service-allocation';
import {
  deploymentStatus,
  ownedByDeployment,
  podForDeployment,
  replicaSetUid,
  templateHash,
} from './workloads';

function pod(
  name: string,
  labels: Record<string, string>,
  ip: string | undefined,
  ready = true,
  extra: Partial<KubeObject> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'x', uid: `uid-${name}`, labels },
    spec: { nodeName: 'n1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: {
      phase: 'Running',
      ...(ip ? { podIP: ip } : {}),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
    ...extra,
  };
}

const service = (ports: unknown[], selector: Record<string, string> = { app: 'web' }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'x', uid: 'svc-uid' },
  spec: { selector, ports },
});

describe('pod IPs and scheduling', () => {
  it('hands out pod IPs from .2, skipping the bridge, taken ones and the broadcast', () => {
    expect(allocatePodIp('10.4.1.0/24', new Set())).toBe('10.4.1.2');
    expect(allocatePodIp('10.4.1.0/24', new Set(['10.4.1.2', '10.4.1.3']))).toBe('10.4.1.4');
    const all = new Set(Array.from({ length: 13 }, (_, i) => `10.4.1.${i + 2}`));
    expect(allocatePodIp('10.4.1.0/28', all)).toBeNull();
  });

  it('spreads pods onto the least loaded node with room', () => {
    const nodes = [
      { name: 'a', maxPods: 2, pods: 1 },
      { name: 'b', maxPods: 2, pods: 0 },
      { name: 'c', maxPods: 2, pods: 0 },
    ];
    expect(pickNode(nodes)?.name).toBe('b');
    expect(pickNode([{ name: 'a', maxPods: 1, pods: 1 }])).toBeNull();
  });
});

describe('service allocation', () => {
  it('takes the lowest free ClusterIP after the network address', () => {
    expect(allocateClusterIp('10.8.0.0/20', new Set())).toBe('10.8.0.1');
    expect(allocateClusterIp('10.8.0.0/20', new Set(['10.8.0.1']))).toBe('10.8.0.2');
    expect(allocateClusterIp('10.8.0.0/30', new Set(['10.8.0.1', '10.8.0.2']))).toBeNull();
    // .10 is kube-dns's: skipped even when free (it is given only to a Service that asks for it)
    const nine = new Set(Array.from({ length: 9 }, (_, i) => `10.8.0.${i + 1}`));
    expect(allocateClusterIp('10.8.0.0/20', nine)).toBe('10.8.0.11');
    expect(allocateClusterIp('10.8.0.0/28', nine)).toBe('10.8.0.11');
    expect(allocateClusterIp('10.8.0.0/29', new Set())).toBe('10.8.0.1');
  });

  it('accepts only usable addresses of the range as a requested ClusterIP', () => {
    expect(clusterIpInRange('10.8.0.0/20', '10.8.0.10', 0x0a08000a)).toBe(true);
    expect(clusterIpInRange('10.8.0.0/20', '10.8.0.0', 0x0a080000)).toBe(false);
    expect(clusterIpInRange('10.8.0.0/20', '10.9.0.1', 0x0a090001)).toBe(false);
  });

  it('picks NodePorts in 30000-32767, never a taken one', () => {
    const first = allocateNodePort(new Set(), 'x/web/0');
    expect(first).toBeGreaterThanOrEqual(30000);
    expect(first).toBeLessThanOrEqual(32767);
    expect(allocateNodePort(new Set([first as number]), 'x/web/0')).not.toBe(first);
    const full = new Set(Array.from({ length: 2768 }, (_, i) => 30000 + i));
    expect(allocateNodePort(full, 'seed')).toBeNull();
  });
});

describe('endpoint slices', () => {
  it('resolves numeric and named target ports against the pod', () => {
    const p = pod('a', { app: 'web' }, '10.4.0.2');
    expect(resolveTargetPort(p, { port: 80, targetPort: 8080 })).toBe(8080);
    expect(resolveTargetPort(p, { port: 80, targetPort: 'http' })).toBe(8080);
    expect(resolveTargetPort(p, { port: 80 })).toBe(80);
    expect(resolveTargetPort(p, { port: 80, targetPort: 'grpc' })).toBeNull();
  });

  it('lists selected pods with an IP, with readiness, node and zone', () => {
    const slices = desiredEndpointSlices(
      service([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]),
      [
        pod('b', { app: 'web' }, '10.4.0.3', false),
        pod('a', { app: 'web' }, '10.4.0.2'),
        pod('pending', { app: 'web' }, undefined),
        pod('other', { app: 'db' }, '10.4.0.4'),
      ],
      new Map([['n1', 'us-central1-a']]),
    );
    expect(slices).toHaveLength(1);
    expect(slices[0]?.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slices[0]?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slices[0]?.endpoints.map((e) => [e.addresses[0], e.conditions.ready, e.zone])).toEqual([
      ['10.4.0.2', true, 'us-central1-a'],
      ['10.4.0.3', false, 'us-central1-a'],
    ]);
  });

  it('keeps one empty slice for a Service that selects nothing, and splits at 100 endpoints', () => {
    expect(desiredEndpointSlices(service([{ port: 80 }]), [], new Map())).toEqual([
      { name: expect.stringMatching(/^web-/), ports: [], endpoints: [] },
    ]);
    const many = Array.from({ length: 150 }, (_, i) =>
      pod(`p${String(i).padStart(3, '0')}`, { app: 'web' }, `10.4.${i >> 8}.${i & 255}`),
    );
    const slices = desiredEndpointSlices(service([{ port: 80 }]), many, new Map());
    expect(slices.map((s) => s.endpoints.length)).toEqual([100, 50]);
    expect(new Set(slices.map((s) => s.name)).size).toBe(2);
  });
});

describe('deployments', () => {
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'x', uid: 'dep-uid', generation: 2 },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    },
  };

  it('names pods after the template hash and marks them as its ReplicaSet`s', () => {
    const hash = templateHash((deployment['spec'] as Record<string, unknown>)['template']);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
    const p = podForDeployment(deployment, hash, 'abcde');
    expect(p.metadata.name).toBe(`web-${hash}-abcde`);
    expect(p.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    const rsUid = replicaSetUid(String(deployment.metadata.uid), hash);
    expect(p.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'ReplicaSet',
      name: `web-${hash}`,
      uid: rsUid,
    });
    expect(ownedByDeployment(p, new Set([rsUid]))).toBe(true);
    expect(ownedByDeployment(p, new Set([replicaSetUid('other', hash)]))).toBe(false);
    expect(podForDeployment(deployment, hash, 'abcde', 'fresh').metadata.ownerReferences?.[0]?.uid).toBe(
      'fresh',
    );
    expect(templateHash({ other: true })).not.toBe(hash);
  });

  it('reports replicas, readiness and conditions', () => {
    const hash = 'h';
    const ready = pod('a', { 'pod-template-hash': hash }, '10.4.0.2');
    const status = deploymentStatus(
      deployment,
      [ready, pod('b', { 'pod-template-hash': hash }, '10.4.0.3', false)],
      hash,
      new Date(0),
    );
    expect(status).toMatchObject({
      observedGeneration: 2,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 1,
      unavailableReplicas: 1,
    });
    expect(status.conditions[0]).toMatchObject({ type: 'Available', status: 'False' });
  });
});
