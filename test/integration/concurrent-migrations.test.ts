import { afterAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openDatabase } from '#persistence';
import { MIGRATIONS } from '../../libs/persistence/src/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Servers and workers of one deployment start together (an orchestrator rolls them out at once): on a fresh
 * PostgreSQL database each of them finds every migration pending. They take turns through an advisory lock, so
 * every one starts and each migration is applied once.
 */
describe('Several processes opening one fresh PostgreSQL database at once', () => {
  let database: TestDatabase;
  const opened: DataSource[] = [];
  afterAll(async () => {
    for (const dataSource of opened) if (dataSource.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  it('all start, and each migration is applied once', async () => {
    database = await createTestDatabase('postgres');
    const starts = await Promise.allSettled(Array.from({ length: 4 }, () => openDatabase(database.options)));
    for (const start of starts) if (start.status === 'fulfilled') opened.push(start.value);
    expect(starts.map((start) => (start.status === 'fulfilled' ? 'started' : String((start.reason as Error).message)))).toEqual([
      'started',
      'started',
      'started',
      'started',
    ]);
    const applied = (await opened[0].query('SELECT name FROM migrations ORDER BY name')) as Array<{ name: string }>;
    expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name).sort());
    for (const dataSource of opened) expect(await dataSource.showMigrations()).toBe(false);
  });
});
