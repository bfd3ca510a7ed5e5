import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClusterLifecycle } from '@gke-emulator/container';
import { useTestApp } from '@gke-emulator/testing';
import { createTestCluster, type TestCluster } from './support/kube-test-cluster';

const app = useTestApp();

const deployment = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    },
    ...extra,
  },
});

describe('Kubernetes API over the plain listener', () => {
  let cluster: TestCluster;
  const http = () => request(app.url);
  const path = (rest: string) => `${cluster.prefix}${rest}`;

  beforeAll(async () => {
    cluster = await createTestCluster(app.database);
  });

  it('serves discovery', async () => {
    expect((await http().get(path('/version'))).body).toMatchObject({ major: '1', minor: '32' });
    expect((await http().get(path('/api'))).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const apis = await http().get(path('/apis'));
    expect(apis.body.groups.map((g: { name: string }) => g.name)).toEqual([
      'apps',
      'events.k8s.io',
      'discovery.k8s.io',
      'networking.k8s.io',
      'cloud.google.com',
    ]);
    const apps = await http().get(path('/apis/apps/v1'));
    expect(apps.body.resources).toContainEqual(
      expect.objectContaining({ name: 'deployments/scale', group: 'autoscaling', kind: 'Scale' }),
    );
  });

  it('answers 404 Status for an unknown cluster and path', async () => {
    const missing = await http().get(`/k8s/${cluster.project}/${cluster.location}/nope/api/v1/pods`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    const unknown = await http().get(path('/api/v1/widgets'));
    expect(unknown.body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
  });

  it('has the default namespaces and renders nodes', async () => {
    const namespaces = await http().get(path('/api/v1/namespaces'));
    expect(namespaces.body.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    const nodes = await http().get(path('/api/v1/nodes'));
    expect(nodes.body.items).toHaveLength(2);
    const node = nodes.body.items[0];
    expect(node.metadata.labels).toMatchObject({
      'cloud.google.com/gke-nodepool': 'default-pool',
      'kubernetes.io/hostname': cluster.nodes[0],
    });
    expect(node.spec).toMatchObject({
      podCIDR: '10.4.0.0/24',
      providerID: `gce://${cluster.project}/us-central1-a/${cluster.nodes[0]}`,
    });
    expect(node.status.addresses).toEqual([
      { type: 'InternalIP', address: '10.128.0.2' },
      { type: 'Hostname', address: cluster.nodes[0] },
    ]);
  });

  it('creates, reads, updates, patches and deletes a deployment', async () => {
    const created = await http()
      .post(path('/apis/apps/v1/namespaces/default/deployments'))
      .send(deployment('web'));
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: 'web', namespace: 'default', generation: 1 });
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });

    const again = await http()
      .post(path('/apis/apps/v1/namespaces/default/deployments'))
      .send(deployment('web'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      reason: 'AlreadyExists',
      message: 'deployments.apps "web" already exists',
    });

    const stale = { ...created.body, metadata: { ...created.body.metadata, resourceVersion: '1' } };
    const conflict = await http().put(path('/apis/apps/v1/namespaces/default/deployments/web')).send(stale);
    expect(conflict.status).toBe(409);
    expect(conflict.body.reason).toBe('Conflict');

    const merge = await http()
      .patch(path('/apis/apps/v1/namespaces/default/deployments/web'))
      .set('content-type', 'application/merge-patch+json')
      .send({ metadata: { labels: { tier: 'front' } }, spec: { replicas: 3 } });
    expect(merge.status).toBe(200);
    expect(merge.body.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(merge.body.metadata.generation).toBe(2);

    const strategic = await http()
      .patch(path('/apis/apps/v1/namespaces/default/deployments/web'))
      .set('content-type', 'application/strategic-merge-patch+json')
      .send({ spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox' }] } } } });
    expect(strategic.body.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual([
      'web',
      'sidecar',
    ]);

    const scale = await http()
      .patch(path('/apis/apps/v1/namespaces/default/deployments/web/scale'))
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { replicas: 5 } });
    expect(scale.body).toMatchObject({ kind: 'Scale', spec: { replicas: 5 } });

    const deleted = await http().delete(path('/apis/apps/v1/namespaces/default/deployments/web'));
    expect(deleted.status).toBe(200);
    const gone = await http().get(path('/apis/apps/v1/namespaces/default/deployments/web'));
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe('deployments.apps "web" not found');
  });

  it('refuses bad input with the right Status', async () => {
    const unknownField = await http()
      .post(path('/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict'))
      .send(deployment('strict', { replicaz: 1 }));
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.message).toContain('strict decoding error: unknown field "spec.replicaz"');

    const warned = await http()
      .post(path('/apis/apps/v1/namespaces/default/deployments?fieldValidation=Warn'))
      .send(deployment('warned', { replicaz: 1 }));
    expect(warned.status).toBe(201);
    expect(warned.headers['warning']).toContain('unknown field \\"spec.replicaz\\"');

    const badName = await http()
      .post(path('/apis/apps/v1/namespaces/default/deployments'))
      .send(deployment('Bad_Name'));
    expect(badName.status).toBe(422);
    expect(badName.body).toMatchObject({
      reason: 'Invalid',
      details: { causes: [expect.objectContaining({ field: 'metadata.name', reason: 'FieldValueInvalid' })] },
    });

    const missingNamespace = await http()
      .post(path('/apis/apps/v1/namespaces/nope/deployments'))
      .send(deployment('x'));
    expect(missingNamespace.status).toBe(404);
    expect(missingNamespace.body.message).toBe('namespaces "nope" not found');

    const badSelector = await http().get(path('/api/v1/pods?labelSelector=app%20in%20(a'));
    expect(badSelector.status).toBe(400);
    expect(badSelector.body.reason).toBe('BadRequest');

    const badField = await http().get(path('/api/v1/pods?fieldSelector=spec.foo%3Dbar'));
    expect(badField.body).toMatchObject({ code: 400, message: 'field label not supported: spec.foo' });

    const notAllowed = await http().post(path('/api/v1/nodes')).send({});
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.body.reason).toBe('MethodNotAllowed');

    const notJson = await http()
      .post(path('/api/v1/namespaces/default/pods'))
      .set('content-type', 'application/json')
      .send('{');
    expect(notJson.status).toBe(400);
  });

  it('server-side applies an events.k8s.io/v1 Event: stored as core/v1, its fields owned in v1 names', async () => {
    const eventPath = path('/apis/events.k8s.io/v1/namespaces/default/events/applied.1');
    const apply = (body: Record<string, unknown>, manager = 'greeter') =>
      http()
        .patch(`${eventPath}?fieldManager=${manager}`)
        .set('content-type', 'application/apply-patch+yaml')
        .send(JSON.stringify(body));
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'applied.1' },
      eventTime: '2026-12-07T10:00:00.000000Z',
      type: 'Normal',
      reason: 'Greeted',
      action: 'Greet',
      note: 'hello',
      reportingController: 'example.com/greeter',
      reportingInstance: 'greeter-0',
      regarding: { kind: 'Pod', name: 'p', namespace: 'default', apiVersion: 'v1' },
    };

    const created = await apply(event);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'hello', action: 'Greet' });
    expect(created.body.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'greeter', operation: 'Apply', apiVersion: 'events.k8s.io/v1' }),
    ]);
    expect(Object.keys(created.body.metadata.managedFields[0].fieldsV1)).toEqual(
      expect.arrayContaining(['f:note', 'f:regarding', 'f:reportingController']),
    );
    const core = await http().get(path('/api/v1/namespaces/default/events/applied.1')).expect(200);
    expect(core.body).toMatchObject({
      message: 'hello',
      involvedObject: { kind: 'Pod', name: 'p' },
      reportingComponent: 'example.com/greeter',
    });

    // The same manager applies again without `note`: released, and gone (no other manager owns it).
    const { note: _note, ...withoutNote } = event;
    const reapplied = await apply({ ...withoutNote, action: 'Wave' });
    expect(reapplied.status).toBe(200);
    expect(reapplied.body).toMatchObject({ action: 'Wave' });
    expect(reapplied.body).not.toHaveProperty('note');
    const after = await http().get(path('/api/v1/namespaces/default/events/applied.1')).expect(200);
    expect(after.body).not.toHaveProperty('message');

    // A field another manager set through core/v1 stays when the applier releases it.
    await http()
      .patch(path('/api/v1/namespaces/default/events/applied.1?fieldManager=editor'))
      .set('content-type', 'application/merge-patch+json')
      .send({ message: 'edited' })
      .expect(200);
    const { action: _action, ...withoutAction } = withoutNote;
    await apply({ ...withoutAction, action: 'Wave', note: 'mine' }).expect(200);
    const released = await apply({ ...withoutAction, action: 'Wave' }).expect(200);
    expect(released.body).toMatchObject({ note: 'mine' });

    // A create through apply is checked as any events.k8s.io/v1 create.
    const invalid = await http()
      .patch(`${path('/apis/events.k8s.io/v1/namespaces/default/events/bad.1')}?fieldManager=greeter`)
      .set('content-type', 'application/apply-patch+yaml')
      .send(
        'apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: { name: bad.1 }\ntype: Normal\nreason: Nope\n',
      );
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      details: { name: 'bad.1', group: 'events.k8s.io', kind: 'Event' },
    });
    expect(invalid.body.details.causes).toContainEqual(
      expect.objectContaining({ field: 'eventTime', reason: 'FieldValueRequired' }),
    );
  });

  it('lists with selectors and pages', async () => {
    // a namespace of its own: controllers may add pods to default
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'listing' } };
    expect((await http().post(path('/api/v1/namespaces')).send(ns)).status).toBe(201);
    for (const [name, tier] of [
      ['a', 'front'],
      ['b', 'back'],
      ['c', 'front'],
    ]) {
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { tier } },
        spec: { nodeName: cluster.nodes[0], containers: [{ name: 'c', image: 'nginx' }] },
      };
      expect((await http().post(path('/api/v1/namespaces/listing/pods')).send(pod)).status).toBe(201);
    }
    const front = await http().get(path('/api/v1/pods?labelSelector=tier%3Dfront%2Ctier%21%3Dnone'));
    expect(front.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['a', 'c']);
    const byName = await http().get(path('/api/v1/namespaces/listing/pods?fieldSelector=metadata.name%3Db'));
    expect(byName.body.items).toHaveLength(1);
    const page1 = await http().get(path('/api/v1/namespaces/listing/pods?limit=2'));
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.metadata.continue).toBeTruthy();
    const page2 = await http().get(
      path(`/api/v1/namespaces/listing/pods?limit=2&continue=${page1.body.metadata.continue}`),
    );
    expect(page2.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['c']);
    const table = await http()
      .get(path('/api/v1/namespaces/listing/pods'))
      .set('accept', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
    expect(table.body.kind).toBe('Table');
    expect(table.body.columnDefinitions.map((c: { name: string }) => c.name).slice(0, 5)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
    ]);
    expect(table.body.rows[0].cells[0]).toBe('a');
    // ready and status depend on the controllers: only the shape is the API's
    expect(table.body.rows[0].cells[1]).toMatch(/^[01]\/1$/);
  });

  it('answers bad query options where the API server checks them', async () => {
    const deployments = '/apis/apps/v1/namespaces/default/deployments';
    const long = 'm'.repeat(129);
    const message = async (pending: request.Test, status = 400) => {
      const response = await pending;
      expect(response.status).toBe(status);
      return response.body.message as string;
    };
    // the cluster before any option
    await message(http().get(`/k8s/${cluster.project}/${cluster.location}/nope${deployments}?limit=x`), 404);
    // a list: selectors, then limit, then continue
    expect(await message(http().get(path(`${deployments}?labelSelector=a%20in&limit=x`)))).toMatch(
      /^unable to parse requirement/,
    );
    expect(await message(http().get(path(`${deployments}?limit=x&continue=nope`)))).toBe('invalid limit: x');
    expect(await message(http().get(path(`${deployments}?continue=nope`)))).toMatch(
      /^continue key is not valid/,
    );
    // a watch: resourceVersion, then timeoutSeconds
    expect(await message(http().get(path(`${deployments}?watch=1&resourceVersion=x&timeoutSeconds=x`)))).toBe(
      'resourceVersion: Invalid value: "x": must be a valid integer',
    );
    // a create: the body's types, fieldValidation, fieldManager, dryRun
    const badOptions = `fieldValidation=x&fieldManager=${long}&dryRun=x`;
    const wrongType = deployment('typed', { replicas: 'two' });
    expect(
      await message(
        http()
          .post(path(`${deployments}?${badOptions}`))
          .send(wrongType),
      ),
    ).toMatch(/cannot unmarshal string into Go struct field/);
    expect(
      await message(
        http()
          .post(path(`${deployments}?${badOptions}`))
          .send(deployment('o')),
      ),
    ).toMatch(/^fieldValidation must be one of/);
    expect(
      await message(
        http()
          .post(path(`${deployments}?fieldManager=${long}&dryRun=x`))
          .send(deployment('o')),
      ),
    ).toMatch(/^fieldManager: Invalid value/);
    // an update: dryRun before fieldManager, both before the object is looked up
    expect(
      await message(
        http()
          .put(path(`${deployments}/ghost?fieldManager=${long}&dryRun=x`))
          .send(deployment('ghost')),
      ),
    ).toMatch(/^Invalid dry run value: x/);
    expect(
      await message(
        http()
          .put(path(`${deployments}/ghost?fieldManager=${long}`))
          .send(deployment('ghost')),
      ),
    ).toMatch(/^fieldManager: Invalid value/);
    // a patch: its options before the object
    expect(
      await message(
        http()
          .patch(path(`${deployments}/ghost?dryRun=x`))
          .set('content-type', 'application/merge-patch+json')
          .send('{}'),
      ),
    ).toMatch(/^Invalid dry run value: x/);
    // a server-side apply: the field manager first
    expect(
      await message(
        http()
          .patch(path(`${deployments}/ghost?dryRun=x`))
          .set('content-type', 'application/apply-patch+yaml')
          .send('{'),
      ),
    ).toMatch(/fieldManager: Required value: is required for apply patch$/);
    // a delete: the query's dryRun, then the body, both before the object
    const remove = (query: string) =>
      http()
        .delete(path(`${deployments}/ghost${query}`))
        .set('content-type', 'application/json')
        .send('{');
    expect(await message(remove('?dryRun=x'))).toMatch(/^Invalid dry run value: x/);
    expect(await message(remove(''))).toMatch(/^DeleteOptions in version "v1"/);
  });

  it('watches pods from a resource version', async () => {
    const list = await http().get(path('/api/v1/namespaces/default/pods'));
    const rv = list.body.metadata.resourceVersion;
    const created = http()
      .post(path('/api/v1/namespaces/default/pods'))
      .send({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'watched' },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      });
    expect((await created).status).toBe(201);
    const watch = await http().get(
      path(`/api/v1/namespaces/default/pods?watch=1&resourceVersion=${rv}&timeoutSeconds=1`),
    );
    const lines = watch.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    // the pod arrives first; controllers may modify it after
    expect(lines[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'watched' } } });
  });

  it('deletes the pods of removed nodes through ClusterLifecycle', async () => {
    const lifecycle = app.api.app.get(ClusterLifecycle);
    await app.database.transaction((tx) =>
      lifecycle.nodesRemoved(tx, cluster.id, [cluster.nodes[0] as string]),
    );
    const pods = await http().get(path('/api/v1/namespaces/listing/pods'));
    expect(pods.body.items).toEqual([]);
  });
});
