import 'reflect-metadata';
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Actor, DomainError, FakeClock } from '#domain';
import { AccessPolicy, scopeOf } from '#access';
import { allowedEventsFor, EvidenceService, type ProblemRecord, type RectificationCommand, toProblemView } from '#engine';
import type { DemoOrganisation } from '#identity';
import type { DataSource, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { createDataSource, Database, openDatabase } from '#persistence';
import { MIGRATIONS } from '../../libs/persistence/src/migrations/index.js';
import { DeadlineScheduler, DEFAULT_SCHEDULER_OPTIONS, SCHEDULER_OPTIONS, type SchedulerOptions } from '#scheduler';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { createTestEngine, type TestEngine } from './test-engine.js';

/**
 * The fixtures of workflow 2.2.0 (test/fixtures/workflow-2.2.0, see its README): problems stored by the code of
 * commit 971e4ad in every state it reaches, each with what that code did next, step by step. This module loads
 * them, puts their rows into a fresh database as stored, and observes a problem exactly the way the generator
 * recorded it, so that a test can run the same continuation on today's code and compare.
 */

export const FIXTURES_DIR = new URL('../fixtures/workflow-2.2.0/', import.meta.url);

export type FixtureRole = 'inspector' | 'supervisor' | 'facilities' | 'production';
export const FIXTURE_ROLES: readonly FixtureRole[] = ['inspector', 'supervisor', 'facilities', 'production'];

/** A row by its column names, as the database stores it. */
export type Row = Record<string, unknown>;
export type Tables = Record<string, Row[]>;

/** The demo organisation the fixtures were made in (same ids in every fixture), and the inspection they are under. */
export interface FixtureOrganisation {
  /** The migrations the rows were stored under, in order. */
  schema: string[];
  actors: Record<FixtureRole, Actor>;
  departments: DemoOrganisation['departments'];
  rows: Tables;
}

/** A continuation step: an event sent, the clock set and the timers swept, or a rectification file uploaded. */
export type FixtureStep =
  | { send: { as: FixtureRole; command: RectificationCommand; expectedVersion?: number } }
  | { clock: string; sweep: true }
  | { upload: { as: FixtureRole; kind: 'rectification'; name: string; content: string } };

export interface RecordedStep {
  step: FixtureStep;
  outcome: Row;
}

/** What the old code stored and did, in plain facts (the model-based suite is told them). */
export interface FixtureFacts {
  filer: 'inspector';
  severity: 'minor' | 'critical';
  inspectionRef: string;
  stateDetail: string;
  deadlineState: string;
  department: 'facilities' | 'production' | null;
  everAssigned: Array<'facilities' | 'production'>;
  filingDeadline: string | null;
  deadline: string | null;
  basis: 'explicit' | 'policy' | null;
  basisCalendarVersion: number | null;
  movedSinceCounted: boolean;
  lastMovedAt: string | null;
  pending: null | { kind: 'extension'; proposed: string } | { kind: 'suspension' };
  suspendedSince: string | null;
  escalationLevel: number;
  reminded: boolean;
  submittedAt: string | null;
}

export interface WorkflowFixture {
  name: string;
  description: string;
  producedBy: { commit: string; machine: { id: string; version: string } };
  /** The fake clock when the rows were exported: where the continuation starts. */
  clock: string;
  problemId: string;
  stored: { stateDetail: string; deadlineState: string; escalationLevel: number };
  facts: FixtureFacts;
  /** Calendar versions beyond the seeded national one (version 1) that the problem's deadline was counted on. */
  calendars: Row[];
  rows: Tables;
  continuation: RecordedStep[];
}

const readJson = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, FIXTURES_DIR), 'utf8')) as T;

export function fixtureOrganisation(): FixtureOrganisation {
  return readJson<FixtureOrganisation>('organisation.json');
}

/** Every fixture, by name. */
export function workflowFixtures(): WorkflowFixture[] {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => name.endsWith('.json') && name !== 'organisation.json')
    .sort()
    .map((name) => readJson<WorkflowFixture>(name));
}

/**
 * Inserts rows by their column names with plain SQL, so they go into the tables as the schema of the day has them
 * (the entities describe today's). Booleans are bound as the driver takes them.
 */
async function insertStoredRows(dataSource: DataSource, tables: Tables): Promise<void> {
  const sqlite = dataSource.options.type === 'better-sqlite3';
  await dataSource.transaction(async (manager) => {
    for (const [table, rows] of Object.entries(tables)) {
      for (const row of rows) {
        const columns = Object.keys(row);
        const values = Object.values(row).map((value) => (sqlite && typeof value === 'boolean' ? Number(value) : value));
        const placeholders = columns.map((_, index) => (sqlite ? '?' : `$${index + 1}`));
        const names = columns.map((column) => dataSource.driver.escape(column));
        await manager.query(`INSERT INTO ${dataSource.driver.escape(table)} (${names.join(', ')}) VALUES (${placeholders.join(', ')})`, values);
      }
    }
  });
}

/**
 * A fresh database in the schema the fixtures were stored in (the migrations of their commit, which must be the
 * first of today's), holding `tables` as stored. Today's code, opening it, migrates it forward like any old database.
 */
async function createStoredDatabase(tables: Tables): Promise<TestDatabase> {
  const { schema } = fixtureOrganisation();
  const migrations = MIGRATIONS.slice(0, schema.length);
  if (migrations.some((migration, index) => migration.name !== schema[index])) {
    throw new Error(`Today's first migrations are not the fixtures' schema (${schema.join(', ')})`);
  }
  const database = await createTestDatabase();
  const dataSource = createDataSource(database.options).setOptions({ migrations });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'all' });
    await insertStoredRows(dataSource, tables);
  } finally {
    await dataSource.destroy();
  }
  return database;
}

/** Rows of `table` matching `where` (by column names), in primary key order (history: in version order). */
export async function exportRows(db: Database, table: string, where: Row): Promise<Row[]> {
  return db.read(async (manager) => {
    const meta = manager.connection.entityMetadatas.find((candidate) => candidate.tableName === table);
    if (!meta) throw new Error(`No entity for table ${table}`);
    const property = (name: string) => meta.findColumnWithDatabaseName(name)!.propertyName;
    const order = table === 'problem_history' ? { version: 'ASC' as const } : Object.fromEntries(meta.primaryColumns.map((column) => [column.propertyName, 'ASC' as const]));
    const byProperty = Object.fromEntries(Object.entries(where).map(([name, value]) => [property(name), value])) as FindOptionsWhere<ObjectLiteral>;
    const entities = await manager.find(meta.target, { where: byProperty, order });
    return entities.map((entity) => Object.fromEntries(meta.columns.map((column) => [column.databaseName, column.getEntityValue(entity) ?? null])));
  });
}

/** The organisation as the harness passes it around (its users have no API tokens: the fixtures need none). */
export function demoOrganisationOf(org: FixtureOrganisation): DemoOrganisation {
  const issued = (role: FixtureRole) => ({ actor: org.actors[role], username: role, token: '' });
  return {
    departments: org.departments,
    users: { inspector: issued('inspector'), supervisor: issued('supervisor'), facilities: issued('facilities'), production: issued('production') },
  };
}

/** When the organisation was seeded: the start of every fixture's story. */
export const FIXTURES_START = '2026-03-02T01:00:00.000Z';

/** The rows a fixture (or, without one, only the organisation) puts into a database. */
function storedRows(fixture?: WorkflowFixture): Tables {
  const { rows } = fixtureOrganisation();
  if (!fixture) return rows;
  return { ...rows, ...fixture.rows, business_calendars: [...rows.business_calendars, ...fixture.calendars] };
}

/**
 * The engine on a fresh database holding the fixtures' organisation and, with `fixture`, that fixture's rows, all
 * as stored under 2.2.0, its clock where the fixture left it: as a server of today's code starting on old data.
 */
export async function createFixtureEngine(fixture?: WorkflowFixture): Promise<TestEngine> {
  const database = await createStoredDatabase(storedRows(fixture));
  const clock = new FakeClock(new Date(fixture?.clock ?? FIXTURES_START));
  const evidenceDir = mkdtempSync(join(tmpdir(), 'rk-evidence-'));
  return createTestEngine({ reopen: { database, evidenceDir, clock, org: demoOrganisationOf(fixtureOrganisation()) } });
}

const migrated = new Map<string, Tables>();

/**
 * A fixture's problem rows as today's migrations leave them (stored under 2.2.0, then migrated forward in a database
 * of their own): what to insert into a database already on today's schema. Computed once per fixture.
 */
export async function migratedProblemRows(fixture: WorkflowFixture): Promise<Tables> {
  const known = migrated.get(fixture.name);
  if (known) return known;
  const database = await createStoredDatabase(storedRows(fixture));
  try {
    const dataSource = await openDatabase(database.options);
    try {
      const db = new Database(dataSource);
      const tables: Tables = {};
      for (const table of Object.keys(fixture.rows)) {
        tables[table] = await exportRows(db, table, table === 'problems' ? { id: fixture.problemId } : { problem_id: fixture.problemId });
      }
      migrated.set(fixture.name, tables);
      return tables;
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await database.drop();
  }
}

/** Inserts rows on today's schema by their column names, through the entities (so types bind right on either database). */
export async function insertRows(db: Database, tables: Tables): Promise<void> {
  await db.write(async (manager) => {
    for (const [table, rows] of Object.entries(tables)) {
      const meta = manager.connection.entityMetadatas.find((candidate) => candidate.tableName === table);
      if (!meta) throw new Error(`No entity for table ${table}`);
      for (const row of rows) {
        const entity = meta.create() as Row;
        for (const [name, value] of Object.entries(row)) {
          const column = meta.findColumnWithDatabaseName(name);
          if (!column) throw new Error(`No column ${table}.${name}`);
          column.setEntityValue(entity, value);
        }
        await manager.insert(meta.target, entity);
      }
    }
  });
}

/** The scheduler on an engine's providers, built as Nest would (the engine's context has none), sweeping by hand. */
export function schedulerFor(t: TestEngine): DeadlineScheduler {
  const options: SchedulerOptions = { ...DEFAULT_SCHEDULER_OPTIONS, intervalMs: 0 };
  const types = (Reflect.getMetadata('design:paramtypes', DeadlineScheduler) ?? []) as unknown[];
  const injected = (Reflect.getMetadata('self:paramtypes', DeadlineScheduler) ?? []) as Array<{ index: number; param: unknown }>;
  const args = types.map((type, index) => {
    const token = injected.find((entry) => entry.index === index)?.param ?? type;
    if (token === SCHEDULER_OPTIONS) return options;
    // Optional dependencies (metrics) are not in the engine's context: left out, as Nest would.
    try {
      return t.context.get(token as string, { strict: false });
    } catch {
      return undefined;
    }
  });
  return new (DeadlineScheduler as unknown as new (...parameters: unknown[]) => DeadlineScheduler)(...args);
}

/**
 * Runs continuation steps on one problem and observes it after each, as the generator did: the problem as a
 * supervisor's view shows it with its next timer, the events each demo user is offered (null: not visible to them),
 * and the history rows, outbox event types and supervision notices the step added.
 */
export class FixtureObserver {
  private readonly scheduler: DeadlineScheduler;
  private outboxSeen = 0;
  private noticesSeen = 0;
  private historySeen = 0;

  constructor(
    private readonly t: TestEngine,
    private readonly org: FixtureOrganisation,
    private readonly problemId: string,
  ) {
    this.scheduler = schedulerFor(t);
  }

  async record(): Promise<ProblemRecord> {
    const record = await this.t.problems.findById(this.problemId);
    if (!record) throw new Error(`Problem ${this.problemId} is gone`);
    return record;
  }

  /** Counts what is there already, so that the next observation lists only what a step adds. */
  async markSeen(): Promise<void> {
    this.outboxSeen = (await this.outboxTypes()).length;
    this.noticesSeen = (await exportRows(this.t.db, 'supervision_notices', { problem_id: this.problemId })).length;
    this.historySeen = (await this.t.problems.history(this.problemId)).length;
  }

  async run(step: FixtureStep): Promise<Row> {
    let result: unknown;
    if ('send' in step) {
      const { as, command, expectedVersion } = step.send;
      try {
        await this.t.engine.send(this.org.actors[as], this.problemId, command, expectedVersion);
        result = 'accepted';
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        result = { refused: error.code, details: error.details ?? null };
      }
    } else if ('clock' in step) {
      this.t.clock.set(step.clock);
      const { fired, stale, failed } = await this.scheduler.sweep();
      result = { swept: { fired, stale, failed } };
    } else {
      const { as, kind, name, content } = step.upload;
      await this.t.context.get(EvidenceService).upload(this.org.actors[as], this.problemId, { kind, content: Buffer.from(content), declaredType: 'text/plain', originalName: name });
      result = 'uploaded';
    }
    return { result, ...(await this.observe()) };
  }

  private async outboxTypes(): Promise<string[]> {
    const rows = await exportRows(this.t.db, 'outbox_events', { problem_id: this.problemId });
    return rows.sort((a, b) => Number(a.problem_version) - Number(b.problem_version)).map((row) => String(row.type));
  }

  private async observe(): Promise<Row> {
    const record = await this.record();
    const access = this.t.context.get(AccessPolicy);
    const seenBy: Record<string, string[] | null> = {};
    for (const role of FIXTURE_ROLES) {
      const caller = await access.callerFor(this.org.actors[role]);
      const visible = await this.t.problems.findVisible(this.problemId, scopeOf(caller));
      seenBy[role] = visible ? [...allowedEventsFor(caller, visible)].sort() : null;
    }
    const view = toProblemView(record, await access.callerFor(this.org.actors.supervisor));
    const problem = {
      state: view.state,
      stateDetail: view.stateDetail,
      deadlineState: view.deadlineState,
      escalationLevel: record.escalationLevel,
      version: view.version,
      departmentId: view.departmentId,
      responsiblePerson: view.responsiblePerson,
      deadline: view.deadline,
      originalDeadline: view.originalDeadline,
      extensionCount: view.extensionCount,
      pendingRequest: view.pendingRequest,
      suspensions: view.suspensions,
      plan: view.plan,
      latestProgress: view.latestProgress,
      submission: view.submission,
      reworkCount: view.reworkCount,
      reopenCount: view.reopenCount,
      updatedAt: view.updatedAt,
      closedAt: view.closedAt,
      nextTimer: record.nextTimer,
    };
    const history = (await this.t.problems.history(this.problemId)).slice(this.historySeen).map((row) => ({
      version: row.version,
      eventType: row.eventType,
      fromState: row.fromState,
      toState: row.toState,
      actorId: row.actorId,
      actorRole: row.actorRole,
      occurredAt: row.occurredAt,
      // Evidence ids are drawn at upload: the files are named by their content instead.
      payload: Array.isArray(row.payload.evidence)
        ? { ...row.payload, evidence: (row.payload.evidence as Row[]).map(({ sha256, name }) => ({ sha256, name })) }
        : row.payload,
    }));
    const outbox = (await this.outboxTypes()).slice(this.outboxSeen);
    const notices = (await exportRows(this.t.db, 'supervision_notices', { problem_id: this.problemId })).slice(this.noticesSeen).map((row) => ({
      kind: row.kind,
      level: row.level,
      problemVersion: row.problem_version,
      recipientDepartmentId: row.recipient_department_id,
      recipientUserId: row.recipient_user_id,
      createdAt: row.created_at,
    }));
    await this.markSeen();
    return { problem, seenBy, history, outbox, notices };
  }
}
