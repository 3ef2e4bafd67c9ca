/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  // Bundles the current src/ for the end-to-end suites (they run it, not the committed dist/); a build failure fails the run.
  globalSetup: '<rootDir>/__tests__/support/global-setup.js',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.js',
  // ::debug:: lines that in-process tests write to stdout are hidden, as the runner hides them (RUNNER_DEBUG=1 shows them).
  setupFiles: ['<rootDir>/__tests__/support/hide-debug.ts'],
  testTimeout: 60000,
  // End-to-end suites each start servers and child processes; two cores.
  maxWorkers: 2
}
