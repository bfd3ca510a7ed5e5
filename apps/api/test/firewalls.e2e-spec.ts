import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

const base = (project: string) => `/compute/v1/projects/${project}`;

async function projectWithNetwork(name = 'default') {
  const project = testProject('fw');
  await request(app.url)
    .post(`${base(project)}/global/networks`)
    .send({ name, autoCreateSubnetworks: false })
    .expect(200);
  return project;
}

describe('firewalls', () => {
  it('inserts a rule with Google defaults: INGRESS, priority 1000, 0.0.0.0/0, logging off', async () => {
    const project = await projectWithNetwork();
    const op = await request(app.url)
      .post(`${base(project)}/global/firewalls`)
      .send({
        name: 'allow-http',
        allowed: [{ IPProtocol: 'tcp', ports: ['80', '8000-8080'] }],
        targetTags: ['web'],
      })
      .expect(200);
    expect(op.body).toMatchObject({ operationType: 'insert', status: 'DONE' });
    const get = await request(app.url)
      .get(`${base(project)}/global/firewalls/allow-http`)
      .expect(200);
    expect(get.body).toEqual({
      kind: 'compute#firewall',
      id: get.body.id,
      creationTimestamp: get.body.creationTimestamp,
      name: 'allow-http',
      network: `${app.url}/compute/v1/projects/${project}/global/networks/default`,
      priority: 1000,
      direction: 'INGRESS',
      allowed: [{ IPProtocol: 'tcp', ports: ['80', '8000-8080'] }],
      sourceRanges: ['0.0.0.0/0'],
      targetTags: ['web'],
      disabled: false,
      logConfig: { enable: false },
      selfLink: `${app.url}/compute/v1/projects/${project}/global/firewalls/allow-http`,
    });
  });

  it('fills destinationRanges for egress rules and keeps given sources', async () => {
    const project = await projectWithNetwork('vpc');
    await request(app.url)
      .post(`${base(project)}/global/firewalls`)
      .send({
        name: 'deny-out',
        network: 'global/networks/vpc',
        direction: 'EGRESS',
        priority: 10,
        denied: [{ IPProtocol: 'all' }],
      })
      .expect(200);
    const egress = await request(app.url)
      .get(`${base(project)}/global/firewalls/deny-out`)
      .expect(200);
    expect(egress.body).toMatchObject({
      direction: 'EGRESS',
      destinationRanges: ['0.0.0.0/0'],
      denied: [{ IPProtocol: 'all' }],
      priority: 10,
    });
    expect(egress.body.sourceRanges).toBeUndefined();
    await request(app.url)
      .post(`${base(project)}/global/firewalls`)
      .send({ name: 'from-tag', network: 'vpc', sourceTags: ['a'], allowed: [{ IPProtocol: '6' }] })
      .expect(200);
    const tagged = await request(app.url)
      .get(`${base(project)}/global/firewalls/from-tag`)
      .expect(200);
    expect(tagged.body.sourceRanges).toBeUndefined();
    expect(tagged.body.sourceTags).toEqual(['a']);
  });

  it('validates as Google does', async () => {
    const project = await projectWithNetwork();
    const cases: [object, string][] = [
      [
        { name: 'x', allowed: [{ IPProtocol: 'tcp' }], priority: 65536 },
        "Invalid value for field 'resource.priority': '65536'. Must be less than or equal to 65535",
      ],
      [{ name: 'x', allowed: [{ IPProtocol: 'tcp' }], priority: -1 }, 'Must be greater than or equal to 0'],
      [{ name: 'x' }, "exactly one of 'allowed' or 'denied'"],
      [
        { name: 'x', allowed: [{ IPProtocol: 'tcp' }], denied: [{ IPProtocol: 'udp' }] },
        "exactly one of 'allowed' or 'denied'",
      ],
      [{ name: 'x', allowed: [{ IPProtocol: 'bogus' }] }, 'resource.allowed[0].IPProtocol'],
      [
        { name: 'x', allowed: [{ IPProtocol: 'icmp', ports: ['80'] }] },
        'Ports may only be specified on rules whose protocol is one of [TCP, UDP, SCTP].',
      ],
      [{ name: 'x', allowed: [{ IPProtocol: 'tcp', ports: ['70000'] }] }, 'resource.allowed[0].ports[0]'],
      [{ name: 'x', allowed: [{ IPProtocol: 'tcp', ports: ['90-80'] }] }, 'resource.allowed[0].ports[0]'],
      [
        {
          name: 'x',
          allowed: [{ IPProtocol: 'tcp', ports: Array.from({ length: 101 }, (_, i) => String(i + 1)) }],
        },
        'at most 100 ports',
      ],
      [{ name: 'x', allowed: [{}] }, "Required field 'resource.allowed[0].IPProtocol' not specified"],
      [
        { name: 'x', direction: 'EGRESS', sourceTags: ['a'], allowed: [{ IPProtocol: 'tcp' }] },
        'Should not specify source tag or service account for egress direction.',
      ],
      [{ name: 'x', direction: 'SIDEWAYS', allowed: [{ IPProtocol: 'tcp' }] }, 'resource.direction'],
      [
        {
          name: 'x',
          targetServiceAccounts: ['sa@p.iam.gserviceaccount.com'],
          targetTags: ['t'],
          allowed: [{ IPProtocol: 'tcp' }],
        },
        'Service accounts cannot be used together with network tags.',
      ],
      [
        {
          name: 'x',
          sourceServiceAccounts: ['sa@p.iam.gserviceaccount.com'],
          sourceTags: ['t'],
          allowed: [{ IPProtocol: 'tcp' }],
        },
        'Service accounts cannot be used together with network tags.',
      ],
      [
        { name: 'x', sourceRanges: ['10.0.0.0/33'], allowed: [{ IPProtocol: 'tcp' }] },
        'resource.sourceRanges[0]',
      ],
      [{ name: 'x', targetTags: ['Bad'], allowed: [{ IPProtocol: 'tcp' }] }, 'resource.targetTags[0]'],
      [{ name: 'Bad', allowed: [{ IPProtocol: 'tcp' }] }, 'resource.name'],
      [{ name: 'x', allowed: [{ IPProtocol: 'tcp' }], bogus: true }, 'Unknown name "bogus"'],
    ];
    for (const [body, message] of cases) {
      const res = await request(app.url)
        .post(`${base(project)}/global/firewalls`)
        .send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
    const noNetwork = await request(app.url)
      .post(`${base(project)}/global/firewalls`)
      .send({ name: 'x', network: 'nope', allowed: [{ IPProtocol: 'tcp' }] });
    expect(noNetwork.status).toBe(404);
    await request(app.url)
      .post(`${base(project)}/global/firewalls`)
      .send({ name: 'dup', allowed: [{ IPProtocol: 'tcp' }] })
      .expect(200);
    const dup = await request(app.url)
      .post(`${base(project)}/global/firewalls`)
      .send({ name: 'dup', allowed: [{ IPProtocol: 'tcp' }] });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe(
      `The resource 'projects/${project}/global/firewalls/dup' already exists`,
    );
  });

  it('patches (merge) and updates (replace), never moving the rule to another network', async () => {
    const project = await projectWithNetwork();
    await request(app.url)
      .post(`${base(project)}/global/firewalls`)
      .send({
        name: 'r',
        allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
        sourceRanges: ['10.0.0.0/8'],
        targetTags: ['ssh'],
      })
      .expect(200);
    const patch = await request(app.url)
      .patch(`${base(project)}/global/firewalls/r`)
      .send({ priority: 500, disabled: true })
      .expect(200);
    expect(patch.body.operationType).toBe('patch');
    const patched = await request(app.url)
      .get(`${base(project)}/global/firewalls/r`)
      .expect(200);
    expect(patched.body).toMatchObject({
      priority: 500,
      disabled: true,
      sourceRanges: ['10.0.0.0/8'],
      targetTags: ['ssh'],
    });
    const update = await request(app.url)
      .put(`${base(project)}/global/firewalls/r`)
      .send({ name: 'r', denied: [{ IPProtocol: 'udp' }] })
      .expect(200);
    expect(update.body.operationType).toBe('update');
    const updated = await request(app.url)
      .get(`${base(project)}/global/firewalls/r`)
      .expect(200);
    expect(updated.body).toMatchObject({
      priority: 1000,
      disabled: false,
      denied: [{ IPProtocol: 'udp' }],
      sourceRanges: ['0.0.0.0/0'],
    });
    expect(updated.body.allowed).toBeUndefined();
    expect(updated.body.targetTags).toBeUndefined();
    await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'other', autoCreateSubnetworks: false })
      .expect(200);
    const move = await request(app.url)
      .patch(`${base(project)}/global/firewalls/r`)
      .send({ network: 'global/networks/other' });
    expect(move.status).toBe(400);
    await request(app.url)
      .patch(`${base(project)}/global/firewalls/nope`)
      .send({ priority: 1 })
      .expect(404);
  });

  it('getEffectiveFirewalls lists the network rules in evaluation order', async () => {
    const project = await projectWithNetwork();
    for (const [name, priority] of [
      ['c', 3000],
      ['a', 100],
      ['b', 100],
    ] as const) {
      await request(app.url)
        .post(`${base(project)}/global/firewalls`)
        .send({ name, priority, allowed: [{ IPProtocol: 'tcp' }] })
        .expect(200);
    }
    const effective = await request(app.url)
      .get(`${base(project)}/global/networks/default/getEffectiveFirewalls`)
      .expect(200);
    expect(effective.body.firewalls.map((f: { name: string }) => f.name)).toEqual(['a', 'b', 'c']);
    await request(app.url)
      .get(`${base(project)}/global/networks/nope/getEffectiveFirewalls`)
      .expect(404);
  });

  it('refuses deleting the network while a rule uses it (400, no operation)', async () => {
    const project = await projectWithNetwork('vpc');
    await request(app.url)
      .post(`${base(project)}/global/firewalls`)
      .send({ name: 'keep', network: 'vpc', allowed: [{ IPProtocol: 'tcp' }] })
      .expect(200);
    const del = await request(app.url)
      .delete(`${base(project)}/global/networks/vpc`)
      .expect(400);
    expect(del.body.error.errors[0]).toEqual({
      domain: 'global',
      reason: 'resourceInUseByAnotherResource',
      message: `The network resource 'projects/${project}/global/networks/vpc' is already being used by 'projects/${project}/global/firewalls/keep'`,
    });
    await request(app.url)
      .delete(`${base(project)}/global/firewalls/keep`)
      .expect(200);
    const ok = await request(app.url)
      .delete(`${base(project)}/global/networks/vpc`)
      .expect(200);
    expect(ok.body.error).toBeUndefined();
  });

  it('lists with filters across fields', async () => {
    const project = await projectWithNetwork();
    await request(app.url)
      .post(`${base(project)}/global/firewalls`)
      .send({ name: 'gke-a-all', priority: 900, allowed: [{ IPProtocol: 'tcp' }] })
      .expect(200);
    await request(app.url)
      .post(`${base(project)}/global/firewalls`)
      .send({ name: 'gke-a-ssh', allowed: [{ IPProtocol: 'tcp', ports: ['22'] }] })
      .expect(200);
    await request(app.url)
      .post(`${base(project)}/global/firewalls`)
      .send({ name: 'other', direction: 'EGRESS', allowed: [{ IPProtocol: 'udp' }] })
      .expect(200);
    const names = async (filter: string) =>
      (
        (
          await request(app.url)
            .get(`${base(project)}/global/firewalls`)
            .query({ filter })
            .expect(200)
        ).body.items ?? []
      ).map((f: { name: string }) => f.name);
    expect(await names('name eq gke-.*')).toEqual(['gke-a-all', 'gke-a-ssh']);
    expect(await names('direction = "EGRESS"')).toEqual(['other']);
    expect(await names('priority < 1000')).toEqual(['gke-a-all']);
    expect(await names('allowed.ports = "22"')).toEqual(['gke-a-ssh']);
  });
});
