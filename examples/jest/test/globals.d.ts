import type { RunningEmulator } from '@gke-emulator/sdk';

declare global {
  // Set by global-setup.ts, stopped by global-teardown.ts: both run in Jest's parent process.
  var gkeEmulator: RunningEmulator | undefined;
}
