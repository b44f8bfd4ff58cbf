import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseOptions } from '#persistence';

/**
 * Each test file gets its own real database: a fresh SQLite file by default, or, with TEST_DATABASE=postgres,
 * a fresh PostgreSQL database on TEST_PG_URL (dropped afterwards). A PostgreSQL that cannot be reached fails
 * the test run; it is never skipped.
 */
export interface TestDatabase {
  options: DatabaseOptions;
  kind: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function testDatabaseKind(): 'sqlite' | 'postgres' {
  return process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
}

/** `kind`: for the tests that are about one database (several servers on one PostgreSQL), whatever the run asks. */
export async function createTestDatabase(kind: 'sqlite' | 'postgres' = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === 'postgres') {
    const name = `rk_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(TEST_PG_URL);
    url.pathname = `/${name}`;
    return {
      kind: 'postgres',
      options: { kind: 'postgres', url: url.toString(), poolSize: 20 },
      async drop() {
        const client = new pg.Client({ connectionString: TEST_PG_URL });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'rk-test-'));
  return {
    kind: 'sqlite',
    options: { kind: 'sqlite', path: join(dir, 'test.sqlite'), synchronous: 'NORMAL' },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
