import { createClient } from 'graphql-ws';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestGkeCluster, eventually, useTestApp } from '@gke-emulator/testing';

describe('GraphQL projectChanged', () => {
  const app = useTestApp();

  it("sends an event for each committed Compute and GKE write of the project, and none of another project's", async () => {
    const gke = await createTestGkeCluster(app.url, { prefix: 'pc', nodes: 1 });
    const other = await createTestGkeCluster(app.url, { prefix: 'pcx', nodes: 1 });
    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const events: { project: string }[] = [];
    const errors: unknown[] = [];
    client.subscribe<{ projectChanged: { project: string } }>(
      {
        query: 'subscription($p: String!) { projectChanged(project: $p) { project } }',
        variables: { p: gke.project },
      },
      {
        next: (value) => {
          if (value.data) events.push(value.data.projectChanged);
          if (value.errors) errors.push(value.errors);
        },
        error: (error) => errors.push(error),
        complete: () => undefined,
      },
    );
    try {
      const firewall = (project: string, name: string) =>
        request(app.url)
          .post(`/compute/v1/projects/${project}/global/firewalls`)
          .send({ name, network: 'global/networks/vpc', allowed: [{ IPProtocol: 'tcp', ports: ['80'] }] })
          .expect(200);
      // The subscription LISTENs before the server starts it; the first write seen proves it is in place.
      let n = 0;
      await eventually(async () => {
        await firewall(gke.project, `fw-${n++}`);
        // Each try waits a little for its event before writing again.
        return await eventually(() => (events.length > 0 ? true : undefined), 'the first event', 2_000).catch(
          () => undefined,
        );
      }, 'an event for a write of the project');

      // Compute: another project's write, then this project's delete.
      let seen = events.length;
      await firewall(other.project, 'elsewhere');
      await request(app.url).delete(`${gke.compute}/global/firewalls/fw-0`).expect(200);
      await eventually(() => (events.length > seen ? true : undefined), "the firewall delete's event");

      // GKE: a cluster write (its operation).
      seen = events.length;
      const clusters = `/v1/projects/${gke.project}/locations/us-central1-a/clusters`;
      const before = (await request(app.url).get(`${clusters}/c1`).expect(200)).body as {
        labelFingerprint: string;
      };
      await request(app.url)
        .post(`${clusters}/c1:setResourceLabels`)
        .send({ resourceLabels: { env: 'dev' }, labelFingerprint: before.labelFingerprint })
        .expect(200);
      await eventually(() => (events.length > seen ? true : undefined), "the cluster write's event");

      expect(errors).toEqual([]);
      expect(new Set(events.map((e) => e.project))).toEqual(new Set([gke.project]));
    } finally {
      await client.dispose();
    }
  });
});
