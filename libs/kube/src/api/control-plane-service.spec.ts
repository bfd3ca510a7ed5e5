import { describe, expect, it } from 'vitest';
import {
  controlPlaneAddress,
  kubernetesEndpointSlice,
  kubernetesService,
  kubernetesServiceIp,
} from './control-plane-service';

describe('default/kubernetes', () => {
  it.each([
    ['10.8.0.0/20', '10.8.0.1'],
    ['34.118.224.0/20', '34.118.224.1'],
    ['10.0.16.0/22', '10.0.16.1'],
  ])('takes the first address of the services range %s', (range, ip) => {
    expect(kubernetesServiceIp(range)).toBe(ip);
  });

  it.each([
    [{ privateClusterConfig: { privateEndpoint: '10.0.0.2', publicEndpoint: '203.0.113.9' } }, '10.0.0.2'],
    [{ privateClusterConfig: { publicEndpoint: '203.0.113.9' } }, '203.0.113.9'],
    [{ privateClusterConfig: { privateEndpoint: '' } }, '203.0.113.1'],
    [{}, '203.0.113.1'],
  ])('points at the control plane of %j', (cluster, address) => {
    expect(controlPlaneAddress(cluster, '203.0.113.1')).toBe(address);
  });

  it('is the API server`s Service (no selector, https on 443) with its EndpointSlice', () => {
    expect(kubernetesService('10.8.0.1')).toMatchObject({
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        clusterIP: '10.8.0.1',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }],
      },
    });
    expect(kubernetesService('10.8.0.1')['spec']).not.toHaveProperty('selector');
    expect(kubernetesService(undefined)['spec']).not.toHaveProperty('clusterIP');
    expect(kubernetesEndpointSlice('203.0.113.7')).toMatchObject({
      metadata: { name: 'kubernetes', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['203.0.113.7'], conditions: { ready: true } }],
      ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
    });
  });
});
