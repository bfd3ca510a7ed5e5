import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PORT, loadConfig } from './emulator-config';

describe('loadConfig', () => {
  it('has documented defaults', () => {
    expect(loadConfig({ env: {}, cwd: '/w' })).toEqual({
      host: '127.0.0.1',
      port: DEFAULT_PORT,
      kubePort: 0,
      databaseUrl: undefined,
      dataDir: '/w/.gke-emulator',
      ephemeral: false,
      operationDelayMs: 0,
      worker: true,
      logLevel: 'info',
      allowedHosts: [],
      insecure: false,
      logFormat: 'pretty',
    });
  });

  it('reads the request log format from --log-format or GKE_EMULATOR_LOG_FORMAT', () => {
    expect(loadConfig({ env: { GKE_EMULATOR_LOG_FORMAT: 'json' } }).logFormat).toBe('json');
    expect(
      loadConfig({ env: { GKE_EMULATOR_LOG_FORMAT: 'json' }, flags: { logFormat: 'pretty' } }).logFormat,
    ).toBe('pretty');
    expect(() => loadConfig({ env: {}, flags: { logFormat: 'xml' } })).toThrow(
      "--log-format: expected pretty or json, got 'xml'",
    );
  });

  it('reads variables, and flags win over variables', () => {
    const env = {
      GKE_EMULATOR_PORT: '9000',
      GKE_EMULATOR_KUBE_PORT: '9443',
      GKE_EMULATOR_HOST: '0.0.0.0',
      GKE_EMULATOR_DATA_DIR: 'data',
      GKE_EMULATOR_EPHEMERAL: 'true',
      GKE_EMULATOR_OPERATION_DELAY_MS: '250',
      GKE_EMULATOR_WORKER: 'false',
      GKE_EMULATOR_LOG_LEVEL: 'debug',
      GKE_EMULATOR_AUTH_TOKEN: 'secret-token',
      GKE_EMULATOR_ALLOWED_HOSTS: 'emulator, api.internal',
      DATABASE_URL: 'postgresql://u@h/db',
    };
    expect(loadConfig({ env, cwd: '/w' })).toMatchObject({
      port: 9000,
      kubePort: 9443,
      host: '0.0.0.0',
      dataDir: '/w/data',
      ephemeral: true,
      operationDelayMs: 250,
      worker: false,
      logLevel: 'debug',
      databaseUrl: 'postgresql://u@h/db',
      authToken: 'secret-token',
      allowedHosts: ['emulator', 'api.internal'],
    });
    expect(loadConfig({ env, cwd: '/w', flags: { port: '0', dataDir: '/abs' } })).toMatchObject({
      port: 0,
      dataDir: '/abs',
    });
  });

  it('reads an empty DATABASE_URL as unset', () => {
    expect(loadConfig({ env: { DATABASE_URL: '' }, cwd: '/w' }).databaseUrl).toBeUndefined();
  });

  it.each([
    [{ flags: { port: '65536' } }, '--port'],
    [{ flags: { port: 'http' } }, '--port'],
    [{ flags: { port: '-1' } }, '--port'],
    [{ env: { GKE_EMULATOR_KUBE_PORT: 'tls' } }, '--kube-port'],
    [{ env: { DATABASE_URL: 'mysql://x' } }, 'DATABASE_URL'],
    [{ env: { GKE_EMULATOR_OPERATION_DELAY_MS: '-5' } }, '--operation-delay-ms'],
    [{ env: { GKE_EMULATOR_EPHEMERAL: 'maybe' } }, '--ephemeral'],
    [{ env: { GKE_EMULATOR_LOG_LEVEL: 'loud' } }, '--log-level'],
    [{ flags: { host: '0.0.0.0' } }, '--host'],
    [{ env: { GKE_EMULATOR_HOST: '192.168.1.10' } }, '--host'],
    [{ flags: { host: '::' } }, '--host'],
    [{ flags: { authToken: 'short' } }, '--auth-token'],
    [{ flags: { authToken: 'has a space' } }, '--auth-token'],
    [{ env: { GKE_EMULATOR_INSECURE: 'perhaps' } }, '--insecure'],
  ])('refuses %j naming %s', (sources, option) => {
    expect(() => loadConfig({ env: {}, ...sources })).toThrow(ConfigError);
    expect(() => loadConfig({ env: {}, ...sources })).toThrow(option);
  });

  it('listens beyond loopback only with a token or --insecure', () => {
    expect(loadConfig({ env: {}, flags: { host: '0.0.0.0', authToken: 'long-enough' } }).authToken).toBe(
      'long-enough',
    );
    expect(loadConfig({ env: { GKE_EMULATOR_INSECURE: 'true' }, flags: { host: '0.0.0.0' } }).insecure).toBe(
      true,
    );
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(loadConfig({ env: {}, flags: { host } }).host).toBe(host);
  });
});
