import { existsSync } from 'node:fs';
import { request } from 'node:http';

/**
 * Whether a Docker engine answers, decided in a few hundred milliseconds: testcontainers itself would wait on
 * its own timeouts when there is none (these machines have the docker client but no engine).
 */
export async function dockerEngineReachable(
  timeoutMs = 500,
  env: Record<string, string | undefined> = process.env,
): Promise<boolean> {
  const host = env['DOCKER_HOST'];
  const socketPath = host?.startsWith('unix://')
    ? host.slice('unix://'.length)
    : host
      ? undefined
      : '/var/run/docker.sock';
  if (socketPath && !existsSync(socketPath)) return false;
  const target = host && !socketPath ? new URL(host.replace(/^tcp:/, 'http:')) : undefined;
  return new Promise((resolve) => {
    const req = request(
      {
        ...(socketPath ? { socketPath } : { host: target?.hostname, port: target?.port }),
        path: '/_ping',
        method: 'GET',
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}
