import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT, clip, formatRequestLine, projectOf, registerRequestLog } from './request-log';

describe('projectOf', () => {
  it.each([
    ['/compute/v1/projects/demo/global/networks', 'demo'],
    ['/v1/projects/demo/locations/us-central1-a/clusters', 'demo'],
    ['/emulator/v1/projects/p-1/locations/l/clusters/c/nodes/n/iptables', 'p-1'],
    ['/k8s/demo/us-central1-a/c1/api/v1/pods', 'demo'],
    ['/emulator/v1/dataplane?project=q', 'q'],
    ['/emulator/v1/reset', undefined],
    ['/healthz', undefined],
    ['/', undefined],
  ])('%s -> %s', (url, project) => expect(projectOf(url)).toBe(project));
});

describe('formatRequestLine', () => {
  const time = new Date('2026-12-07T07:38:58.701Z');
  const entry = {
    time,
    method: 'GET',
    path: '/compute/v1/projects/demo/global/networks',
    status: 200,
    ms: 12.34,
  };

  it('pretty: time, method, path, status, ms and project on one line', () => {
    expect(formatRequestLine({ ...entry, project: 'demo' }, 'pretty')).toBe(
      '07:38:58.701 GET    /compute/v1/projects/demo/global/networks 200 12.3ms project=demo',
    );
    expect(formatRequestLine({ ...entry, path: '/', status: 302, ms: 1 }, 'pretty')).toBe(
      '07:38:58.701 GET    / 302 1ms',
    );
    expect(formatRequestLine({ ...entry, listener: 'kube' }, 'pretty')).toMatch(/ \(kube\)$/);
  });

  it('pretty with bodies: indented lines under the request line', () => {
    const line = formatRequestLine({ ...entry, requestBody: '{"a":1}', responseBody: '{"b":2}' }, 'pretty');
    expect(line.split('\n')).toEqual([
      '07:38:58.701 GET    /compute/v1/projects/demo/global/networks 200 12.3ms',
      '  request: {"a":1}',
      '  response: {"b":2}',
    ]);
  });

  it('json: one object per line, optional fields only when known', () => {
    expect(JSON.parse(formatRequestLine(entry, 'json'))).toEqual({
      time: '2026-12-07T07:38:58.701Z',
      method: 'GET',
      path: '/compute/v1/projects/demo/global/networks',
      status: 200,
      ms: 12.3,
    });
    const withBodies = formatRequestLine({ ...entry, project: 'demo', requestBody: 'x\ny' }, 'json');
    expect(withBodies).not.toContain('\n');
    expect(JSON.parse(withBodies)).toMatchObject({ project: 'demo', requestBody: 'x\ny' });
  });

  it('clips long bodies and says how long they were', () => {
    const long = 'x'.repeat(BODY_LIMIT + 10);
    expect(clip(long)).toBe(`${'x'.repeat(BODY_LIMIT)}… (${BODY_LIMIT + 10} characters)`);
    expect(clip('short')).toBe('short');
  });
});

describe('registerRequestLog', () => {
  async function serve(bodies: boolean) {
    const lines: string[] = [];
    const app = Fastify();
    registerRequestLog(app, { format: 'json', bodies, write: (line) => lines.push(line) });
    app.post('/compute/v1/projects/:project/global/networks', async (request) => ({ echo: request.body }));
    app.get('/missing', async (_request, reply) => reply.code(404).send({ error: 'no' }));
    await app.ready();
    return { app, lines };
  }

  it('writes one line per request, with its status and project', async () => {
    const { app, lines } = await serve(false);
    await app.inject({
      method: 'POST',
      url: '/compute/v1/projects/demo/global/networks',
      payload: { name: 'n' },
    });
    await app.inject({ method: 'GET', url: '/missing?project=other' });
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      { method: 'POST', path: '/compute/v1/projects/demo/global/networks', status: 200, project: 'demo' },
      { method: 'GET', path: '/missing?project=other', status: 404, project: 'other' },
    ]);
    expect(lines[0]).not.toContain('requestBody');
    await app.close();
  });

  it('adds the bodies at debug', async () => {
    const { app, lines } = await serve(true);
    await app.inject({
      method: 'POST',
      url: '/compute/v1/projects/demo/global/networks',
      payload: { name: 'n' },
    });
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      requestBody: '{"name":"n"}',
      responseBody: '{"echo":{"name":"n"}}',
    });
    await app.close();
  });
});
