import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestGkeCluster, useTestApp } from '@gke-emulator/testing';

/**
 * Object metadata as kube-apiserver 1.32 validates it (ValidateObjectMetaAccessor): names by kind, generateName,
 * label keys and values, annotation keys and their 256 KiB total. 422 Invalid Status, `details.causes` as the
 * server writes them; nothing is stored.
 */
const app = useTestApp();
let kube: string;

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const pod = (metadata: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata,
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

beforeAll(async () => {
  ({ kube } = await createTestGkeCluster(app.url, { prefix: 'meta', nodes: 1, maxPods: 8 }));
}, 120_000);

describe('object metadata validation through the Kubernetes API', () => {
  it('refuses a 254-byte pod name and an uppercase one with the apiserver`s causes; stores neither', async () => {
    const pods = `${kube}/api/v1/namespaces/default/pods`;
    const long = 'a'.repeat(254);
    const res = await request(app.url)
      .post(pods)
      .send(pod({ name: long }));
    expect(res.status, res.text).toBe(422);
    expect(res.body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      message: `Pod "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 253 characters`,
      details: { name: long, kind: 'Pod' },
    });
    expect(res.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${long}": must be no more than 253 characters`,
      },
    ]);

    const upper = await request(app.url)
      .post(pods)
      .send(pod({ name: 'Web' }));
    expect(upper.status).toBe(422);
    expect(upper.body.details.causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "Web": ${SUBDOMAIN}` },
    ]);
    const list = await request(app.url).get(pods).expect(200);
    expect(list.body.items.map((item: { metadata: { name: string } }) => item.metadata.name)).toEqual([]);
  });

  it('checks Services as DNS-1035 labels and Namespaces as DNS-1123 labels', async () => {
    const svc = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: '1svc' },
        spec: { ports: [{ port: 80 }] },
      });
    expect(svc.status).toBe(422);
    expect(svc.body.details.causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "1svc": ${DNS1035}` },
    ]);
    const ns = await request(app.url)
      .post(`${kube}/api/v1/namespaces`)
      .send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } });
    expect(ns.status).toBe(422);
    expect(ns.body.message).toBe(
      'Namespace "team.a" is invalid: metadata.name: Invalid value: "team.a": must not contain dots',
    );
  });

  it('generates names from a generateName cut to 58 bytes, and refuses a bad generateName', async () => {
    const pods = `${kube}/api/v1/namespaces/default/pods`;
    const created = await request(app.url)
      .post(pods)
      .send(pod({ generateName: `${'g'.repeat(70)}-` }));
    expect(created.status, created.text).toBe(201);
    expect(created.body.metadata.name).toMatch(new RegExp(`^${'g'.repeat(58)}[a-z0-9]{5}$`));
    await request(app.url).delete(`${pods}/${created.body.metadata.name}`).expect(200);

    const bad = await request(app.url)
      .post(pods)
      .send(pod({ generateName: 'Web-' }));
    expect(bad.status).toBe(422);
    expect(bad.body.details.causes.map((c: { field: string }) => c.field)).toEqual([
      'metadata.generateName',
      'metadata.name',
    ]);
    expect(bad.body.details.causes[0].message).toBe(`Invalid value: "Web-": ${SUBDOMAIN}`);
  });

  it('refuses bad label keys and values, one cause each, on create and on patch', async () => {
    const pods = `${kube}/api/v1/namespaces/default/pods`;
    const res = await request(app.url)
      .post(pods)
      .send(pod({ name: 'l1', labels: { 'Example.com/app': 'web', ['k'.repeat(64)]: '-v' } }));
    expect(res.status).toBe(422);
    expect(res.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.labels',
        message: `Invalid value: "Example.com/app": prefix part ${SUBDOMAIN}`,
      },
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.labels',
        message: `Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`,
      },
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.labels',
        message: expect.stringMatching(/^Invalid value: "-v": a valid label must be an empty string/),
      },
    ]);

    await request(app.url)
      .post(pods)
      .send(pod({ name: 'l2' }))
      .expect(201);
    const patched = await request(app.url)
      .patch(`${pods}/l2`)
      .set('content-type', 'application/merge-patch+json')
      .send({ metadata: { labels: { tier: 'x'.repeat(64) } } });
    expect(patched.status).toBe(422);
    expect(patched.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.labels',
        message: `Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`,
      },
    ]);
  });

  it('refuses label selectors and label maps in specs the apiserver refuses', async () => {
    const res = await request(app.url)
      .post(`${kube}/apis/apps/v1/namespaces/default/deployments`)
      .send({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'sel' },
        spec: {
          selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Near' }] },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { nodeSelector: { 'Pool Name': 'a' }, containers: [{ name: 'c', image: 'nginx' }] },
          },
        },
      });
    expect(res.status, res.text).toBe(422);
    // A selector the server cannot build is "invalid label selector", and no template is checked against it.
    expect(res.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.selector.matchExpressions[0].operator',
        message: 'Invalid value: "Near": not a valid selector operator',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.selector',
        message:
          'Invalid value: {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"Near"}]}: invalid label selector',
      },
    ]);
    const template = await request(app.url)
      .post(`${kube}/apis/apps/v1/namespaces/default/deployments`)
      .send({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'sel' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { nodeSelector: { 'Pool Name': 'a' }, containers: [{ name: 'c', image: 'nginx' }] },
          },
        },
      });
    expect(template.status).toBe(422);
    expect(template.body.details.causes.map((c: { field: string }) => c.field)).toEqual([
      'spec.template.spec.nodeSelector',
    ]);
    const svc = await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'sel' },
        spec: { selector: { app: '-' }, ports: [{ port: 80 }] },
      });
    expect(svc.status).toBe(422);
    expect(svc.body.details.causes[0]).toMatchObject({ field: 'spec.selector', reason: 'FieldValueInvalid' });
  });

  it('refuses 300 KiB of annotations and a bad annotation key, through @kubernetes/client-node', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `${app.url}${kube}`, skipTLSVerify: true }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const core = kc.makeApiClient(CoreV1Api);
    const error = await core
      .createNamespacedPod({
        namespace: 'default',
        body: { ...pod({ name: 'big', annotations: { note: 'x'.repeat(300 * 1024) } }) },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiException);
    const exception = error as ApiException<string>;
    expect(exception.code).toBe(422);
    const status = JSON.parse(exception.body);
    expect(status.message).toBe(
      'Pod "big" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes',
    );
    expect(status.details.causes).toEqual([
      {
        reason: 'FieldValueTooLong',
        field: 'metadata.annotations',
        message: 'Too long: may not be more than 262144 bytes',
      },
    ]);

    const key = await core
      .createNamespacedPod({
        namespace: 'default',
        body: { ...pod({ name: 'key', annotations: { 'a/b/c': '' } }) },
      })
      .catch((caught: unknown) => caught);
    expect((key as ApiException<string>).code).toBe(422);
    expect(JSON.parse((key as ApiException<string>).body).details.causes[0]).toMatchObject({
      field: 'metadata.annotations',
      message: expect.stringMatching(/^Invalid value: "a\/b\/c": a qualified name must consist/),
    });
  });
});
