import { startEmulator, type RunningEmulator } from '@gke-emulator/sdk';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    gkeEmulatorUrl: string;
  }
}

let emulator: RunningEmulator | undefined;

/** Starts gke-emulator (its CLI as a child process, found through GKE_EMULATOR_BIN) once for every test file. */
export async function setup(project: TestProject): Promise<void> {
  emulator = await startEmulator({ mode: 'child', timeoutMs: 90_000 });
  project.provide('gkeEmulatorUrl', emulator.url);
}

export async function teardown(): Promise<void> {
  await emulator?.stop();
}
