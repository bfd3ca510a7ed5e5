import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The subset of @prisma/schema-engine-wasm's SchemaEngine used here (its own typings are ESM-only). */
export interface SchemaEngine {
  applyMigrations(input: {
    migrationsList: MigrationList;
    filters: SchemaFilter;
  }): Promise<{ appliedMigrationNames: string[] }>;
  diff(params: {
    from: DiffTarget;
    to: DiffTarget;
    script: boolean;
    exitCode: boolean | null;
    filters: SchemaFilter;
  }): Promise<{ exitCode: number; stdout: string | null }>;
  free?(): void;
}

export interface MigrationList {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: {
    path: string;
    migrationFile: { path: string; content: { tag: 'ok'; value: string } };
  }[];
}

export interface SchemaFilter {
  externalTables: string[];
  externalEnums: string[];
}

export type DiffTarget =
  { tag: 'empty' } | { tag: 'schemaDatamodel'; files: { path: string; content: string }[] };

export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/**
 * Loads Prisma's schema engine compiled to WebAssembly. The native engine cannot be downloaded on machines without
 * internet; the WASM build is the same engine and takes a driver adapter instead of a connection string.
 * The package only exports its ESM entry, which imports the .wasm as a module: we instantiate it ourselves.
 */
export async function loadSchemaEngine(schemaPath: string, connectionString?: string): Promise<SchemaEngine> {
  const bg = await engineBindings();
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const adapter = bindMigrationAwareSqlAdapterFactory(
    new PrismaPg({ connectionString: connectionString ?? 'postgresql://unused@127.0.0.1:1/unused' }),
  );
  const datamodel = readFileSync(schemaPath, 'utf8');
  return bg.SchemaEngine.new({ datamodels: [[schemaPath, datamodel]] }, () => undefined, adapter);
}

interface EngineBindings {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: {
    new: (options: object, log: (message: string) => void, adapter: object) => Promise<SchemaEngine>;
  };
}

// The bindings module holds one WebAssembly instance for the whole process: instantiating it a second time would
// swap the memory under a running engine. Kept on globalThis because test runners may load this module twice.
const BINDINGS = Symbol.for('gke-emulator.schema-engine-bindings');
type GlobalWithBindings = typeof globalThis & { [BINDINGS]?: Promise<EngineBindings> };

function engineBindings(): Promise<EngineBindings> {
  const global = globalThis as GlobalWithBindings;
  global[BINDINGS] ??= instantiateBindings();
  return global[BINDINGS];
}

async function instantiateBindings(): Promise<EngineBindings> {
  const packageDir = dirname(require.resolve('@prisma/schema-engine-wasm'));
  const bindingsPath = join(packageDir, 'schema_engine_bg.js');
  const bg = (await import(bindingsPath)) as EngineBindings;
  const bytes = readFileSync(join(packageDir, 'schema_engine_bg.wasm'));
  const module = await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(module, {
    './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports['__wbindgen_start'] as () => void)();
  return bg;
}
