import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../libs/persistence/src/index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('Migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase(database.options);
  });
  afterAll(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  });

  it('create every table with its indexes on a fresh database', async () => {
    for (const table of ['problems', 'problem_history', 'outbox_events', 'departments', 'users', 'api_tokens', 'webhook_subscriptions', 'webhook_deliveries', 'webhook_attempts']) {
      expect(await dataSource.createQueryRunner().hasTable(table)).toBe(true);
    }
    const history = await dataSource.createQueryRunner().getTable('problem_history');
    expect(history?.indices.find((index) => index.name === 'ux_problem_history_problem_version')?.isUnique).toBe(true);
    const importKeys = await dataSource.createQueryRunner().getTable('import_keys');
    expect(importKeys?.primaryColumns.map((column) => column.name).sort()).toEqual(['import_key', 'inspection_ref']);
    const deliveries = await dataSource.createQueryRunner().getTable('webhook_deliveries');
    expect(deliveries?.indices.find((index) => index.name === 'ux_webhook_deliveries_subscription_event')?.isUnique).toBe(true);
  });

  it('are applied once: opening again finds nothing pending', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
    const executed = await dataSource.query('SELECT name FROM migrations');
    expect(executed).toEqual([
      { name: 'InitialSchema1764115200000' },
      { name: 'OrganisationAndAccess1764201600000' },
      { name: 'EventDelivery1764288000000' },
      { name: 'DeadlineTimers1764374400000' },
      { name: 'BusinessCalendars1764460800000' },
      { name: 'Evidence1764547200000' },
      { name: 'Imports1764633600000' },
      { name: 'RepeatProblems1764720000000' },
      { name: 'AuditChain1764806400000' },
    ]);
  });

  it('match the entities exactly (no schema drift a `synchronize` would fix)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('ran against the database this run asked for (TEST_DATABASE)', () => {
    const expected = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'better-sqlite3';
    expect(dataSource.options.type).toBe(expected);
  });
});
