import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One emulator for the whole run; each test file works in a project of its own.
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
