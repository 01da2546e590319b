/**
 * jest: TypeScript through ts-jest (transpile only; `npm run typecheck` does the type checking once).
 * Three projects: "unit" (everything but test/kafka, test/package and test/docs/programs*), "kafka" (test/kafka, with
 * a real Kafka broker started once by its globalSetup) and "package" (test/package and test/docs/programs*, against the packed
 * tarball installed once per run into a fresh folder by its globalSetup). jest runs a project's globalSetup only when
 * one of its tests is selected, so `npx jest test/core` never starts a JVM nor packs.
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
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/kafka/', '<rootDir>/test/package/', '<rootDir>/test/docs/programs'],
    },
    {
      ...shared,
      displayName: 'package',
      roots: ['<rootDir>/test/package', '<rootDir>/test/docs'],
      testMatch: ['<rootDir>/test/package/**/*.test.ts', '<rootDir>/test/docs/programs*.test.ts'],
      globalSetup: '<rootDir>/test/package/globalSetup.ts',
      globalTeardown: '<rootDir>/test/package/globalTeardown.ts',
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
