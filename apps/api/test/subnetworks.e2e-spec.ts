import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

const region = (project: string, r = 'us-central1') => `/compute/v1/projects/${project}/regions/${r}`;

async function network(project: string, name = 'vpc') {
  await request(app.url)
    .post(`/compute/v1/projects/${project}/global/networks`)
    .send({ name, autoCreateSubnetworks: false })
    .expect(200);
}

async function subnet(project: string, body: object, r = 'us-central1') {
  return request(app.url)
    .post(`${region(project, r)}/subnetworks`)
    .send(body);
}

describe('subnetworks', () => {
  it('inserts a subnetwork with secondary ranges and returns Google defaults', async () => {
    const project = testProject();
    await network(project);
    const op = await subnet(project, {
      name: 'nodes',
      network: `https://www.googleapis.com/compute/v1/projects/${project}/global/networks/vpc`,
      ipCidrRange: '10.0.0.0/20',
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
        { rangeName: 'services', ipCidrRange: '10.8.0.0/20' },
      ],
    });
    expect(op.status).toBe(200);
    expect(op.body).toMatchObject({
      kind: 'compute#operation',
      operationType: 'insert',
      region: `${app.url}/compute/v1/projects/${project}/regions/us-central1`,
    });
    expect(op.body.selfLink).toContain(`/regions/us-central1/operations/${op.body.name}`);
    const get = await request(app.url)
      .get(`${region(project)}/subnetworks/nodes`)
      .expect(200);
    expect(get.body).toMatchObject({
      kind: 'compute#subnetwork',
      name: 'nodes',
      ipCidrRange: '10.0.0.0/20',
      gatewayAddress: '10.0.0.1',
      network: `${app.url}/compute/v1/projects/${project}/global/networks/vpc`,
      region: `${app.url}/compute/v1/projects/${project}/regions/us-central1`,
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
        { rangeName: 'services', ipCidrRange: '10.8.0.0/20' },
      ],
      privateIpGoogleAccess: false,
      privateIpv6GoogleAccess: 'DISABLE_GOOGLE_ACCESS',
      purpose: 'PRIVATE',
      stackType: 'IPV4_ONLY',
      state: 'READY',
      logConfig: { enable: false },
    });
    expect(get.body.fingerprint).toMatch(/^[A-Za-z0-9_-]{11}=$/);
    const net = await request(app.url).get(`/compute/v1/projects/${project}/global/networks/vpc`).expect(200);
    expect(net.body.subnetworks).toEqual([
      `${app.url}/compute/v1/projects/${project}/regions/us-central1/subnetworks/nodes`,
    ]);
  });

  it('rejects bad CIDRs, overlaps and bad secondary ranges with 400 invalid', async () => {
    const project = testProject();
    await network(project);
    await subnet(project, {
      name: 'a',
      network: 'vpc',
      ipCidrRange: '10.0.0.0/24',
      secondaryIpRanges: [{ rangeName: 'p', ipCidrRange: '10.1.0.0/24' }],
    }).then((r) => expect(r.status).toBe(200));
    const cases: [object, string][] = [
      [
        { name: 'b', network: 'vpc', ipCidrRange: '10.0.0.0/33' },
        "Invalid value for field 'resource.ipCidrRange': '10.0.0.0/33'. Must be a CIDR address range.",
      ],
      [{ name: 'b', network: 'vpc', ipCidrRange: '10.0.0.1/24' }, 'Must be a CIDR address range.'],
      [{ name: 'b', network: 'vpc', ipCidrRange: '300.1.1.1/8' }, 'Must be a CIDR address range.'],
      [{ name: 'b', network: 'vpc', ipCidrRange: '127.0.0.0/24' }, 'conflicts with reserved IP range'],
      [{ name: 'b', network: 'vpc', ipCidrRange: '10.0.0.0/30' }, 'prefix length'],
      [
        { name: 'b', network: 'vpc', ipCidrRange: '10.0.0.128/25' },
        "conflicts with existing subnetwork 'a' in region 'us-central1'",
      ],
      [{ name: 'b', network: 'vpc', ipCidrRange: '10.1.0.0/16' }, "conflicts with existing subnetwork 'a'"],
      [
        {
          name: 'b',
          network: 'vpc',
          ipCidrRange: '10.2.0.0/24',
          secondaryIpRanges: [{ rangeName: 'x', ipCidrRange: '10.0.0.0/28' }],
        },
        "conflicts with existing subnetwork 'a'",
      ],
      [
        {
          name: 'b',
          network: 'vpc',
          ipCidrRange: '10.2.0.0/24',
          secondaryIpRanges: [{ rangeName: 'x', ipCidrRange: '10.2.0.0/28' }],
        },
        'primary IP range',
      ],
      [
        {
          name: 'b',
          network: 'vpc',
          ipCidrRange: '10.2.0.0/24',
          secondaryIpRanges: [
            { rangeName: 'x', ipCidrRange: '10.3.0.0/24' },
            { rangeName: 'x', ipCidrRange: '10.5.0.0/24' },
          ],
        },
        'used more than once',
      ],
      [
        {
          name: 'b',
          network: 'vpc',
          ipCidrRange: '10.2.0.0/24',
          secondaryIpRanges: [{ rangeName: 'Bad', ipCidrRange: '10.3.0.0/24' }],
        },
        'resource.secondaryIpRanges[0].rangeName',
      ],
      [{ name: 'b', network: 'vpc' }, "Required field 'resource.ipCidrRange' not specified"],
      [{ name: 'b', ipCidrRange: '10.2.0.0/24' }, "Required field 'resource.network' not specified"],
      [
        { name: 'b', network: 'projects/other/global/networks/vpc', ipCidrRange: '10.2.0.0/24' },
        'Cross-project references',
      ],
      [
        { name: 'b', network: 'vpc', ipCidrRange: 10 },
        "Invalid value at 'resource.ipCidrRange' (TYPE_STRING)",
      ],
    ];
    for (const [body, message] of cases) {
      const res = await subnet(project, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
      expect(res.body.error.errors[0]).toMatchObject({ domain: 'global' });
    }
    const missing = await subnet(project, { name: 'b', network: 'nonet', ipCidrRange: '10.2.0.0/24' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      `The resource 'projects/${project}/global/networks/nonet' was not found`,
    );
    const dup = await subnet(project, { name: 'a', network: 'vpc', ipCidrRange: '10.9.0.0/24' });
    expect(dup.status).toBe(409);
    const badRegion = await subnet(
      project,
      { name: 'c', network: 'vpc', ipCidrRange: '10.9.0.0/24' },
      'mars-central1',
    );
    expect(badRegion.status).toBe(404);
  });

  it('allows the same range in two different networks', async () => {
    const project = testProject();
    await network(project, 'one');
    await network(project, 'two');
    expect((await subnet(project, { name: 'a', network: 'one', ipCidrRange: '10.0.0.0/24' })).status).toBe(
      200,
    );
    expect((await subnet(project, { name: 'b', network: 'two', ipCidrRange: '10.0.0.0/24' })).status).toBe(
      200,
    );
  });

  it('patches secondary ranges with the current fingerprint and answers 412 for a stale one', async () => {
    const project = testProject();
    await network(project);
    await subnet(project, { name: 's', network: 'vpc', ipCidrRange: '10.0.0.0/24' });
    const before = await request(app.url)
      .get(`${region(project)}/subnetworks/s`)
      .expect(200);
    const patch = await request(app.url)
      .patch(`${region(project)}/subnetworks/s`)
      .send({
        fingerprint: before.body.fingerprint,
        secondaryIpRanges: [{ rangeName: 'pods', ipCidrRange: '192.168.0.0/16' }],
      });
    expect(patch.status).toBe(200);
    expect(patch.body.operationType).toBe('patch');
    const after = await request(app.url)
      .get(`${region(project)}/subnetworks/s`)
      .expect(200);
    expect(after.body.secondaryIpRanges).toEqual([{ rangeName: 'pods', ipCidrRange: '192.168.0.0/16' }]);
    expect(after.body.fingerprint).not.toBe(before.body.fingerprint);

    const stale = await request(app.url)
      .patch(`${region(project)}/subnetworks/s`)
      .send({ fingerprint: before.body.fingerprint, secondaryIpRanges: [] });
    expect(stale.status).toBe(412);
    expect(stale.body.error.errors[0].reason).toBe('conditionNotMet');

    const noFingerprint = await request(app.url)
      .patch(`${region(project)}/subnetworks/s`)
      .send({ secondaryIpRanges: [] });
    expect(noFingerprint.status).toBe(400);

    const cidrChange = await request(app.url)
      .patch(`${region(project)}/subnetworks/s`)
      .send({ fingerprint: after.body.fingerprint, ipCidrRange: '10.0.0.0/23' });
    expect(cidrChange.status).toBe(400);

    const removed = await request(app.url)
      .patch(`${region(project)}/subnetworks/s`)
      .send({ fingerprint: after.body.fingerprint, secondaryIpRanges: [] })
      .expect(200);
    expect(removed.body.status).toBe('DONE');
    const cleared = await request(app.url)
      .get(`${region(project)}/subnetworks/s`)
      .expect(200);
    expect(cleared.body.secondaryIpRanges).toBeUndefined();
    // The freed range can be used again.
    expect((await subnet(project, { name: 't', network: 'vpc', ipCidrRange: '192.168.0.0/24' })).status).toBe(
      200,
    );
  });

  it('expands the primary range only to a superset that overlaps nothing', async () => {
    const project = testProject();
    await network(project);
    await subnet(project, { name: 's', network: 'vpc', ipCidrRange: '10.0.1.0/24' });
    await subnet(project, { name: 'n', network: 'vpc', ipCidrRange: '10.0.4.0/24' });
    const expand = (ipCidrRange: string) =>
      request(app.url)
        .post(`${region(project)}/subnetworks/s/expandIpCidrRange`)
        .send({ ipCidrRange });
    expect((await expand('10.0.1.0/25')).status).toBe(400);
    expect((await expand('10.0.2.0/23')).status).toBe(400);
    expect((await expand('10.0.0.0/21')).body.error.message).toContain(
      "conflicts with existing subnetwork 'n'",
    );
    const ok = await expand('10.0.0.0/23');
    expect(ok.status).toBe(200);
    expect(ok.body.operationType).toBe('expandIpCidrRange');
    const get = await request(app.url)
      .get(`${region(project)}/subnetworks/s`)
      .expect(200);
    expect(get.body.ipCidrRange).toBe('10.0.0.0/23');
  });

  it('sets private Google access', async () => {
    const project = testProject();
    await network(project);
    await subnet(project, { name: 's', network: 'vpc', ipCidrRange: '10.0.0.0/24' });
    const op = await request(app.url)
      .post(`${region(project)}/subnetworks/s/setPrivateIpGoogleAccess`)
      .send({ privateIpGoogleAccess: true })
      .expect(200);
    expect(op.body.operationType).toBe('setPrivateIpGoogleAccess');
    const get = await request(app.url)
      .get(`${region(project)}/subnetworks/s`)
      .expect(200);
    expect(get.body.privateIpGoogleAccess).toBe(true);
  });

  it('lists per region and aggregated, with empty-scope warnings', async () => {
    const project = testProject();
    await network(project);
    await subnet(project, { name: 'a', network: 'vpc', ipCidrRange: '10.0.0.0/24' });
    await subnet(project, { name: 'b', network: 'vpc', ipCidrRange: '10.0.1.0/24' }, 'europe-west1');
    const list = await request(app.url)
      .get(`${region(project)}/subnetworks`)
      .expect(200);
    expect(list.body.kind).toBe('compute#subnetworkList');
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['a']);
    const agg = await request(app.url)
      .get(`/compute/v1/projects/${project}/aggregated/subnetworks`)
      .expect(200);
    expect(agg.body.kind).toBe('compute#subnetworkAggregatedList');
    expect(agg.body.items['regions/us-central1'].subnetworks[0].name).toBe('a');
    expect(agg.body.items['regions/europe-west1'].subnetworks[0].name).toBe('b');
    expect(agg.body.items['regions/asia-east1'].warning).toEqual({
      code: 'NO_RESULTS_ON_PAGE',
      message: "There are no results for scope 'regions/asia-east1' on this page.",
      data: [{ key: 'scope', value: 'regions/asia-east1' }],
    });
    const filtered = await request(app.url)
      .get(`/compute/v1/projects/${project}/aggregated/subnetworks`)
      .query({ filter: 'ipCidrRange = "10.0.1.0/24"' })
      .expect(200);
    expect(filtered.body.items['regions/us-central1'].subnetworks).toBeUndefined();
    expect(filtered.body.items['regions/europe-west1'].subnetworks).toHaveLength(1);
  });

  it('deletes a subnetwork and frees its ranges', async () => {
    const project = testProject();
    await network(project);
    await subnet(project, { name: 's', network: 'vpc', ipCidrRange: '10.0.0.0/24' });
    const del = await request(app.url)
      .delete(`${region(project)}/subnetworks/s`)
      .expect(200);
    expect(del.body.operationType).toBe('delete');
    await request(app.url)
      .get(`${region(project)}/subnetworks/s`)
      .expect(404);
    expect((await subnet(project, { name: 's2', network: 'vpc', ipCidrRange: '10.0.0.0/24' })).status).toBe(
      200,
    );
    // s2 still holds the network: the delete is refused at once, as Google refuses an in-use delete.
    const net = await request(app.url)
      .delete(`/compute/v1/projects/${project}/global/networks/vpc`)
      .expect(400);
    expect(net.body.error.errors[0].reason).toBe('resourceInUseByAnotherResource');
  });
});
