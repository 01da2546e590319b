/**
 * jest: TypeScript through ts-jest (transpile only; `npm run typecheck` does the type checking once).
 * Two projects: "unit" (everything but test/kafka) and "kafka" (test/kafka, with a real Kafka broker started once by
 * its globalSetup). jest runs a project's globalSetup only when one of its tests is selected, so `npx jest test/core`
 * never starts a JVM.
 */
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Examples import 'dstreams' as a user's program does; in the checkout that is the source.
  moduleNameMapper: { '^dstreams$': '<rootDir>/lib/index.ts' },
  testTimeout: 60000,
  setupFiles: ['<rootDir>/test/setupEnv.ts'],
};

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/test'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/kafka/'],
    },
    {
      ...shared,
      displayName: 'kafka',
      roots: ['<rootDir>/test/kafka'],
      globalSetup: '<rootDir>/test/kafka/globalSetup.ts',
      globalTeardown: '<rootDir>/test/kafka/globalTeardown.ts',
    },
  ],
};
