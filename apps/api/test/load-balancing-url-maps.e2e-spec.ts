import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

type Json = Record<string, unknown>;
const base = (project: string) => `/compute/v1/projects/${project}`;
const maps = (project: string) => `${base(project)}/global/urlMaps`;
const proxies = (project: string) => `${base(project)}/global/targetHttpProxies`;
const regionalMaps = (project: string) => `${base(project)}/regions/us-central1/urlMaps`;

/** A link field as the client sees it: rendered against the base URL it used. */
const link = (path: string) => `${app.url}/compute/v1/${path}`;

async function insert(url: string, body: Json) {
  const res = await request(app.url).post(url).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.error, JSON.stringify(res.body)).toBeUndefined();
  return res;
}

/** A project with global backend services `web` and `api` (HTTP, EXTERNAL) and a regional INTERNAL_MANAGED `rweb`. */
async function setup() {
  const project = testProject('um');
  await insert(`${base(project)}/global/backendServices`, { name: 'web' });
  await insert(`${base(project)}/global/backendServices`, { name: 'api' });
  await insert(`${base(project)}/regions/us-central1/backendServices`, {
    name: 'rweb',
    loadBalancingScheme: 'INTERNAL_MANAGED',
  });
  return project;
}

const bs = (project: string, name: string) => `projects/${project}/global/backendServices/${name}`;

describe('urlMaps', () => {
  it('inserts with a default service, host rules and path matchers, resolving services to links', async () => {
    const project = await setup();
    await insert(maps(project), {
      name: 'lb',
      defaultService: 'web',
      hostRules: [{ hosts: ['api.example.com'], pathMatcher: 'api' }],
      pathMatchers: [
        {
          name: 'api',
          defaultService: `global/backendServices/api`,
          pathRules: [
            {
              paths: ['/v1/*', '/health'],
              service: `https://www.googleapis.com/compute/v1/${bs(project, 'web')}`,
            },
          ],
        },
      ],
    });
    const got = await request(app.url)
      .get(`${maps(project)}/lb`)
      .expect(200);
    expect(got.body).toEqual({
      kind: 'compute#urlMap',
      id: got.body.id,
      creationTimestamp: got.body.creationTimestamp,
      name: 'lb',
      defaultService: link(bs(project, 'web')),
      hostRules: [{ hosts: ['api.example.com'], pathMatcher: 'api' }],
      pathMatchers: [
        {
          name: 'api',
          defaultService: link(bs(project, 'api')),
          pathRules: [{ paths: ['/v1/*', '/health'], service: link(bs(project, 'web')) }],
        },
      ],
      fingerprint: expect.any(String),
      selfLink: `${app.url}/compute/v1/projects/${project}/global/urlMaps/lb`,
      // As the real logs show it: no forwarding rule reaches the map yet.
      status: { quotaUsage: { forwardingRules: 0, units: '61' } },
    });
    // A forwarding rule reaching the map through a target HTTP proxy counts in its quota usage.
    await insert(proxies(project), { name: 'px', urlMap: 'global/urlMaps/lb' });
    await insert(`${base(project)}/global/forwardingRules`, {
      name: 'fr',
      target: 'global/targetHttpProxies/px',
      IPProtocol: 'TCP',
      portRange: '80',
      loadBalancingScheme: 'EXTERNAL',
    });
    const reached = await request(app.url)
      .get(`${maps(project)}/lb`)
      .expect(200);
    expect(reached.body.status).toEqual({ quotaUsage: { forwardingRules: 1, units: '61' } });

    await insert(regionalMaps(project), { name: 'internal', defaultService: 'rweb' });
    const regional = (await request(app.url).get(`${regionalMaps(project)}/internal`)).body;
    expect(regional.defaultService).toEqual(
      link(`projects/${project}/regions/us-central1/backendServices/rweb`),
    );
    const agg = await request(app.url)
      .get(`${base(project)}/aggregated/urlMaps`)
      .expect(200);
    expect(agg.body.items.global.urlMaps).toHaveLength(1);
    expect(agg.body.items['regions/us-central1'].urlMaps).toHaveLength(1);
  });

  it('patches and updates with fingerprints, and keeps backend services in use', async () => {
    const project = await setup();
    await insert(maps(project), { name: 'lb', defaultService: 'web' });
    const before = (await request(app.url).get(`${maps(project)}/lb`)).body;
    await request(app.url)
      .patch(`${maps(project)}/lb`)
      .send({ defaultService: 'api', fingerprint: before.fingerprint })
      .expect(200);
    const stale = await request(app.url)
      .put(`${maps(project)}/lb`)
      .send({ name: 'lb', defaultService: 'web', fingerprint: before.fingerprint });
    expect(stale.status).toBe(412);
    expect(stale.body.error.errors[0].reason).toBe('conditionNotMet');

    // `web` is no longer used; `api` is.
    expect(
      (await request(app.url).delete(`${base(project)}/global/backendServices/web`)).body.error,
    ).toBeUndefined();
    const inUse = await request(app.url)
      .delete(`${base(project)}/global/backendServices/api`)
      .expect(400);
    // computeurlmap (real log): a backend service in use is refused at once, in Google's words.
    expect(inUse.body.error.errors[0].reason).toBe('resourceInUseByAnotherResource');
    expect(inUse.body.error.message).toBe(
      `The backend_service resource '${bs(project, 'api')}' is already being used by 'projects/${project}/global/urlMaps/lb'`,
    );
    const current = (await request(app.url).get(`${maps(project)}/lb`)).body;
    await insert(`${base(project)}/global/backendServices`, { name: 'other' });
    await request(app.url)
      .put(`${maps(project)}/lb`)
      .send({ name: 'lb', defaultService: 'other', fingerprint: current.fingerprint })
      .expect(200);
    expect(
      (await request(app.url).delete(`${base(project)}/global/backendServices/api`)).body.error,
    ).toBeUndefined();

    const op = await request(app.url)
      .post(`${maps(project)}/lb/invalidateCache`)
      .send({ path: '/*' })
      .expect(200);
    expect(op.body).toMatchObject({ operationType: 'invalidateCache', status: 'DONE' });
  });

  it('validates as Google does', async () => {
    const project = await setup();
    await insert(`${base(project)}/global/backendServices`, { name: 'tcp', protocol: 'TCP' });
    await insert(`${base(project)}/global/backendServices`, {
      name: 'managed',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
    });
    const matcher = (extra: Json) => ({ name: 'm', defaultService: 'web', ...extra });
    const cases: [Json, number, string][] = [
      [
        {},
        400,
        "Invalid value for field 'resource.defaultService': ''. One of defaultService, defaultUrlRedirect or defaultRouteAction must be set.",
      ],
      [{ defaultService: 'nope' }, 404, `The resource '${bs(project, 'nope')}' was not found`],
      [
        { defaultService: `projects/${project}/regions/us-central1/backendServices/rweb` },
        400,
        'A global URL map can only use global backend services.',
      ],
      [
        { defaultService: 'tcp' },
        400,
        'A backend service with load balancing scheme EXTERNAL and protocol TCP cannot be used by a URL map.',
      ],
      [
        { defaultService: 'web', pathMatchers: [matcher({ defaultService: 'managed' })] },
        400,
        "Invalid value for field 'resource.pathMatchers[0].defaultService': 'managed'. All backend services of a URL map must have the same load balancing scheme (EXTERNAL).",
      ],
      [
        { defaultService: 'web', hostRules: [{ hosts: ['a.com'], pathMatcher: 'missing' }] },
        400,
        "Invalid value for field 'resource.hostRules[0].pathMatcher': 'missing'. The URL map has no path matcher named 'missing'.",
      ],
      [
        { defaultService: 'web', hostRules: [{ hosts: ['a.com'] }], pathMatchers: [matcher({})] },
        400,
        "Required field 'resource.hostRules[0].pathMatcher' not specified",
      ],
      [
        {
          defaultService: 'web',
          hostRules: [
            { hosts: ['a.com'], pathMatcher: 'm' },
            { hosts: ['a.com'], pathMatcher: 'm' },
          ],
          pathMatchers: [matcher({})],
        },
        400,
        "Invalid value for field 'resource.hostRules[1].hosts[0]': 'a.com'. A host can only appear in one host rule",
      ],
      [
        { defaultService: 'web', pathMatchers: [{ defaultService: 'web' }] },
        400,
        "Required field 'resource.pathMatchers[0].name' not specified",
      ],
      [
        { defaultService: 'web', pathMatchers: [matcher({}), matcher({})] },
        400,
        'Path matcher names must be unique.',
      ],
      [
        { defaultService: 'web', pathMatchers: [{ name: 'm' }] },
        400,
        "Invalid value for field 'resource.pathMatchers[0].defaultService': ''. One of defaultService",
      ],
      [
        {
          defaultService: 'web',
          pathMatchers: [matcher({ pathRules: [{ paths: ['/a*'], service: 'web' }] })],
        },
        400,
        "Invalid value for field 'resource.pathMatchers[0].pathRules[0].paths[0]': '/a*'.",
      ],
      [
        {
          defaultService: 'web',
          pathMatchers: [
            matcher({
              pathRules: [
                { paths: ['/a'], service: 'web' },
                { paths: ['/a'], service: 'api' },
              ],
            }),
          ],
        },
        400,
        "Invalid value for field 'resource.pathMatchers[0].pathRules[1].paths[0]': '/a'. Duplicate path in path matcher 'm'.",
      ],
      [
        { defaultService: 'web', pathMatchers: [matcher({ pathRules: [{ paths: ['/a'] }] })] },
        400,
        "Invalid value for field 'resource.pathMatchers[0].pathRules[0].service': ''.",
      ],
      [
        { defaultService: 'web', hostRules: [{ host: 'x' }] },
        400,
        'Unknown name "host" at \'resource.hostRules[0]\'',
      ],
    ];
    for (const [body, status, message] of cases) {
      const res = await request(app.url)
        .post(maps(project))
        .send({ name: 'x', ...body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
  });
});

describe('targetHttpProxies', () => {
  it('inserts with a URL map reference, switches it with setUrlMap, and keeps URL maps in use', async () => {
    const project = await setup();
    await insert(maps(project), { name: 'lb', defaultService: 'web' });
    await insert(maps(project), { name: 'lb2', defaultService: 'api' });
    await insert(proxies(project), { name: 'proxy', urlMap: 'lb' });
    const got = await request(app.url)
      .get(`${proxies(project)}/proxy`)
      .expect(200);
    expect(got.body).toEqual({
      kind: 'compute#targetHttpProxy',
      id: got.body.id,
      creationTimestamp: got.body.creationTimestamp,
      name: 'proxy',
      urlMap: link(`projects/${project}/global/urlMaps/lb`),
      fingerprint: expect.any(String),
      selfLink: `${app.url}/compute/v1/projects/${project}/global/targetHttpProxies/proxy`,
    });
    const inUse = await request(app.url)
      .delete(`${maps(project)}/lb`)
      .expect(400);
    expect(inUse.body.error.message).toBe(
      `The url_map resource 'projects/${project}/global/urlMaps/lb' is already being used by 'projects/${project}/global/targetHttpProxies/proxy'`,
    );
    const op = await request(app.url)
      .post(`${proxies(project)}/proxy/setUrlMap`)
      .send({ urlMap: `projects/${project}/global/urlMaps/lb2` })
      .expect(200);
    expect(op.body).toMatchObject({ operationType: 'setUrlMap', status: 'DONE' });
    const switched = (await request(app.url).get(`${proxies(project)}/proxy`)).body;
    expect(switched.urlMap).toEqual(link(`projects/${project}/global/urlMaps/lb2`));
    expect(switched.fingerprint).not.toBe(got.body.fingerprint);
    expect((await request(app.url).delete(`${maps(project)}/lb`)).body.error).toBeUndefined();

    await request(app.url)
      .patch(`${proxies(project)}/proxy`)
      .send({ description: 'edge' })
      .expect(200);
    expect((await request(app.url).get(`${proxies(project)}/proxy`)).body.description).toBe('edge');
    await request(app.url)
      .put(`${proxies(project)}/proxy`)
      .send({ name: 'proxy', urlMap: 'lb2' })
      .expect(501);

    await insert(regionalMaps(project), { name: 'internal', defaultService: 'rweb' });
    await insert(`${base(project)}/regions/us-central1/targetHttpProxies`, {
      name: 'rproxy',
      urlMap: 'internal',
    });
    const list = await request(app.url)
      .get(`${base(project)}/aggregated/targetHttpProxies`)
      .expect(200);
    expect(list.body.items.global.targetHttpProxies).toHaveLength(1);
    expect(list.body.items['regions/us-central1'].targetHttpProxies).toHaveLength(1);
  });

  it('validates as Google does', async () => {
    const project = await setup();
    await insert(maps(project), { name: 'lb', defaultService: 'web' });
    await insert(regionalMaps(project), { name: 'internal', defaultService: 'rweb' });
    await insert(proxies(project), { name: 'proxy', urlMap: 'lb' });
    const cases: [Json, number, string][] = [
      [{}, 400, "Required field 'resource.urlMap' not specified"],
      [{ urlMap: 'nope' }, 404, `The resource 'projects/${project}/global/urlMaps/nope' was not found`],
      [
        { urlMap: 'regions/us-central1/urlMaps/internal' },
        400,
        'A global target HTTP proxy must use a global URL map.',
      ],
      [
        { urlMap: 'global/backendServices/web' },
        400,
        "Invalid value for field 'resource.urlMap': 'global/backendServices/web'. Must be a link to one of: urlMaps.",
      ],
    ];
    for (const [body, status, message] of cases) {
      const res = await request(app.url)
        .post(proxies(project))
        .send({ name: 'x', ...body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
    const verb = await request(app.url)
      .post(`${proxies(project)}/proxy/setUrlMap`)
      .send({ urlMap: 'nope' });
    expect(verb.status).toBe(404);
    const unknown = await request(app.url)
      .post(`${proxies(project)}/proxy/setUrlMap`)
      .send({ map: 'lb' });
    expect(unknown.body.error.message).toContain('Unknown name "map" at \'urlMapReferenceResource\'');
    const missing = await request(app.url)
      .post(`${proxies(project)}/nope/setUrlMap`)
      .send({ urlMap: 'lb' });
    expect(missing.status).toBe(404);
  });
});
