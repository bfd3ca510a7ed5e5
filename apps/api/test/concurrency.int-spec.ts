import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

describe('concurrent writers', () => {
  it('fifty concurrent inserts of overlapping subnets: exactly one succeeds and no overlap is stored', async () => {
    const project = testProject('race');
    const base = `/compute/v1/projects/${project}`;
    await request(app.url)
      .post(`${base}/global/networks`)
      .send({ name: 'vpc', autoCreateSubnetworks: false })
      .expect(200);
    // Different names and different (but overlapping) ranges, so only the exclusion constraint can decide.
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(app.url)
          .post(`${base}/regions/us-central1/subnetworks`)
          .send({
            name: `s${i}`,
            network: 'vpc',
            ipCidrRange: `10.0.${i}.0/24`,
            secondaryIpRanges: [{ rangeName: 'wide', ipCidrRange: '10.64.0.0/12' }],
          }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 400)).toBe(true);
    for (const res of results.filter((r) => r.status === 400)) {
      expect(res.body.error.errors[0].reason).toBe('invalid');
      expect(res.body.error.message).toMatch(/conflicts with/);
    }
    const overlaps = await app.database.prisma.$queryRaw<{ n: bigint }[]>`
      select count(*) as n from subnet_range a join subnet_range b
        on a.network_id = b.network_id and a.id < b.id and a.cidr && b.cidr
      join subnetwork s on s.id = a.subnetwork_id where s.project_id = ${project}`;
    expect(Number(overlaps[0]?.n)).toBe(0);
  });

  it('concurrent inserts of the same name: one 200, the rest 409', async () => {
    const project = testProject('race');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(app.url)
          .post(`/compute/v1/projects/${project}/global/networks`)
          .send({ name: 'same', autoCreateSubnetworks: false }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
  });

  it('the database itself refuses overlapping ranges in one network (exclusion constraint)', async () => {
    const project = testProject('race');
    const base = `/compute/v1/projects/${project}`;
    await request(app.url)
      .post(`${base}/global/networks`)
      .send({ name: 'vpc', autoCreateSubnetworks: false })
      .expect(200);
    await request(app.url)
      .post(`${base}/regions/us-central1/subnetworks`)
      .send({ name: 'a', network: 'vpc', ipCidrRange: '10.0.0.0/24' })
      .expect(200);
    const row = await app.database.prisma.subnetwork.findFirstOrThrow({ where: { projectId: project } });
    await expect(
      app.database.prisma.$executeRaw`insert into subnet_range (network_id, subnetwork_id, range_name, cidr)
        values (${row.networkId}, ${row.id}, 'sneaky', '10.0.0.128/25')`,
    ).rejects.toThrow(/subnet_range_no_overlap|exclusion|conflicting key/);
  });
});
