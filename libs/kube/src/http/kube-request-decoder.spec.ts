import { describe, expect, it } from 'vitest';
import { KubeStatusError } from '../api/kube-status';
import type { Decoded, KubeRequest } from '../apiserver/kube-request';
import {
  decodeApplyBody,
  decodeApplyOptions,
  decodeDeleteOptions,
  decodeDeleteRequestOptions,
  decodeJsonBody,
  decodeKubeRequest,
  decodeListOptions,
  decodeSelectors,
  decodeWatchOptions,
  decodeWriteOptions,
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

describe('query options', () => {
  const badRequest = (message: string) => ({ code: 400, message });

  it('selectors are carried as sent, for the API to parse against the kind', () => {
    expect(decodeSelectors({})).toEqual({});
    expect(decodeSelectors({ labelSelector: 'app=web', fieldSelector: '' })).toEqual({
      labelSelector: 'app=web',
      fieldSelector: '',
    });
  });

  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['0', 0],
    ['2', 2],
    [' 7 ', 7],
    ['1e2', 100],
  ])('limit %j is %j', (limit, value) => {
    expect(decodeListOptions({ limit }).limit).toEqual({ value });
  });

  it.each(['x', '-1', '1.5', 'NaN', 'Infinity'])('limit %j is refused as the API server does', (limit) => {
    expect(errorOf(decodeListOptions({ limit }).limit)).toEqual(badRequest(`invalid limit: ${limit}`));
  });

  it('continue is the token as sent, and an empty one is none', () => {
    expect(decodeListOptions({ continue: 'abc' }).continue).toBe('abc');
    expect(decodeListOptions({ continue: '' })).not.toHaveProperty('continue');
  });

  it.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['0', '0'],
    ['0042', '0042'],
  ])('watch resourceVersion %j is %j', (resourceVersion, value) => {
    expect(decodeWatchOptions({ resourceVersion }).resourceVersion).toEqual({ value });
  });

  it.each(['x', '-1', '1.0', ' 1'])('watch resourceVersion %j is refused', (resourceVersion) => {
    expect(errorOf(decodeWatchOptions({ resourceVersion }).resourceVersion)).toEqual(
      badRequest(`resourceVersion: Invalid value: "${resourceVersion}": must be a valid integer`),
    );
  });

  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['0', 0],
    ['30', 30],
  ])('timeoutSeconds %j is %j', (timeoutSeconds, value) => {
    expect(decodeWatchOptions({ timeoutSeconds }).timeoutSeconds).toEqual({ value });
  });

  it.each(['', 'x', '-1', '1.5'])('timeoutSeconds %j is refused', (timeoutSeconds) => {
    expect(errorOf(decodeWatchOptions({ timeoutSeconds }).timeoutSeconds)).toEqual(
      badRequest(`timeoutSeconds: Invalid value: "${timeoutSeconds}": must be a non-negative integer`),
    );
  });

  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['All', true],
  ])('dryRun %j is %j', (dryRun, value) => {
    expect(decodeWriteOptions({ dryRun }).dryRun).toEqual({ value });
  });

  it.each(['', 'all', 'None', 'true'])('dryRun %j is refused', (dryRun) => {
    expect(errorOf(decodeWriteOptions({ dryRun }).dryRun)).toEqual(
      badRequest(`Invalid dry run value: ${dryRun}: supported values: "All"`),
    );
  });

  it.each<[string | undefined, string]>([
    [undefined, 'Warn'],
    ['', 'Warn'],
    ['Strict', 'Strict'],
    ['Warn', 'Warn'],
    ['Ignore', 'Ignore'],
  ])('fieldValidation %j is %s', (fieldValidation, value) => {
    expect(decodeWriteOptions({ fieldValidation }).fieldValidation).toEqual({ value });
  });

  it.each(['strict', 'None'])('fieldValidation %j is refused', (fieldValidation) => {
    expect(errorOf(decodeWriteOptions({ fieldValidation }).fieldValidation)).toEqual(
      badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${fieldValidation}"`),
    );
  });

  it.each<[string | undefined]>([[undefined], [''], ['kubectl-edit'], ['m'.repeat(128)]])(
    'fieldManager %j is carried',
    (fieldManager) => {
      expect(decodeWriteOptions({ fieldManager }).fieldManager).toEqual({ value: fieldManager });
    },
  );

  it.each(['m'.repeat(129), 'tab\there', 'caf\u00e9'])('fieldManager %j is refused', (fieldManager) => {
    expect(errorOf(decodeWriteOptions({ fieldManager }).fieldManager)).toEqual(
      badRequest('fieldManager: Invalid value: must be no more than 128 characters and printable'),
    );
  });

  it('server-side apply requires a field manager, and does not check its form', () => {
    const required = badRequest(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    expect(errorOf(decodeApplyOptions({}).applyManager)).toEqual(required);
    expect(errorOf(decodeApplyOptions({ fieldManager: '' }).applyManager)).toEqual(required);
    const long = 'm'.repeat(129);
    expect(decodeApplyOptions({ fieldManager: long }).applyManager).toEqual({ value: long });
    // the write options of an apply are checked as any write's (a scale subresource reads them)
    expect(errorOf(decodeApplyOptions({ fieldManager: long }).fieldManager).code).toBe(400);
  });

  it.each<[Record<string, string>, string | undefined, unknown]>([
    [{}, undefined, { preconditions: {}, dryRun: false }],
    [{ dryRun: 'All' }, undefined, { preconditions: {}, dryRun: true }],
    [{ dryRun: 'All' }, '{"dryRun":[]}', { preconditions: {}, dryRun: false }],
    [{}, '{"dryRun":["All"]}', { preconditions: {}, dryRun: true }],
    [{}, '{"preconditions":{"uid":"u"}}', { preconditions: { uid: 'u' }, dryRun: false }],
  ])('delete options of %j and %s merge to %j', (query, body, options) => {
    expect(decodeDeleteRequestOptions(query, body)).toEqual({ value: options });
  });

  it("a delete's bad query dryRun is answered before its bad body", () => {
    expect(errorOf(decodeDeleteRequestOptions({ dryRun: 'x' }, '{'))).toEqual(
      badRequest('Invalid dry run value: x: supported values: "All"'),
    );
    expect(errorOf(decodeDeleteRequestOptions({}, '{')).message).toMatch(/^DeleteOptions in version "v1"/);
  });

  it.each<[string | undefined, string]>([
    [undefined, 'Metadata'],
    ['Metadata', 'Metadata'],
    ['None', 'None'],
    ['Object', 'Object'],
    ['object', 'Metadata'],
  ])('includeObject %j is %s', (includeObject, value) => {
    const query = includeObject === undefined ? {} : { includeObject };
    expect(decodeKubeRequest(raw('GET', POD, { query }))).toMatchObject({ includeObject: value });
  });

  it('each verb carries the options it reads, their errors unraised', () => {
    const query = {
      labelSelector: 'a=b',
      limit: 'x',
      resourceVersion: 'x',
      dryRun: 'x',
      fieldManager: 'm',
      fieldValidation: 'x',
    };
    const list = decodeKubeRequest(raw('GET', PODS, { query }));
    if (list.verb !== 'list') throw new Error(list.verb);
    expect(list.selectors).toEqual({ labelSelector: 'a=b' });
    expect(errorOf(list.options.limit).message).toBe('invalid limit: x');

    const watch = decodeKubeRequest(raw('GET', PODS, { query: { ...query, watch: 'true' } }));
    if (watch.verb !== 'watch') throw new Error(watch.verb);
    expect(watch.selectors).toEqual({ labelSelector: 'a=b' });
    expect(errorOf(watch.options.resourceVersion).code).toBe(400);

    for (const [method, extra] of [
      ['POST', { body: '{}' }],
      ['PUT', { body: '{}' }],
      ['PATCH', { contentType: 'application/merge-patch+json', body: '{}' }],
      ['PATCH', { contentType: 'text/plain' }],
    ] as const) {
      const request = decodeKubeRequest(raw(method, method === 'POST' ? PODS : POD, { query, ...extra }));
      if (request.verb !== 'create' && request.verb !== 'update' && request.verb !== 'patch')
        throw new Error(request.verb);
      expect(errorOf(request.options.dryRun).code).toBe(400);
      expect(request.options.fieldManager).toEqual({ value: 'm' });
      expect(errorOf(request.options.fieldValidation).code).toBe(400);
    }

    const apply = decodeKubeRequest(
      raw('PATCH', POD, { query, contentType: 'application/apply-patch+yaml', body: 'a: 1' }),
    );
    if (apply.verb !== 'apply') throw new Error(apply.verb);
    expect(apply.options.applyManager).toEqual({ value: 'm' });
    expect(errorOf(apply.options.dryRun).code).toBe(400);

    const collection = decodeKubeRequest(raw('DELETE', PODS, { query }));
    if (collection.verb !== 'deletecollection') throw new Error(collection.verb);
    expect(collection.selectors).toEqual({ labelSelector: 'a=b' });
    expect(errorOf(collection.options).message).toBe('Invalid dry run value: x: supported values: "All"');

    const deletion = decodeKubeRequest(raw('DELETE', POD, { query: { dryRun: 'All' } }));
    if (deletion.verb !== 'delete') throw new Error(deletion.verb);
    expect(deletion.options).toEqual({ value: { preconditions: {}, dryRun: true } });
  });
});
