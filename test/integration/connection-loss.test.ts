import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '#persistence';
import { createTestDatabase, TEST_PG_URL, type TestDatabase } from '../support/test-database.js';

/**
 * PostgreSQL ends a connection the process holds between two statements (a restart, pg_terminate_backend): the
 * process goes on. pg's pool listens for errors only on idle connections, so without a listener of its own the
 * connection's 'error' event would end the process (found by the deployment suite: a server exited with 57P01).
 */
describe('A pooled PostgreSQL connection ended while in use', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  it('fails only what was using it; the process and the pool go on', async () => {
    // given a connection checked out of the pool and held between two statements, by code that does not listen
    database = await createTestDatabase('postgres');
    dataSource = await openDatabase(database.options);
    const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
    const held = await pool.connect();
    const [{ pid }] = (await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    const uncaught: Error[] = [];
    const record = (error: Error) => uncaught.push(error);
    process.on('uncaughtException', record);

    // when PostgreSQL terminates its backend, and the process waits a moment
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.off('uncaughtException', record);

    // then nothing went uncaught, its next statement fails, and the pool serves the next query on a new connection
    expect(uncaught.map((error) => error.message)).toEqual([]);
    await expect(held.query('SELECT 1')).rejects.toThrow();
    held.release(true);
    expect(await dataSource.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});
