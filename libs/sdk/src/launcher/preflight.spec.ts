import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  checkDatabaseReachable,
  checkPort,
  checkPortFree,
  checkTimeout,
  redactDatabaseUrl,
} from './preflight';

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

describe('option checks', () => {
  it.each([undefined, 0, 1, 8085, 65535])('port %s is fine', (port) => {
    expect(checkPort(port)).toBe(port ?? 0);
  });

  it.each([-1, 65536, 1.5, '8085', NaN])('port %s is named', (port) => {
    expect(() => checkPort(port)).toThrow(/^port: expected an integer from 0 to 65535/);
  });

  it.each([0, -5, NaN, Infinity, '100'])('timeoutMs %s is named', (value) => {
    expect(() => checkTimeout('timeoutMs', value, 1)).toThrow(/^timeoutMs: must be a positive number/);
  });

  it('timeoutMs defaults', () => {
    expect(checkTimeout('timeoutMs', undefined, 42)).toBe(42);
    expect(checkTimeout('timeoutMs', 1, 42)).toBe(1);
  });
});

describe('checkPortFree', () => {
  it('names port when something listens on it', async () => {
    const { server, port } = await listen();
    try {
      await expect(checkPortFree('127.0.0.1', port)).rejects.toThrow(new RegExp(`^port: ${port} is in use`));
    } finally {
      server.close();
    }
    await expect(checkPortFree('127.0.0.1', port)).resolves.toBeUndefined();
  });
});

describe('checkDatabaseReachable', () => {
  it('names databaseUrl when nothing answers, without its password', async () => {
    const { server, port } = await listen();
    server.close();
    const error = await checkDatabaseReachable(`postgresql://u:secret@127.0.0.1:${port}/db`).catch(
      (e: Error) => e,
    );
    expect(String(error)).toMatch(
      /databaseUrl: no PostgreSQL answers at postgresql:\/\/u:\*\*\*@127\.0\.0\.1:\d+\/db \(ECONNREFUSED\)/,
    );
    expect(String(error)).not.toContain('secret');
  });

  it('accepts a server that answers', async () => {
    const { server, port } = await listen();
    try {
      await expect(checkDatabaseReachable(`postgres://u@127.0.0.1:${port}/db`)).resolves.toBeUndefined();
    } finally {
      server.close();
    }
  });

  it.each(['not a url', 'mysql://u@h/db'])('names databaseUrl for %j', async (url) => {
    await expect(checkDatabaseReachable(url)).rejects.toThrow(/^databaseUrl: /);
  });

  it('redacts passwords', () => {
    expect(redactDatabaseUrl('postgresql://a:b@h:1/d')).toBe('postgresql://a:***@h:1/d');
    expect(redactDatabaseUrl('postgresql://a@h/d')).toBe('postgresql://a@h/d');
  });
});
