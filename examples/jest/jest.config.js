// @kubernetes/client-node is an ES module, so Jest runs in its ES module mode (`--experimental-vm-modules` in the
// test script) and ts-jest emits ES modules. ts-jest only transpiles (tsconfig's isolatedModules): `tsc --noEmit`
// in the test script type-checks everything once, faster than ts-jest checking file by file.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  // One emulator for the whole run; each test file works in a project of its own.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 120_000,
};
