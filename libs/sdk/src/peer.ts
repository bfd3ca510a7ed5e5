import { GkeEmulatorOptionError } from './errors';

/**
 * One export of an optional peer dependency, loaded on first use. `import()` reads both kinds of package:
 * CommonJS ones (their exports under `default`) and ES modules (`@kubernetes/client-node`).
 */
export async function loadPeer<T>(packageName: string, exportName: string): Promise<T> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(packageName)) as Record<string, unknown>;
  } catch (error) {
    if (
      (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' ||
      /Cannot find (module|package)/.test(String(error))
    ) {
      throw new GkeEmulatorOptionError(
        packageName,
        `not installed: this part of @gke-emulator/sdk needs it as a peer dependency (npm i -D ${packageName})`,
      );
    }
    throw error;
  }
  const value =
    namespace[exportName] ?? (namespace['default'] as Record<string, unknown> | undefined)?.[exportName];
  if (value === undefined) {
    throw new GkeEmulatorOptionError(
      packageName,
      `has no export "${exportName}" (is its version supported?)`,
    );
  }
  return value as T;
}
