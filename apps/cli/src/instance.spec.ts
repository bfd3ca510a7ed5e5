import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findInstance, tokenFileFor, userStateFile, writeLastStarted } from './instance';

const dirs: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gke-emulator-instance-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DEAD_PID = 2 ** 22 + 12345; // above Linux's pid_max: never a live process

function setup() {
  const home = temp();
  const env = { HOME: home, XDG_STATE_HOME: undefined };
  const dataDir = join(temp(), '.gke-emulator');
  mkdirSync(dataDir);
  const tokenFile = join(dataDir, 'gke-emulator-access-token');
  writeFileSync(tokenFile, 'token\n');
  const base = { defaultDataDir: join(temp(), '.gke-emulator'), defaultUrl: 'http://127.0.0.1:8085', env };
  return { home, env, dataDir, tokenFile, base };
}

describe('findInstance', () => {
  it('takes --url first, then GKE_EMULATOR_URL, then running state files, then the default', () => {
    const { env, dataDir, tokenFile, base } = setup();
    writeFileSync(
      join(dataDir, 'emulator.json'),
      JSON.stringify({ url: 'http://127.0.0.1:9001', pid: process.pid, tokenFile }),
    );
    writeLastStarted({ url: 'http://127.0.0.1:9002', pid: process.pid, tokenFile }, env);
    expect(findInstance({ ...base, url: 'http://h:1/', dataDir }).url).toBe('http://h:1');
    expect(findInstance({ ...base, dataDir, env: { ...env, GKE_EMULATOR_URL: 'http://e:2' } })).toMatchObject(
      {
        url: 'http://e:2',
        source: 'GKE_EMULATOR_URL',
      },
    );
    expect(findInstance({ ...base, dataDir })).toMatchObject({ url: 'http://127.0.0.1:9001', tokenFile });
    expect(findInstance(base)).toMatchObject({
      url: 'http://127.0.0.1:9002',
      source: `the last started emulator (${userStateFile(env)})`,
      tokenFile,
    });
  });

  it('skips emulators that are gone and falls back to the default URL', () => {
    const { env, dataDir, tokenFile, base } = setup();
    writeFileSync(
      join(dataDir, 'emulator.json'),
      JSON.stringify({ url: 'http://127.0.0.1:9001', pid: DEAD_PID }),
    );
    writeLastStarted({ url: 'http://127.0.0.1:9002', pid: DEAD_PID, tokenFile }, env);
    expect(findInstance({ ...base, dataDir })).toEqual({
      url: 'http://127.0.0.1:8085',
      source: 'the default URL',
    });
  });

  it('uses the default data directory when it holds a running emulator', () => {
    const { tokenFile, base } = setup();
    mkdirSync(base.defaultDataDir);
    writeFileSync(
      join(base.defaultDataDir, 'emulator.json'),
      JSON.stringify({ url: 'http://127.0.0.1:9003', pid: process.pid, tokenFile }),
    );
    expect(findInstance(base)).toMatchObject({ url: 'http://127.0.0.1:9003', tokenFile });
  });
});

describe('tokenFileFor', () => {
  it("is the instance's token file when it exists, else one made in the per-user state directory", () => {
    const { env, tokenFile, home } = setup();
    expect(tokenFileFor({ url: 'u', source: 's', tokenFile }, env)).toBe(tokenFile);
    const made = tokenFileFor({ url: 'u', source: 's', tokenFile: join(home, 'gone') }, env);
    expect(made).toBe(join(home, '.local/state/gke-emulator/gke-emulator-access-token'));
    expect(existsSync(made)).toBe(true);
  });
});
