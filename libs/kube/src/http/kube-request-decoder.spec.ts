import { describe, expect, it } from 'vitest';
import { KubeStatusError } from '../api/kube-status';
import type { Decoded, KubeRequest } from '../apiserver/kube-request';
import {
  decodeApplyBody,
  decodeDeleteOptions,
  decodeJsonBody,
  decodeKubeRequest,
  type RawKubeRequest,
} from './kube-request-decoder';

function raw(method: string, path: string, extra: Partial<RawKubeRequest> = {}): RawKubeRequest {
  return {
    method,
    path,
    project: 'p',
    location: 'l',
    cluster: 'c',
    query: {},
    serverAddress: '127.0.0.1:8080',
    ...extra,
  };
}

function errorOf(decoded: Decoded<unknown>): { code: number; message: string } {
  if (!('error' in decoded)) throw new Error(`decoded: ${JSON.stringify(decoded.value)}`);
  return { code: decoded.error.code, message: decoded.error.message };
}

const PODS = '/api/v1/namespaces/default/pods';
const POD = `${PODS}/web`;
const SCALE = '/apis/apps/v1/namespaces/default/deployments/web/scale';

describe('decodeKubeRequest: verbs', () => {
  it.each<[string, string, Partial<RawKubeRequest>, KubeRequest['verb']]>([
    ['GET', '/version', {}, 'discover'],
    ['HEAD', '/apis', {}, 'discover'],
    ['POST', '/apis', {}, 'unsupported'],
    ['GET', PODS, {}, 'list'],
    ['HEAD', PODS, {}, 'list'],
    ['GET', PODS, { query: { watch: 'true' } }, 'watch'],
    ['GET', PODS, { query: { watch: '1' } }, 'watch'],
    ['GET', PODS, { query: { watch: 'false' } }, 'list'],
    ['POST', PODS, { body: '{}' }, 'create'],
    ['DELETE', PODS, {}, 'deletecollection'],
    ['PUT', PODS, {}, 'unsupported'],
    ['PATCH', PODS, {}, 'unsupported'],
    ['GET', POD, {}, 'get'],
    ['PUT', POD, { body: '{}' }, 'update'],
    ['PATCH', POD, { contentType: 'application/merge-patch+json', body: '{}' }, 'patch'],
    ['PATCH', POD, { contentType: 'application/apply-patch+yaml', body: 'a: 1' }, 'apply'],
    ['PATCH', POD, { contentType: 'application/json' }, 'patch'],
    ['DELETE', POD, {}, 'delete'],
    ['DELETE', `${POD}/status`, {}, 'unsupported'],
    ['POST', POD, {}, 'unsupported'],
    ['OPTIONS', POD, {}, 'unsupported'],
    ['GET', SCALE, {}, 'get'],
  ])('%s %s %j is %s', (method, path, extra, verb) => {
    expect(decodeKubeRequest(raw(method, path, extra)).verb).toBe(verb);
  });

  it('carries the cluster, the target and the response shape', () => {
    const request = decodeKubeRequest(
      raw('GET', POD, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' }),
    );
    expect(request).toMatchObject({
      verb: 'get',
      cluster: { project: 'p', location: 'l', cluster: 'c' },
      target: { type: 'resource', namespace: 'default', name: 'web' },
      shape: 'table',
    });
  });

  it('refuses an unknown path at once, as NotFound', () => {
    expect(() => decodeKubeRequest(raw('GET', '/api/v1/widgets'))).toThrow(KubeStatusError);
  });

  it.each([
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
    ['application/strategic-merge-patch+json; charset=utf-8', 'strategic'],
  ])('decodes the patch type of %s', (contentType, patchType) => {
    const request = decodeKubeRequest(raw('PATCH', POD, { contentType, body: '{"a":1}' }));
    expect(request).toMatchObject({ verb: 'patch', patchType, patch: { value: { a: 1 } } });
  });

  it('an unknown patch content type is carried as 415', () => {
    const request = decodeKubeRequest(raw('PATCH', POD, { contentType: 'text/plain', body: '{}' }));
    if (request.verb !== 'patch') throw new Error(request.verb);
    expect(request.patchType).toBeUndefined();
    expect(errorOf(request.patch).code).toBe(415);
  });

  it('a PUT of a scale subresource decodes a Scale', () => {
    const request = decodeKubeRequest(raw('PUT', SCALE, { body: '{' }));
    if (request.verb !== 'update') throw new Error(request.verb);
    expect(errorOf(request.body).message).toMatch(/^Scale in version "v1" cannot be handled as a Scale: /);
  });

  it('a body that is not JSON is carried, not thrown (the object is looked up first)', () => {
    const request = decodeKubeRequest(
      raw('PATCH', POD, { contentType: 'application/merge-patch+json', body: 'nope' }),
    );
    if (request.verb !== 'patch') throw new Error(request.verb);
    expect(errorOf(request.patch)).toMatchObject({ code: 400 });
    expect(errorOf(request.patch).message).toMatch(/^Pod in version "v1" cannot be handled as a Pod: /);
  });
});

describe('decodeJsonBody', () => {
  it('decodes an object', () => {
    expect(decodeJsonBody('{"kind":"Pod"}', 'Pod')).toEqual({ value: { kind: 'Pod' } });
  });
  it('refuses __proto__ as strict decoding does', () => {
    expect(errorOf(decodeJsonBody('{"__proto__":{}}', 'Pod')).message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "__proto__"',
    );
  });
  it('refuses a NUL character', () => {
    expect(errorOf(decodeJsonBody('{"a":"\\u0000"}', 'Pod')).message).toMatch(
      /the NUL character \(\\u0000\) cannot be stored$/,
    );
  });
  it('refuses nesting past 1000 levels', () => {
    const deep = `${'['.repeat(1001)}${']'.repeat(1001)}`;
    expect(errorOf(decodeJsonBody(deep, 'Pod')).message).toMatch(/exceeded max depth \(1000\)/);
  });
  it('refuses an empty body', () => {
    expect(errorOf(decodeJsonBody(undefined, 'Pod')).code).toBe(400);
  });
});

describe('decodeApplyBody', () => {
  it('decodes YAML', () => {
    expect(decodeApplyBody('kind: Pod\nmetadata:\n  name: x\n', 'Pod')).toEqual({
      value: { kind: 'Pod', metadata: { name: 'x' } },
    });
  });
  it('decodes JSON, a part of YAML', () => {
    expect(decodeApplyBody('{"kind":"Pod"}', 'Pod')).toEqual({ value: { kind: 'Pod' } });
  });
  it('answers bad YAML as the API server does', () => {
    expect(errorOf(decodeApplyBody('a: [', 'Pod')).message).toMatch(/^error decoding YAML: /);
  });
  it('refuses __proto__', () => {
    expect(errorOf(decodeApplyBody('__proto__: {}', 'Pod')).message).toMatch(/unknown field "__proto__"$/);
  });
});

describe('decodeDeleteOptions', () => {
  it.each<[string | undefined, unknown]>([
    [undefined, { preconditions: {} }],
    ['  ', { preconditions: {} }],
    ['[]', { preconditions: {} }],
    [
      '{"preconditions":{"resourceVersion":"7","uid":"u"}}',
      { preconditions: { resourceVersion: '7', uid: 'u' } },
    ],
    ['{"preconditions":{"resourceVersion":7}}', { preconditions: {} }],
    ['{"dryRun":["All"]}', { preconditions: {}, dryRun: true }],
    ['{"dryRun":[]}', { preconditions: {}, dryRun: false }],
  ])('%s', (body, options) => {
    expect(decodeDeleteOptions(body)).toEqual({ value: options });
  });
  it('refuses a body that is not JSON, as DeleteOptions', () => {
    expect(errorOf(decodeDeleteOptions('{')).message).toMatch(
      /^DeleteOptions in version "v1" cannot be handled as a DeleteOptions: /,
    );
  });
});
