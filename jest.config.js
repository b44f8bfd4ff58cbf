// Jest in ESM mode (NestJS 12 is ESM-only). Every folder holding tests must be in a project's `roots`,
// or its specs silently never run.
import { readFileSync } from 'node:fs';

// The package's own import aliases (package.json "imports": #domain, #engine, …, #test/*) point jest at the TypeScript
// sources, as their `types` condition does for tsc; node runs the built files (`default`).
const aliases = Object.entries(JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).imports).map(
  ([alias, { types }]) =>
    alias.endsWith('/*')
      ? [`^${alias.slice(0, -1)}(.*)\\.js$`, `<rootDir>/${types.slice(2, -1)}$1`]
      : [`^${alias}$`, `<rootDir>/${types.slice(2)}`],
);

const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { ...Object.fromEntries(aliases), '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
};

export default {
  // An e2e file starts the whole app (Nest, migrations) in beforeAll: seconds, more with every worker busy (CI has
  // two cores), so the 5 s default timed out now and then. Tests that wait on purpose set their own. (A global
  // option: jest does not take it per project.)
  testTimeout: 30_000,
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
      // Several processes starting on one PostgreSQL database: `npm run test:pg` only (SQLite has one process).
      testPathIgnorePatterns: process.env.TEST_DATABASE === 'postgres' ? [] : ['/concurrent-migrations\\.test\\.ts$', '/connection-loss\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.e2e.ts'],
      // Suites about several servers on one PostgreSQL, or PostgreSQL going away, need PostgreSQL itself: they run in
      // `npm run test:pg` (and so in CI), not in the SQLite pass of `npm test`.
      testPathIgnorePatterns: process.env.TEST_DATABASE === 'postgres' ? [] : ['/cluster-fan-out\\.e2e\\.ts$', '/database-outage\\.e2e\\.ts$'],
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
