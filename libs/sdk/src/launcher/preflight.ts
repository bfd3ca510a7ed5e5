import { connect, createServer } from 'node:net';
import { GkeEmulatorOptionError } from '../errors';

/** Resolves when `host:port` can be listened on; an error naming `port` when something holds it. */
export function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new GkeEmulatorOptionError(
          'port',
          error.code === 'EADDRINUSE'
            ? `${port} is in use on ${host}: pass another port, or 0 for a free one`
            : `cannot listen on ${host}:${port} (${error.code ?? error.message})`,
        ),
      );
    });
    server.listen(port, host, () => server.close(() => resolvePromise()));
  });
}

/** The options' shape checked before anything starts: each wrong one named. */
export function checkPort(port: unknown): number {
  if (port === undefined) return 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new GkeEmulatorOptionError('port', `expected an integer from 0 to 65535, got ${String(port)}`);
  }
  return port;
}

export function checkTimeout(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new GkeEmulatorOptionError(
      option,
      `must be a positive number of milliseconds, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Resolves when the server of a PostgreSQL URL accepts TCP connections within `timeoutMs`; else an error naming
 * `databaseUrl` (with the password hidden). Credentials and the database are the emulator's to check.
 */
export function checkDatabaseReachable(databaseUrl: string, timeoutMs = 3000): Promise<void> {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return Promise.reject(
      new GkeEmulatorOptionError('databaseUrl', 'is not a URL (postgresql://user:pass@host:port/db)'),
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return Promise.reject(
      new GkeEmulatorOptionError('databaseUrl', `must be a postgresql:// URL, got ${url.protocol}//...`),
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = Number(url.port || 5432);
  const shown = redactDatabaseUrl(databaseUrl);
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new GkeEmulatorOptionError('databaseUrl', `no PostgreSQL answers at ${shown} (${why})`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise();
    });
  });
}

/** The URL with its password replaced by `***`, for messages. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable URL)';
  }
}
