import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs here: check what can be checked without one (the files parse, and they agree with the
// README and the code on images, commands and variables).
const root = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
  const readme = read('README.md');

  it('runs postgres, one api and one worker as separate services on one database', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'worker']);
    const { api, worker, postgres } = compose.services;
    expect(postgres?.image).toMatch(/^postgres:/);
    expect(api?.command).toEqual(['node', 'dist/api/main.js']);
    expect(worker?.command).toEqual(['node', 'dist/worker/main.js']);
    expect(api?.environment?.['DATABASE_URL']).toBe(worker?.environment?.['DATABASE_URL']);
    expect(api?.environment?.['DATABASE_URL']).toContain('@postgres:5432/gke_emulator');
    expect(worker?.image).toBe(api?.image);
    expect(api?.depends_on?.['postgres']?.condition).toBe('service_healthy');
  });

  it('uses only variables the README documents, and entry points the build produces', () => {
    for (const service of ['api', 'worker'] as const) {
      for (const name of Object.keys(compose.services[service]?.environment ?? {})) {
        expect(readme, `${name} is not documented`).toContain(`\`${name}\``);
      }
    }
    // `npm test` builds dist/ first: the files the services run are there, and run their app's bundle.
    for (const service of ['api', 'worker'] as const) {
      const entry = compose.services[service]?.command?.[1] as string;
      expect(existsSync(join(root, entry)), `${entry} is built`).toBe(true);
      expect(read(entry)).toContain("join(__dirname, 'bundle.js')");
      expect(read('scripts/build.mjs')).toContain(`'${service}/bundle': 'apps/${service}/src/main.ts'`);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  it('builds with npm ci and the build script, and ships the migrations', () => {
    expect(dockerfile).toMatch(/RUN npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/prisma \.\/prisma/);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/cli\/main.js", "start"/);
  });
});

describe('README', () => {
  const readme = read('README.md');
  it('documents every variable the config reads', () => {
    const config = read('libs/common/src/config/emulator-config.ts');
    const variables = [...config.matchAll(/env\['([A-Z_]+)'\]/g)].map((m) => m[1] as string);
    expect(variables.length).toBeGreaterThan(5);
    for (const variable of new Set(variables)) expect(readme, variable).toContain(`\`${variable}\``);
  });

  it('keeps the two-command Quick start', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
