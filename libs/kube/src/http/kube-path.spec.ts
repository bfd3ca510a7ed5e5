import { describe, expect, it } from 'vitest';
import { parseKubePath } from './kube-path';

describe('parseKubePath', () => {
  it.each([
    ['/version', { type: 'version' }],
    ['/api', { type: 'api' }],
    ['/api/v1', { type: 'resourceList', group: '', version: 'v1' }],
    ['/apis/apps', { type: 'apiGroup', group: 'apps' }],
    ['/openapi/v3/apis/apps/v1', { type: 'openapiDocument', group: 'apps', version: 'v1' }],
  ])('%s', (path, target) => {
    expect(parseKubePath(path)).toEqual(target);
  });
  it.each([
    ['/api/v1/pods', 'pods', undefined, undefined, undefined],
    ['/api/v1/namespaces', 'namespaces', undefined, undefined, undefined],
    ['/api/v1/namespaces/kube-system', 'namespaces', undefined, 'kube-system', undefined],
    ['/api/v1/namespaces/x/status', 'namespaces', undefined, 'x', 'status'],
    ['/api/v1/namespaces/default/pods', 'pods', 'default', undefined, undefined],
    ['/api/v1/namespaces/default/pods/p/status', 'pods', 'default', 'p', 'status'],
    ['/api/v1/nodes/n1', 'nodes', undefined, 'n1', undefined],
    ['/apis/apps/v1/namespaces/d/deployments/web/scale', 'deployments', 'd', 'web', 'scale'],
    ['/apis/networking.k8s.io/v1/networkpolicies', 'networkpolicies', undefined, undefined, undefined],
  ])('%s addresses %s', (path, resource, namespace, name, subresource) => {
    const target = parseKubePath(path);
    if (target.type !== 'resource') throw new Error(`not a resource: ${target.type}`);
    expect([target.kind.resource, target.namespace, target.name, target.subresource]).toEqual([
      resource,
      namespace,
      name,
      subresource,
    ]);
  });
  it.each([
    '/apis/batch/v1',
    '/api/v2',
    '/api/v1/pods/p',
    '/api/v1/widgets',
    '/apis/apps/v1/namespaces/d/deployments/a/b/c',
    '/healthz',
  ])('%s is 404 NotFound', (path) => {
    expect(() => parseKubePath(path)).toThrow('the server could not find the requested resource');
  });
});
