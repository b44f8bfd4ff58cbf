import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { verifyHistoryChain } from '#domain';
import { createDataSource, openDatabase } from '#persistence';
import { AuditChain1764806400000 } from '../../libs/persistence/src/migrations/1764806400000-audit-chain.js';
import { Inspections1764892800000 } from '../../libs/persistence/src/migrations/1764892800000-inspections.js';
import { HistoryMachineVersion1765152000000 } from '../../libs/persistence/src/migrations/1765152000000-history-machine-version.js';
import { SignIn1764979200000 } from '../../libs/persistence/src/migrations/1764979200000-sign-in.js';
import { MIGRATIONS } from '../../libs/persistence/src/migrations/index.js';
import { PendingRequests1765670400000 } from '../../libs/persistence/src/migrations/1765670400000-pending-requests.js';
import { TrafficLights1765843200000 } from '../../libs/persistence/src/migrations/1765843200000-traffic-lights.js';
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
    expect(importKeys?.primaryColumns.map((column) => column.name).sort()).toEqual(['import_key', 'inspection_id']);
    const inspections = await dataSource.createQueryRunner().getTable('inspections');
    expect(inspections?.indices.find((index) => index.name === 'ux_inspections_reference')?.isUnique).toBe(true);
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
      { name: 'Inspections1764892800000' },
      { name: 'SignIn1764979200000' },
      { name: 'Notifications1765065600000' },
      { name: 'HistoryMachineVersion1765152000000' },
      { name: 'RateLimits1765238400000' },
      { name: 'OutboxNotify1765324800000' },
      { name: 'WebhookLeaseToken1765411200000' },
      { name: 'SharedEvidence1765497600000' },
      { name: 'SupervisionReadIndexes1765584000000' },
      { name: 'PendingRequests1765670400000' },
      { name: 'DeadlinePolicies1765756800000' },
      { name: 'TrafficLights1765843200000' },
      { name: 'SupervisionSheets1765929600000' },
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
    await before.setOptions({ migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(AuditChain1764806400000)) }).initialize();
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

  it('turn each inspection reference, per organisation, into an inspection whose team is the inspectors who filed under it', async () => {
    // given a database before inspections existed: two organisations that both used reference R, import keys under R
    const older = await createTestDatabase();
    const before = createDataSource(older.options);
    await before.setOptions({ migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(Inspections1764892800000)) }).initialize();
    await before.runMigrations();
    const marks = (count: number) => Array.from({ length: count }, (_v, index) => (older.kind === 'sqlite' ? '?' : `$${index + 1}`)).join(', ');
    const yes = older.kind === 'sqlite' ? 1 : true;
    for (const [id, parent] of [['orgA', null], ['unitA', 'orgA'], ['orgB', null]]) {
      await before.query(`INSERT INTO departments (id, name, parent_id, active, created_at) VALUES (${marks(5)})`, [id, id, parent, yes, 'x']);
    }
    for (const [id, role, department] of [['iA', 'inspector', 'orgA'], ['iA2', 'inspector', 'unitA'], ['sA', 'supervisor', 'orgA'], ['iB', 'inspector', 'orgB']]) {
      await before.query(`INSERT INTO users (id, name, role, department_id, active, created_at) VALUES (${marks(6)})`, [id, id, role, department, yes, 'x']);
    }
    const problems = [['p1', 'R', 'iA', 'orgA'], ['p2', 'R', 'iA2', 'unitA'], ['p3', 'R', 'iB', 'orgB'], ['p4', 'S', 'sA', 'orgA']];
    for (const [id, ref, filer, department] of problems) {
      await before.query(
        'INSERT INTO problems (id, title, description, category, severity, location, inspection_ref, requirement, filed_by, filer_department_id, state, ' +
          `state_detail, rework_count, version, machine_id, machine_version, snapshot, created_at, updated_at) VALUES (${marks(19)})`,
        [id, 't', 'd', 'c', 'minor', 'l', ref, 'q', filer, department, 'found', 'found', 0, 1, 'm', '1', '{}', '2026-01-01T00:00:00.000Z', 'x'],
      );
    }
    for (const [key, problemId] of [['k1', 'p1'], ['k2', 'p3']]) {
      await before.query(`INSERT INTO import_keys (inspection_ref, import_key, problem_id, created_at) VALUES (${marks(4)})`, ['R', key, problemId, 'x']);
    }
    await before.destroy();

    // when the inspections migration runs
    const after = await openDatabase(older.options);
    try {
      // then each (organisation, reference) is one inspection, with the inspectors who filed under it as its team
      const inspections: Array<{ id: string; organisation_key: string; reference: string }> = await after.query(
        'SELECT id, organisation_key, reference FROM inspections ORDER BY organisation_key, reference',
      );
      expect(inspections.map((row) => [row.organisation_key, row.reference])).toEqual([['orgA', 'R'], ['orgA', 'S'], ['orgB', 'R']]);
      const idOf = (organisation: string, reference: string) =>
        inspections.find((row) => row.organisation_key === organisation && row.reference === reference)!.id;
      const members: Array<{ inspection_id: string; user_id: string }> = await after.query('SELECT inspection_id, user_id FROM inspection_members ORDER BY user_id');
      expect(members).toEqual([
        { inspection_id: idOf('orgA', 'R'), user_id: 'iA' },
        { inspection_id: idOf('orgA', 'R'), user_id: 'iA2' },
        { inspection_id: idOf('orgB', 'R'), user_id: 'iB' },
      ]);
      // and every problem points at its inspection, and import keys moved from the reference to the inspection
      const rows: Array<{ id: string; inspection_id: string }> = await after.query('SELECT id, inspection_id FROM problems ORDER BY id');
      expect(rows).toEqual([
        { id: 'p1', inspection_id: idOf('orgA', 'R') },
        { id: 'p2', inspection_id: idOf('orgA', 'R') },
        { id: 'p3', inspection_id: idOf('orgB', 'R') },
        { id: 'p4', inspection_id: idOf('orgA', 'S') },
      ]);
      const keys = await after.query('SELECT inspection_id, import_key FROM import_keys ORDER BY import_key');
      expect(keys).toEqual([
        { inspection_id: idOf('orgA', 'R'), import_key: 'k1' },
        { inspection_id: idOf('orgB', 'R'), import_key: 'k2' },
      ]);
    } finally {
      await after.destroy();
      await older.drop();
    }
  });
  it('give existing users a username derived from their name, unique ignoring case, and no password', async () => {
    // given a database before sign-in existed, with users whose names derive to the same username
    const older = await createTestDatabase();
    const before = createDataSource(older.options);
    await before.setOptions({ migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(SignIn1764979200000)) }).initialize();
    await before.runMigrations();
    const marks = (count: number) => Array.from({ length: count }, (_v, index) => (older.kind === 'sqlite' ? '?' : `$${index + 1}`)).join(', ');
    const yes = older.kind === 'sqlite' ? 1 : true;
    for (const [id, name, at] of [['u1', 'Wang Fang', '2026-01-01'], ['u2', 'wang  fang', '2026-01-02'], ['u3', '王芳 (设施部)', '2026-01-03'], ['u4', 'Administrator', '2026-01-04']]) {
      await before.query(`INSERT INTO users (id, name, role, department_id, active, created_at) VALUES (${marks(6)})`, [id, name, 'inspector', null, yes, at]);
    }
    await before.destroy();

    // when the sign-in migration runs
    const after = await openDatabase(older.options);
    try {
      // then
      const rows: Array<Record<string, unknown>> = await after.query(
        'SELECT id, username, username_key, password_hash, must_change_password, failed_sign_ins FROM users ORDER BY id',
      );
      expect(rows.map((row) => [row.id, row.username, row.username_key, row.password_hash, Boolean(row.must_change_password), Number(row.failed_sign_ins)])).toEqual([
        ['u1', 'wang.fang', 'wang.fang', null, false, 0],
        ['u2', 'wang.fang.2', 'wang.fang.2', null, false, 0],
        ['u3', '王芳.设施部', '王芳.设施部', null, false, 0],
        ['u4', 'administrator', 'administrator', null, false, 0],
      ]);
      expect(await after.createQueryRunner().hasTable('user_sessions')).toBe(true);
    } finally {
      await after.destroy();
      await older.drop();
    }
  });

  it('name on every history row the workflow version its problem was stored under, and on every later row too', async () => {
    // given a database before history rows named their version: a problem of 2.2.0 and one never touched since 1.0.0
    const older = await createTestDatabase();
    const before = createDataSource(older.options);
    await before.setOptions({ migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(HistoryMachineVersion1765152000000)) }).initialize();
    await before.runMigrations();
    const marks = (count: number) => Array.from({ length: count }, (_v, index) => (older.kind === 'sqlite' ? '?' : `$${index + 1}`)).join(', ');
    for (const [problemId, machineVersion, rows] of [['p1', '2.2.0', 3], ['p2', '1.0.0', 2]] as const) {
      await before.query(
        'INSERT INTO problems (id, title, description, category, severity, location, inspection_ref, requirement, filed_by, state, state_detail, ' +
          `rework_count, version, machine_id, machine_version, snapshot, created_at, updated_at) VALUES (${marks(18)})`,
        [problemId, 't', 'd', 'c', 'minor', 'l', 'r', 'q', 'u', 'found', 'found', 0, rows, 'rectification', machineVersion, '{}', 'x', 'x'],
      );
      for (let version = 1; version <= rows; version += 1) {
        await before.query(
          'INSERT INTO problem_history (id, problem_id, version, event_type, payload, actor_id, actor_name, actor_role, from_state, to_state, occurred_at, hash) ' +
            `VALUES (${marks(12)})`,
          [`${problemId}-h${version}`, problemId, version, 'E', '{}', 'u', 'n', 'r', null, 's', '2026-01-01T00:00:00.000Z', 'h'],
        );
      }
    }
    await before.destroy();

    // when the migration runs
    const after = await openDatabase(older.options);
    try {
      // then each row names its problem's version
      const rows: Array<{ id: string; machine_version: string }> = await after.query('SELECT id, machine_version FROM problem_history ORDER BY id');
      expect(rows.map((row) => [row.id, row.machine_version])).toEqual([
        ['p1-h1', '2.2.0'],
        ['p1-h2', '2.2.0'],
        ['p1-h3', '2.2.0'],
        ['p2-h1', '1.0.0'],
        ['p2-h2', '1.0.0'],
      ]);
      // and a row without a version is refused from now on, the unique (problem, version) index kept
      await expect(
        after.query(
          'INSERT INTO problem_history (id, problem_id, version, event_type, payload, actor_id, actor_name, actor_role, from_state, to_state, occurred_at, hash) ' +
            `VALUES (${marks(12)})`,
          ['p1-h4', 'p1', 4, 'E', '{}', 'u', 'n', 'r', null, 's', '2026-01-01T00:00:00.000Z', 'h'],
        ),
      ).rejects.toThrow(/machine_version/);
      const history = await after.createQueryRunner().getTable('problem_history');
      expect(history?.indices.find((index) => index.name === 'ux_problem_history_problem_version')?.isUnique).toBe(true);
    } finally {
      await after.destroy();
      await older.drop();
    }
  });

  it('store the kind of each stored problem’s waiting request, and nothing for the others', async () => {
    // given a database before the pending request had a column: one problem waiting for an extension, one for a
    // suspension, one with none
    const older = await createTestDatabase();
    const before = createDataSource(older.options);
    await before.setOptions({ migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(PendingRequests1765670400000)) }).initialize();
    await before.runMigrations();
    const marks = (count: number) => Array.from({ length: count }, (_v, index) => (older.kind === 'sqlite' ? '?' : `$${index + 1}`)).join(', ');
    const snapshots = {
      p1: { value: {}, context: { pendingRequest: { kind: 'extension', reason: 'parts', proposedDeadline: '2026-04-01T00:00:00.000Z' } } },
      p2: { value: {}, context: { pendingRequest: { kind: 'suspension', reason: 'audit' } } },
      p3: { value: {}, context: { pendingRequest: null } },
    };
    for (const [problemId, snapshot] of Object.entries(snapshots)) {
      await before.query(
        'INSERT INTO problems (id, title, description, category, severity, location, inspection_ref, requirement, filed_by, state, state_detail, ' +
          `rework_count, version, machine_id, machine_version, snapshot, created_at, updated_at) VALUES (${marks(18)})`,
        [problemId, 't', 'd', 'c', 'minor', 'l', 'r', 'q', 'u', 'rectifying', 'rectifying.inProgress', 0, 3, 'rectification', '3.0.0', JSON.stringify(snapshot), 'x', 'x'],
      );
    }
    await before.destroy();

    // when the migration runs
    const after = await openDatabase(older.options);
    try {
      // then each problem carries its request's kind
      const rows: Array<{ id: string; pending_request: string | null }> = await after.query('SELECT id, pending_request FROM problems ORDER BY id');
      expect(rows.map((row) => [row.id, row.pending_request])).toEqual([
        ['p1', 'extension'],
        ['p2', 'suspension'],
        ['p3', null],
      ]);
    } finally {
      await after.destroy();
      await older.drop();
    }
  });

  it('light each stored problem from its clock as the built-in policy does, and no other', async () => {
    // given a database before problems had a light: one problem in each deadline state that has one, at two
    // escalation levels, one with the verifier and one from before deadline states were stored
    const older = await createTestDatabase();
    const before = createDataSource(older.options);
    await before.setOptions({ migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(TrafficLights1765843200000)) }).initialize();
    await before.runMigrations();
    const marks = (count: number) => Array.from({ length: count }, (_v, index) => (older.kind === 'sqlite' ? '?' : `$${index + 1}`)).join(', ');
    const clocks: Array<[string, string | null, number | null]> = [
      ['p1', 'onTrack', 0],
      ['p2', 'dueSoon', 0],
      ['p3', 'overdue', 0],
      ['p4', 'escalated', 2],
      ['p5', 'escalated', 3],
      ['p6', 'verifying', 0],
      ['p7', null, null],
    ];
    for (const [problemId, deadlineState, level] of clocks) {
      await before.query(
        'INSERT INTO problems (id, title, description, category, severity, location, inspection_ref, requirement, filed_by, state, state_detail, ' +
          `rework_count, version, machine_id, machine_version, snapshot, created_at, updated_at, deadline_state, escalation_level) VALUES (${marks(20)})`,
        [problemId, 't', 'd', 'c', 'minor', 'l', 'r', 'q', 'u', 'rectifying', 'rectifying.inProgress', 0, 3, 'rectification', '3.0.0', '{}', 'x', 'x', deadlineState, level],
      );
    }
    await before.destroy();

    // when the migration runs
    const after = await openDatabase(older.options);
    try {
      // then each carries the light version 1 gives its clock
      const rows: Array<{ id: string; light: string | null }> = await after.query('SELECT id, light FROM problems ORDER BY id');
      expect(rows.map((row) => [row.id, row.light])).toEqual([
        ['p1', 'green'],
        ['p2', 'yellow'],
        ['p3', 'red'],
        ['p4', 'red'],
        ['p5', 'black'],
        ['p6', null],
        ['p7', null],
      ]);
    } finally {
      await after.destroy();
      await older.drop();
    }
  });
});
