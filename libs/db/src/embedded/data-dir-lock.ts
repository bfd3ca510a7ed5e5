import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { type Server, createConnection, createServer } from 'node:net';
import { join } from 'node:path';

/** Thrown when a live emulator holds the data directory. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

export interface DataDirLock {
  release(): void;
}

/**
 * Where the lock of a data directory lives: on Linux an abstract Unix socket named after the directory (the kernel
 * drops it with the process that holds it, so a lock can never be stale); elsewhere a socket file in the directory.
 */
export function lockAddress(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'linux') {
    return `\0gke-emulator-data-dir-${createHash('sha256').update(dataDir).digest('hex').slice(0, 32)}`;
  }
  return join(dataDir, '.gke-emulator.lock');
}

function listen(server: Server, address: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolveListen) => {
    const onError = (error: NodeJS.ErrnoException) => resolveListen(error);
    server.once('error', onError);
    server.listen(address, () => {
      server.removeListener('error', onError);
      resolveListen(undefined);
    });
  });
}

/** What the holder answers: its pid (null when nothing answers: the socket file is stale). */
function holderOf(address: string): Promise<{ pid: number | undefined } | null> {
  return new Promise((resolveHolder) => {
    const socket = createConnection(address);
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 1000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => {
      clearTimeout(timer);
      resolveHolder(null);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const pid = /^gke-emulator (\d+)/.exec(text)?.[1];
      resolveHolder({ pid: pid === undefined ? undefined : Number(pid) });
    });
  });
}

/**
 * Locks `dataDir` (its real path) for this process until `release()` or the process's end. Rejects with a
 * `DataDirInUseError` naming the holder's pid when a live emulator has it.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const address = lockAddress(dataDir);
  for (let attempt = 0; ; attempt++) {
    const server = createServer((socket) => socket.end(`gke-emulator ${process.pid}\n`));
    const error = await listen(server, address);
    if (!error) {
      // The lock must not keep the process alive.
      server.unref();
      return {
        release: () => {
          server.close();
        },
      };
    }
    if (error.code !== 'EADDRINUSE') throw error;
    const holder = await holderOf(address);
    if (holder === null && !address.startsWith('\0') && attempt === 0) {
      // A socket file left by a process that died: nobody listens on it.
      rmSync(address, { force: true });
      continue;
    }
    throw new DataDirInUseError(
      `another gke-emulator is using this --data-dir (${dataDir}` +
        `${holder?.pid === undefined ? '' : `, pid ${holder.pid}`}): stop it, or use another --data-dir`,
    );
  }
}
