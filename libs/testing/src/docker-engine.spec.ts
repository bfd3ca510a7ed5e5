import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerEngineReachable } from './docker-engine';

let fakeEngine: Server;
let port = 0;
beforeAll(async () => {
  fakeEngine = createServer((req, res) => {
    res.statusCode = req.url === '/_ping' ? 200 : 404;
    res.end('OK');
  });
  await new Promise<void>((resolve) => fakeEngine.listen(0, '127.0.0.1', resolve));
  port = (fakeEngine.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => fakeEngine.close(() => resolve())));

describe('dockerEngineReachable', () => {
  it('answers true when an engine answers /_ping', async () => {
    expect(await dockerEngineReachable(500, { DOCKER_HOST: `tcp://127.0.0.1:${port}` })).toBe(true);
  });

  it('answers false without waiting when there is no socket or nothing listens', async () => {
    expect(await dockerEngineReachable(500, { DOCKER_HOST: 'unix:///nonexistent/docker.sock' })).toBe(false);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await dockerEngineReachable(500, { DOCKER_HOST: `tcp://127.0.0.1:${closedPort}` })).toBe(false);
  });
});
