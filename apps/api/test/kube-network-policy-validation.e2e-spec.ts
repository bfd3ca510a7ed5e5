import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestGkeCluster, useTestApp } from '@gke-emulator/testing';

const app = useTestApp();

const policy = (name: string, ingress: unknown) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name },
  spec: { podSelector: {}, ingress },
});

describe('NetworkPolicy validation through the Kubernetes API', () => {
  it('answers 422 Invalid with the apiserver`s field paths, 400 for ports that do not decode, 201 for a valid one', async () => {
    const { kube } = await createTestGkeCluster(app.url, { prefix: 'np', nodes: 1, maxPods: 8 });
    const policies = `${kube}/apis/networking.k8s.io/v1/namespaces/default/networkpolicies`;

    const invalid = await request(app.url)
      .post(policies)
      .send(
        policy('bad', [
          {
            from: [
              { ipBlock: { cidr: '999.1.1.1/8' } },
              { ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] } },
            ],
            ports: [
              { port: -1, protocol: 'ICMP' },
              { port: 'http', endPort: 90 },
            ],
          },
        ]),
      );
    expect(invalid.status, JSON.stringify(invalid.body)).toBe(422);
    expect(invalid.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
    expect(invalid.body.details).toMatchObject({
      name: 'bad',
      group: 'networking.k8s.io',
      kind: 'NetworkPolicy',
    });
    expect(invalid.body.details.causes).toEqual(
      expect.arrayContaining([
        {
          reason: 'FieldValueInvalid',
          field: 'spec.ingress[0].from[0].ipBlock.cidr',
          message:
            'Invalid value: "999.1.1.1/8": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.ingress[0].from[1].ipBlock.except[0]',
          message: 'Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.ingress[0].ports[0].port',
          message: 'Invalid value: -1: must be between 1 and 65535, inclusive',
        },
        {
          reason: 'FieldValueNotSupported',
          field: 'spec.ingress[0].ports[0].protocol',
          message: 'Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.ingress[0].ports[1].endPort',
          message: 'Invalid value: 90: may not be specified when `port` is non-numeric',
        },
      ]),
    );
    // the apiserver's order: a rule's ports (protocol before port) before its peers
    expect(invalid.body.message).toMatch(
      /^NetworkPolicy\.networking\.k8s\.io "bad" is invalid: \[spec\.ingress\[0\]\.ports\[0\]\.protocol: Unsupported value: "ICMP".*spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: Invalid value: "999\.1\.1\.1\/8"/,
    );

    for (const port of [2 ** 31, 0.5]) {
      const res = await request(app.url)
        .post(policies)
        .send(policy('frac', [{ ports: [{ port }] }]));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
      expect(res.body.message).toContain(`cannot unmarshal number ${String(port)} into Go struct field`);
    }

    const valid = policy('good', [
      {
        from: [
          { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
          { ipBlock: { cidr: '2001:db8::/64' } },
        ],
        ports: [{ port: 8000, endPort: 8080, protocol: 'TCP' }, { port: 'http' }],
      },
    ]);
    const created = await request(app.url).post(policies).send(valid);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // an update is validated the same way
    const updated = await request(app.url)
      .patch(`${policies}/good`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] } });
    expect(updated.status, JSON.stringify(updated.body)).toBe(422);
    expect(updated.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.ingress[0].from[0].ipBlock.cidr',
        message:
          'Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      },
    ]);
  });
});
