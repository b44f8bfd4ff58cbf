// Jest in ESM mode (NestJS 12 is ESM-only). Every folder holding tests must be in a project's `roots`,
// or its specs silently never run.
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
};

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/libs', '<rootDir>/workflows', '<rootDir>/apps'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/test/integration'],
      testMatch: ['**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.e2e.ts'],
    },
    {
      // Not part of `npm test`: `npm run test:reliability` (RELIABILITY=short in CI, full for the README figures).
      ...shared,
      displayName: 'reliability',
      roots: ['<rootDir>/test/reliability'],
      testMatch: ['**/*.rel.ts'],
    },
    {
      // Not part of `npm test`: `npm run test:console` builds, then drives the built server in Debian's Chromium.
      ...shared,
      displayName: 'console',
      roots: ['<rootDir>/test/console'],
      testMatch: ['**/*.pw.ts'],
    },
  ],
};
