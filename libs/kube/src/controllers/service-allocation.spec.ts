import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/kube-object';
import { KubeStatusError } from '../api/kube-status';
import {
  allocateServiceFields,
  serviceAllocationCauses,
  serviceAllocations,
  type TakenValues,
} from './service-allocation';

const RANGE = '10.8.0.0/20';

function service(spec: Record<string, unknown>, name = 'web'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'x', uid: 'u1' }, spec };
}

/** A fake allocation table that records what was asked of it. */
function table(clusterIPs: string[] = [], nodePorts: number[] = []) {
  const asked: string[] = [];
  const taken: TakenValues = async (kind) => {
    asked.push(kind);
    return new Set(kind === 'clusterIP' ? clusterIPs : nodePorts.map(String));
  };
  return { taken, asked };
}

describe('the Service allocators', () => {
  it('gives a new ClusterIP Service the lowest free address and its IPv4 single-stack fields', async () => {
    const svc = service({ ports: [{ port: 80, nodePort: 30001 }] });
    const { taken, asked } = table(['10.8.0.1']);
    await allocateServiceFields(svc, undefined, RANGE, taken);
    expect(svc['spec']).toEqual({
      clusterIP: '10.8.0.2',
      clusterIPs: ['10.8.0.2'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ port: 80 }],
    });
    expect(asked).toEqual(['clusterIP']);
  });

  it('keeps the ClusterIP and NodePorts an update leaves out, without reading the table', async () => {
    const old = service({
      type: 'NodePort',
      clusterIP: '10.8.0.7',
      ports: [
        { port: 80, protocol: 'TCP', nodePort: 31000 },
        { port: 53, protocol: 'UDP', nodePort: 31001 },
      ],
    });
    const svc = service({ type: 'NodePort', ports: [{ port: 53, protocol: 'UDP' }] });
    const { taken, asked } = table();
    await allocateServiceFields(svc, old, RANGE, taken);
    expect(svc['spec']).toMatchObject({
      clusterIP: '10.8.0.7',
      ports: [{ port: 53, protocol: 'UDP', nodePort: 31001 }],
      externalTrafficPolicy: 'Cluster',
    });
    expect(asked).toEqual(['nodePort']);
  });

  it('gives a Local LoadBalancer a health-check NodePort distinct from its ports', async () => {
    const svc = service({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] });
    await allocateServiceFields(svc, undefined, RANGE, table().taken);
    const spec = svc['spec'] as Record<string, unknown>;
    const [port] = spec['ports'] as { nodePort: number }[];
    expect(spec['healthCheckNodePort']).toBeGreaterThanOrEqual(30000);
    expect(spec['healthCheckNodePort']).not.toBe(port?.nodePort);
    expect(spec['allocateLoadBalancerNodePorts']).toBe(true);
    expect(serviceAllocations(svc)).toEqual([
      ['clusterIP', '10.8.0.1'],
      ['nodePort', String(port?.nodePort)],
      ['nodePort', String(spec['healthCheckNodePort'])],
    ]);
  });

  it('clears what an ExternalName Service has no use for, and holds nothing', async () => {
    const svc = service({
      type: 'ExternalName',
      externalName: 'example.com',
      clusterIP: '10.8.0.3',
      externalTrafficPolicy: 'Local',
    });
    const { taken, asked } = table();
    await allocateServiceFields(svc, undefined, RANGE, taken);
    expect(svc['spec']).toEqual({ type: 'ExternalName', externalName: 'example.com' });
    expect(asked).toEqual([]);
    expect(serviceAllocations(svc)).toEqual([]);
  });

  it('answers 500 when the services range is full', async () => {
    const full = Array.from({ length: 2 }, (_, i) => `10.8.0.${i + 1}`);
    const error = await allocateServiceFields(service({}), undefined, '10.8.0.0/30', table(full).taken).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KubeStatusError);
    expect((error as KubeStatusError).code).toBe(500);
  });

  it('refuses a ClusterIP out of range, taken, or changed; NodePorts out of range or taken', async () => {
    const { taken } = table(['10.8.0.5'], [30500]);
    const causes = await serviceAllocationCauses(
      service({
        clusterIP: '10.8.0.5',
        ports: [{ nodePort: 29999 }, { nodePort: 30500 }, { nodePort: 30600 }],
      }),
      undefined,
      RANGE,
      taken,
    );
    expect(causes.map((cause) => [cause.field, cause.message])).toEqual([
      [
        'spec.clusterIPs',
        'Invalid value: ["10.8.0.5"]: failed to allocate IP 10.8.0.5: provided IP is already allocated',
      ],
      [
        'spec.ports[0].nodePort',
        'Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767',
      ],
      ['spec.ports[1].nodePort', 'Invalid value: 30500: provided port is already allocated'],
    ]);
    const outside = await serviceAllocationCauses(
      service({ clusterIP: '10.9.0.1' }),
      undefined,
      RANGE,
      taken,
    );
    expect(outside[0]?.message).toContain('is not in the valid range. The range of valid IPs is 10.8.0.0/20');
    const changed = await serviceAllocationCauses(
      service({ clusterIP: '10.8.0.9' }),
      service({ clusterIP: '10.8.0.8' }),
      RANGE,
      taken,
    );
    expect(changed).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.clusterIPs[0]',
        message: 'Invalid value: ["10.8.0.9"]: may not change once set',
      },
    ]);
  });

  it('refuses one NodePort asked twice by the same Service', async () => {
    const causes = await serviceAllocationCauses(
      service({ clusterIP: 'None', ports: [{ nodePort: 30700 }, { nodePort: 30700 }] }),
      undefined,
      RANGE,
      table().taken,
    );
    expect(causes.map((cause) => cause.field)).toEqual(['spec.ports[1].nodePort']);
  });
});
