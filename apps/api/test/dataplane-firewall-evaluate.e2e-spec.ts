import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestGkeCluster, useTestApp, dataplaneConverged, useTestWorker } from '@gke-emulator/testing';

const app = useTestApp();
useTestWorker();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

const converged = (project: string) => dataplaneConverged(app.url, project);

async function setup() {
  const cluster = await createTestGkeCluster(app.url, { prefix: 'fwe', nodes: 2 });
  const nodes = (await request(app.url).get(`${cluster.kube}/api/v1/nodes`).expect(200)).body.items as Json[];
  const ipOf = (node: Json) =>
    node.status.addresses.find((a: Json) => a.type === 'InternalIP').address as string;
  const [a, b] = nodes as [Json, Json];
  const gke = (
    await request(app.url)
      .get(`/v1/projects/${cluster.project}/locations/us-central1-a/clusters/c1`)
      .expect(200)
  ).body as Json;
  await converged(cluster.project);
  const firewall = (
    await request(app.url).get(`${cluster.dataplane}/nodes/${a.metadata.name}/firewall`).expect(200)
  ).body as Json;
  const vms = (firewall.rules as Json[]).find((rule) => /^gke-c1-[0-9a-f]{8}-vms$/.test(rule.name)) as Json;
  return {
    ...cluster,
    node: a.metadata.name as string,
    nodeIp: ipOf(a),
    other: b.metadata.name as string,
    otherIp: ipOf(b),
    nodeTag: vms.resource.targetTags[0] as string,
    masterIp: gke.privateClusterConfig.publicEndpoint as string,
    firewall,
  };
}

describe('GET …/nodes/{n}/firewall/evaluate', () => {
  it("answers which rule lets a packet in or out of the node's VM, from the node's stored firewall", async () => {
    const { dataplane, node, nodeIp, other, otherIp, firewall, masterIp } = await setup();
    const evaluate = async (query: Record<string, string | number>) =>
      (await request(app.url).get(`${dataplane}/nodes/${node}/firewall/evaluate`).query(query).expect(200))
        .body as Json;

    // Node to node: GKE's -vms rule; the node's own address fills the destination.
    const kubelet = await evaluate({ direction: 'INGRESS', src: otherIp, protocol: 'tcp', dport: 10250 });
    expect(kubelet).toMatchObject({
      node,
      current: true,
      allowed: true,
      action: 'allow',
      returnTrafficAllowed: true,
      packet: { direction: 'INGRESS', src: otherIp, dst: nodeIp, protocol: 'tcp', dport: 10250 },
      rule: { name: expect.stringMatching(/^gke-c1-[0-9a-f]{8}-vms$/), origin: 'vpc-rule', priority: 1000 },
      peer: other,
    });
    expect(kubelet.generation).toBe(firewall.generation);
    expect((firewall.rules as Json[]).map((rule) => rule.name)).toContain(kubelet.rule.name);

    // The read-only kubelet port: the other node's tag matches -inkubelet's sourceTags (sources are OR'ed with
    // its pod range); from outside, -exkubelet denies it.
    expect(await evaluate({ direction: 'INGRESS', src: otherIp, dport: 10255 })).toMatchObject({
      allowed: true,
      rule: { name: expect.stringMatching(/-inkubelet$/), priority: 999 },
    });
    expect(await evaluate({ direction: 'INGRESS', src: '198.51.100.7', dport: 10255 })).toMatchObject({
      allowed: false,
      action: 'deny',
      returnTrafficAllowed: false,
      rule: { name: expect.stringMatching(/-exkubelet$/), priority: 1000 },
      peer: null,
    });
    expect(await evaluate({ direction: 'INGRESS', src: masterIp, dport: 22 })).toMatchObject({
      allowed: true,
      rule: { name: expect.stringMatching(/-ssh$/) },
    });
    expect(await evaluate({ direction: 'INGRESS', src: '198.51.100.7', protocol: 'icmp' })).toMatchObject({
      allowed: false,
      rule: { name: 'implied-deny-ingress', origin: 'implied', priority: 65535 },
    });
    expect(await evaluate({ direction: 'EGRESS', dst: '8.8.8.8', protocol: 'udp', dport: 53 })).toMatchObject(
      {
        allowed: true,
        packet: { src: nodeIp, dst: '8.8.8.8' },
        rule: { name: 'implied-allow-egress' },
      },
    );
  });

  it('a higher-priority deny wins and is named; a disabled rule is skipped until enabled', async () => {
    const { project, compute, dataplane, node, nodeTag, masterIp } = await setup();
    const evaluate = async (query: Record<string, string | number>) =>
      (await request(app.url).get(`${dataplane}/nodes/${node}/firewall/evaluate`).query(query).expect(200))
        .body as Json;
    await request(app.url)
      .post(`${compute}/global/firewalls`)
      .send({
        name: 'deny-ssh',
        network: 'global/networks/vpc',
        priority: 900,
        targetTags: [nodeTag],
        sourceRanges: ['0.0.0.0/0'],
        denied: [{ IPProtocol: 'tcp', ports: ['22'] }],
      })
      .expect(200);
    await request(app.url)
      .post(`${compute}/global/firewalls`)
      .send({
        name: 'allow-9000',
        network: 'global/networks/vpc',
        priority: 100,
        disabled: true,
        sourceRanges: ['0.0.0.0/0'],
        allowed: [{ IPProtocol: 'tcp', ports: ['9000'] }],
      })
      .expect(200);
    await converged(project);

    const ssh = await evaluate({ direction: 'INGRESS', src: masterIp, dport: 22 });
    expect(ssh).toMatchObject({
      current: true,
      allowed: false,
      action: 'deny',
      rule: { name: 'deny-ssh', priority: 900, action: 'deny', source: { name: 'deny-ssh', priority: 900 } },
    });
    expect(await evaluate({ direction: 'INGRESS', src: '198.51.100.7', dport: 9000 })).toMatchObject({
      allowed: false,
      rule: { name: 'implied-deny-ingress' },
    });

    await request(app.url)
      .patch(`${compute}/global/firewalls/allow-9000`)
      .send({ disabled: false })
      .expect(200);
    await converged(project);
    expect(await evaluate({ direction: 'INGRESS', src: '198.51.100.7', dport: 9000 })).toMatchObject({
      allowed: true,
      rule: { name: 'allow-9000', priority: 100 },
    });
  });

  it('answers bad parameters with a 400 naming the parameter, unknown nodes and clusters with a 404', async () => {
    const { project, dataplane, node } = await setup();
    const path = `${dataplane}/nodes/${node}/firewall/evaluate`;
    const cases: [Record<string, string | number>, string][] = [
      [{ src: '1.2.3.4', dport: 80 }, 'direction'],
      [{ direction: 'UP', src: '1.2.3.4', dport: 80 }, 'direction'],
      [{ direction: 'INGRESS', dport: 80 }, 'src'],
      [{ direction: 'INGRESS', src: '1.2.3.400', dport: 80 }, 'src'],
      [{ direction: 'EGRESS', dport: 80 }, 'dst'],
      [{ direction: 'INGRESS', src: '1.2.3.4', protocol: 'all', dport: 80 }, 'protocol'],
      [{ direction: 'INGRESS', src: '1.2.3.4', dport: 0 }, 'dport'],
      [{ direction: 'INGRESS', src: '1.2.3.4', dport: 'http' }, 'dport'],
      [{ direction: 'INGRESS', src: '1.2.3.4', protocol: 'icmp', dport: 8 }, 'dport'],
    ];
    for (const [query, parameter] of cases) {
      const res = await request(app.url).get(path).query(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.code).toBe(400);
      expect(res.body.error.message).toContain(`'${parameter}'`);
    }
    const missing = await request(app.url)
      .get(`${dataplane}/nodes/no-such-node/firewall/evaluate`)
      .query({ direction: 'INGRESS', src: '1.2.3.4', dport: 80 })
      .expect(404);
    expect(missing.body.error.errors[0].reason).toBe('notFound');
    expect(missing.body.error.message).toContain('nodes/no-such-node');
    await request(app.url)
      .get(
        `/emulator/v1/projects/${project}/locations/us-central1-a/clusters/none/nodes/${node}/firewall/evaluate`,
      )
      .query({ direction: 'INGRESS', src: '1.2.3.4', dport: 80 })
      .expect(404);
  });
});
