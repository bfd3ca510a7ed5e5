import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTestGkeCluster, eventually, useTestApp } from '@gke-emulator/testing';

/**
 * Two standalone workers (the built `dist/worker/main.js`, as docker-compose runs them) against the test database
 * process a burst of 1,000 data-plane changes; one is killed with SIGKILL mid-burst, and the data plane still
 * converges to results that reflect every change.
 */
const WORKER = resolve(__dirname, '../../../dist/worker/main.js');
const app = useTestApp();
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += String(chunk);
      if (out.includes('worker running')) resolvePromise(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (out += String(chunk)));
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}: ${out}`)));
  });
}

describe.skipIf(!existsSync(WORKER))(
  'two workers, one killed mid-burst (skipped: run `npm run build` first)',
  () => {
    it('process 1,000 changes; after a SIGKILL the results are still complete', async () => {
      const [first] = await Promise.all([startWorkerProcess(), startWorkerProcess()]);
      const { project, compute } = await createTestGkeCluster(app.url, {
        prefix: 'workers',
        namedRanges: false,
      });

      const total = 1000;
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < total) {
            const i = next++;
            if (i === 300) first.kill('SIGKILL');
            await request(app.url)
              .post(`${compute}/global/firewalls`)
              .send({
                name: `burst-${i}`,
                network: 'global/networks/vpc',
                priority: 2000 + i,
                sourceRanges: [`192.168.${i % 250}.0/24`],
                allowed: [{ IPProtocol: 'tcp', ports: [String(10000 + i)] }],
              })
              .expect(200);
          }
        }),
      );
      expect(first.signalCode).toBe('SIGKILL');

      const status = await eventually(
        async () => {
          const res = await request(app.url).get(`/emulator/v1/dataplane?project=${project}`).expect(200);
          return res.body.converged ? res.body : undefined;
        },
        'convergence after the burst',
        60_000,
      );
      expect(status.clusters[0]).toMatchObject({ current: true });
      expect(status.clusters[0].error).toBeUndefined();
      const nodes = (await request(app.url).get(`/k8s/${project}/us-central1-a/c1/api/v1/nodes`).expect(200))
        .body.items;
      for (const node of nodes) {
        const firewall = await request(app.url)
          .get(
            `/emulator/v1/projects/${project}/locations/us-central1-a/clusters/c1/nodes/${node.metadata.name}/firewall`,
          )
          .expect(200);
        const text = JSON.stringify(firewall.body.rules);
        for (let i = 0; i < total; i++)
          expect(text.includes(`"burst-${i}"`), `burst-${i} on ${node.metadata.name}`).toBe(true);
      }
    }, 180_000);
  },
);
