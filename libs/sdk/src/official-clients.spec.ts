import { describe, expect, it } from 'vitest';
import { googleClientOptions, noCredentialsAuthClient } from './official-clients';

describe('googleClientOptions', () => {
  it.each([
    ['http://127.0.0.1:8085', '127.0.0.1', 8085, 'http'],
    ['http://localhost', 'localhost', 80, 'http'],
    ['https://emulator.test', 'emulator.test', 443, 'https'],
    ['http://[::1]:9000', '::1', 9000, 'http'],
  ])('%s → %s port %i over %s, REST transport', (url, apiEndpoint, port, protocol) => {
    expect(googleClientOptions(url)).toMatchObject({ apiEndpoint, port, protocol, fallback: true });
  });
});

describe('noCredentialsAuthClient', () => {
  it('adds no headers and has no project of its own', async () => {
    const auth = noCredentialsAuthClient();
    const names: string[] = [];
    (await auth.getRequestHeaders()).forEach((_value, name) => names.push(name));
    expect(names).toEqual([]);
    await expect(auth.getProjectId()).rejects.toThrow(/no default project/);
  });
});
