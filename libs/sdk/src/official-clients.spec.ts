import { describe, expect, it } from 'vitest';
import { containerOperationName, googleClientOptions, noCredentialsAuthClient } from './official-clients';

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

describe('containerOperationName', () => {
  it.each([
    [
      'http://127.0.0.1:8085/v1/projects/123/zones/us-central1-a/operations/operation-1',
      'projects/123/locations/us-central1-a/operations/operation-1',
    ],
    [
      'https://container.googleapis.com/v1/projects/p/locations/us-central1/operations/op-2',
      'projects/p/locations/us-central1/operations/op-2',
    ],
  ])('%s → %s', (selfLink, name) => {
    expect(containerOperationName({ name: 'x', selfLink })).toBe(name);
  });

  it('refuses an operation without a selfLink, naming the option', () => {
    expect(() => containerOperationName({ name: 'operation-1' })).toThrow(
      /operation: is not a GKE operation/,
    );
  });
});
