import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { verifyHistoryChain } from '../../libs/domain/src/index.js';
import { createDataSource, openDatabase } from '../../libs/persistence/src/index.js';
import { MIGRATIONS } from '../../libs/persistence/src/migrations/index.js';
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

  it('chain the history written before the audit chain existed, each problem with its head', async () => {
    // given a database migrated up to the migration before the audit chain, with history in it
    const older = await createTestDatabase();
    const before = createDataSource(older.options);
    await before.setOptions({ migrations: MIGRATIONS.slice(0, -1) }).initialize();
    await before.runMigrations();
    const marks = (count: number) => Array.from({ length: count }, (_v, index) => (older.kind === 'sqlite' ? '?' : `$${index + 1}`)).join(', ');
    for (const [problemId, versions] of [['p1', 3], ['p2', 2]] as const) {
      await before.query(
        'INSERT INTO problems (id, title, description, category, severity, location, inspection_ref, requirement, filed_by, state, state_detail, ' +
          `rework_count, version, machine_id, machine_version, snapshot, created_at, updated_at) VALUES (${marks(18)})`,
        [problemId, 't', 'd', 'c', 'minor', 'l', 'r', 'q', 'u', 'found', 'found', 0, versions, 'm', '1', '{}', 'x', 'x'],
      );
      for (let version = 1; version <= versions; version += 1) {
        await before.query(
          'INSERT INTO problem_history (id, problem_id, version, event_type, payload, actor_id, actor_name, actor_role, from_state, to_state, occurred_at) ' +
            `VALUES (${marks(11)})`,
          [`${problemId}-h${version}`, problemId, version, 'E', '{"b":1,"a":[2]}', 'u', 'n', 'r', null, 's', '2026-01-01T00:00:00.000Z'],
        );
      }
    }
    await before.destroy();

    // when the audit chain's migration runs
    const after = await openDatabase(older.options);
    try {
      // then every problem's chain verifies, up to the head kept on the problem row
      for (const problemId of ['p1', 'p2']) {
        const rows: Array<Record<string, unknown>> = await after.query(`SELECT * FROM problem_history WHERE problem_id = ${marks(1)} ORDER BY version`, [problemId]);
        const [{ history_hash: head }] = await after.query(`SELECT history_hash FROM problems WHERE id = ${marks(1)}`, [problemId]);
        const chain = rows.map((row) => ({
          id: String(row.id), problemId, version: Number(row.version), eventType: String(row.event_type), payload: JSON.parse(String(row.payload)),
          actorId: String(row.actor_id), actorName: String(row.actor_name), actorRole: String(row.actor_role), fromState: null, toState: String(row.to_state),
          occurredAt: String(row.occurred_at), hash: String(row.hash),
        }));
        expect(verifyHistoryChain(chain, head)).toEqual({ intact: true, rows: chain.length, firstBroken: null });
      }
    } finally {
      await after.destroy();
      await older.drop();
    }
  });
});
