// The one-line messages of the CLI's common failures: an unknown command, a port in use, a DATABASE_URL that does
// not answer or refuses, an emulator that does not answer a client command.
import { createServer } from 'node:net';
import { ConfigError } from '@gke-emulator/common';

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment): `strat` is 1 from `start`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** `unknown command 'strat' (did you mean 'start'?)`, the suggestion only when one command is close. */
export function unknownCommandMessage(given: string, commands: string[]): string {
  const scored = commands
    .map((command) => ({ command, distance: editDistance(given, command) }))
    .filter(
      ({ command, distance }) =>
        distance <= Math.max(1, Math.floor(command.length / 3)) || command.startsWith(given),
    )
    .sort((x, y) => x.distance - y.distance);
  const best = scored[0];
  const suggestion = best ? ` (did you mean '${best.command}'?)` : ` (commands: ${commands.join(', ')})`;
  return `unknown command '${given}'${suggestion}`;
}

/** Fails with one line naming the port and its flag when something already listens there (port 0 never does). */
export function assertPortFree(host: string, port: number, flag: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new ConfigError(flag, `${port} is in use on ${host} (pick another port, or 0 for a free one)`),
        );
      } else if (error.code === 'EACCES') {
        reject(new ConfigError(flag, `${port} on ${host} needs privileges this process does not have`));
      } else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolvePromise()));
  });
}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** PostgreSQL's errors of a connection attempt (SQLSTATE class 28, and 3D000: no such database). */
const POSTGRES_CODES = new Set(['28000', '28P01', '3D000']);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * `DATABASE_URL: cannot connect to db.example:5432 as app (connection refused)` when `error` is a failed
 * connection to that URL; undefined for any other error.
 */
export function databaseConnectionMessage(error: unknown, databaseUrl: string): string | undefined {
  const code = causeCode(error);
  if (!code || (!(code in CONNECTION_CODES) && !POSTGRES_CODES.has(code))) return undefined;
  let where = 'the server';
  try {
    const url = new URL(databaseUrl);
    where = `${url.hostname}:${url.port || '5432'}${url.username ? ` as ${decodeURIComponent(url.username)}` : ''}`;
  } catch {
    // an unparsable URL fails earlier, in the config
  }
  const cause = CONNECTION_CODES[code] ?? (error instanceof Error ? error.message : code);
  return `DATABASE_URL: cannot connect to ${where} (${cause})`;
}

/** `reset: no emulator answers at http://127.0.0.1:8085 (connection refused; found by: the default URL)`. */
export function unreachableMessage(command: string, url: string, source: string, error: unknown): string {
  const code = causeCode(error);
  const cause = (code && CONNECTION_CODES[code]) ?? (error instanceof Error ? error.message : String(error));
  return `${command}: no emulator answers at ${url} (${cause}; URL from ${source})`;
}
