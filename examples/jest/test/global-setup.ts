import { startEmulator } from '@gke-emulator/sdk';

/**
 * Starts gke-emulator (its CLI as a child process, found through GKE_EMULATOR_BIN) once for every test file, and
 * hands its URL to the test workers in GKE_EMULATOR_URL, where `new GkeEmulatorClient()` looks by default.
 */
export default async function globalSetup(): Promise<void> {
  globalThis.gkeEmulator = await startEmulator({ mode: 'child', timeoutMs: 90_000 });
  process.env['GKE_EMULATOR_URL'] = globalThis.gkeEmulator.url;
}
