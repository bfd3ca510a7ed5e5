import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestGkeCluster, testProject, useTestApp } from '@gke-emulator/testing';

const app = useTestApp();

/** `{"a":{"a":...}}` `depth` levels deep, as text (JSON.stringify itself overflows the stack on such values). */
const deep = (depth: number, leaf = '1') => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);

async function send(
  method: 'post' | 'put' | 'patch' | 'get',
  path: string,
  text?: string,
  type = 'application/json',
) {
  let req = request(app.url)[method](path);
  if (text !== undefined) req = req.set('content-type', type).send(text);
  return req;
}

function googleError(res: request.Response, message: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe(400);
  expect(res.body.error.message).toContain(message);
}

function kubeStatus(res: request.Response, message: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
  expect(res.body.message).toContain(message);
}

describe('malformed input gets a 400, never a 5xx', () => {
  let project: string;
  let compute: string;
  beforeAll(async () => {
    project = testProject('bad');
    compute = `/compute/v1/projects/${project}`;
    await request(app.url)
      .post(`${compute}/global/networks`)
      .send({ name: 'n', autoCreateSubnetworks: false })
      .expect(200);
  });

  it('Compute and GKE: NUL and lone surrogates in any string, null list elements, deep nesting', async () => {
    const firewall = (extra: string) =>
      `{"name":"f","network":"global/networks/n","allowed":[{"IPProtocol":"tcp"}]${extra}}`;
    googleError(
      await send('post', `${compute}/global/firewalls`, firewall(',"description":"a\\u0000"')),
      "'description'",
    );
    googleError(
      await send('post', `${compute}/global/firewalls`, firewall(',"targetTags":["\\ud800"]')),
      "'targetTags[0]'",
    );
    googleError(
      await send('post', `${compute}/global/firewalls`, firewall(',"sourceRanges":[null]')),
      "'resource.sourceRanges[0]'",
    );
    googleError(
      await send('post', `${compute}/global/firewalls`, firewall(`,"description":${deep(10_000)}`)),
      'Message too deep',
    );
    googleError(
      await send(
        'post',
        `${compute}/global/firewalls`,
        '{"name":"f","network":"global/networks/n","allowed":[null]}',
      ),
      "'resource.allowed[0]' (TYPE_MESSAGE), null",
    );
    googleError(
      await send(
        'post',
        `${compute}/regions/us-central1/subnetworks`,
        '{"name":"s","network":"global/networks/n","ipCidrRange":"10.0.0.0/24","secondaryIpRanges":[null]}',
      ),
      "'resource.secondaryIpRanges[0]'",
    );
    googleError(
      await send('post', `${compute}/global/securityPolicies`, '{"name":"sp","rules":[null]}'),
      "'resource.rules[0]'",
    );
    googleError(
      await send(
        'post',
        `${compute}/global/securityPolicies`,
        '{"name":"sp","rules":[{"priority":1,"action":"allow","match":{"versionedExpr":"SRC_IPS_V1","config":{"srcIpRanges":[null]}}}]}',
      ),
      "'resource.rules[0].match.config.srcIpRanges[0]'",
    );
    const gke = `/v1/projects/${project}/locations/us-central1-a/clusters`;
    googleError(
      await send('post', gke, '{"cluster":{"name":"c","description":"\\u0000"}}'),
      "'cluster.description'",
    );
    googleError(
      await send('post', gke, '{"cluster":{"name":"c","resourceLabels":{"a":"\\udc00"}}}'),
      "'cluster.resourceLabels.a'",
    );
    googleError(await send('post', gke, `{"cluster":{"name":"c","x":${deep(10_000)}}}`), 'Message too deep');
  });

  it('Compute and GKE: %00 in a path or query segment', async () => {
    googleError(await send('get', `${compute}/global/networks/n%00`), '%00');
    googleError(await send('get', `/compute/v1/projects/${project}%00/global/networks`), '%00');
    googleError(await send('get', `${compute}/global/networks?pageToken=%00`), '%00');
    googleError(await send('get', `/v1/projects/${project}/locations/us-central1-a/clusters/c%00`), '%00');
    await request(app.url).get(`${compute}/global/networks/n`).expect(200);
  });

  it('Kubernetes: NUL refused, lone surrogates replaced with U+FFFD (as Go decodes them), nesting bounded, %00', async () => {
    const { kube } = await createTestGkeCluster(app.url, { prefix: 'bad', nodes: 1 });
    const namespaces = `${kube}/api/v1/namespaces`;
    const pods = `${kube}/api/v1/namespaces/default/pods`;
    kubeStatus(
      await send('post', namespaces, '{"metadata":{"name":"a","annotations":{"x":"\\u0000"}}}'),
      'metadata.annotations.x',
    );
    kubeStatus(await send('post', namespaces, '{"metadata":{"name":"a","labels":{"\\u0000":"x"}}}'), 'NUL');
    kubeStatus(
      await send(
        'post',
        pods,
        '{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"a\\u0000"}]}}',
      ),
      'spec.containers[0].image',
    );
    kubeStatus(
      await send('post', namespaces, `{"metadata":{"name":"a"},"x":${deep(10_000, '"x"')}}`),
      'max depth',
    );
    await request(app.url)
      .post(namespaces)
      .send({ metadata: { name: 'a' } })
      .expect(201);
    kubeStatus(
      await send('patch', `${namespaces}/a`, `{"x":${deep(10_000, '"x"')}}`, 'application/merge-patch+json'),
      'max depth',
    );
    kubeStatus(
      await send(
        'patch',
        `${namespaces}/a?fieldManager=t`,
        `apiVersion: v1\nkind: Namespace\nmetadata: {"labels": {"a": "\\u0000"}}`,
        'application/apply-patch+yaml',
      ),
      'NUL',
    );
    const created = await send(
      'post',
      namespaces,
      '{"metadata":{"name":"s","annotations":{"x":"a\\ud800b"}}}',
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.metadata.annotations.x).toBe('a\ufffdb');
    kubeStatus(await send('get', `${namespaces}/s%00`), '%00');
    kubeStatus(await send('get', `${namespaces}?labelSelector=a%3D%00`), '%00');
    await request(app.url).get(`${namespaces}/s`).expect(200);
  });
});
