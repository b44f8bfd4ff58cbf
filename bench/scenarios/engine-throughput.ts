/**
 * Scenario 1 (and 6): full lifecycles (file → assign → start → submit → approve → close) through the engine in
 * process, one transaction per event, against the raw driver doing the equivalent statements (read the row; update
 * the problem's changing columns to the values the engine wrote at that step; insert the same history and outbox
 * rows) in one transaction per event, on the same kind of database with the
 * same schema and durability setting, in the same run: interleaved in rounds, so both meet the same machine load.
 */
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { newId } from '#domain';
import { openDatabase, PROBLEM_FIXED_AT_FILING, ProblemEntity } from '#persistence';
import { benchFiling, createBenchEngine } from '../support/bench-engine.js';
import { type BenchDatabase, progress } from '../support/bench-environment.js';

export interface ThroughputResult {
  database: string;
  lifecycles: number;
  events: number;
  engineEventsPerSecond: number;
  rawEventsPerSecond: number;
  ratio: number;
}

const EVENTS_PER_LIFECYCLE = 6;

/** Each round runs a slice of the engine's lifecycles, then the same number on the baseline, so both see the same machine. */
const ROUNDS = 10;

/** A way of running lifecycles: the engine, or the raw baseline. Answers the seconds `count` lifecycles took. */
interface LifecycleRunner {
  run(count: number): Promise<number>;
  close(): Promise<void>;
}

async function engineRunner(database: BenchDatabase): Promise<LifecycleRunner & { sample(): Promise<SampleRows> }> {
  const bench = await createBenchEngine(database.options);
  const { engine, org } = bench;
  const { inspector, facilities, supervisor } = org.users;
  const deadline = new Date(bench.clock.now().getTime() + 30 * 86_400_000).toISOString();
  const query = bench.db.dataSource.query.bind(bench.db.dataSource) as (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;
  const mark = database.kind === 'sqlite' ? '?' : '$1';
  let filed = 0;
  /** One lifecycle; `afterEach` sees the problem's id after every event (the sample, not the measured runs). */
  const lifecycle = async (afterEach?: (id: string) => Promise<void>): Promise<string> => {
    const problem = await engine.file(inspector.actor, benchFiling((filed += 1)));
    await afterEach?.(problem.id);
    const steps: Array<() => Promise<unknown>> = [
      () => engine.send(inspector.actor, problem.id, { type: 'ASSIGN', departmentId: org.departments.facilities, deadline }),
      () => engine.send(facilities.actor, problem.id, { type: 'START', measures: 'Move the pallets to rack B', responsiblePerson: 'Wang Fang', plannedCompletionDate: '2026-03-10' }),
      () => engine.send(facilities.actor, problem.id, { type: 'SUBMIT', summary: 'Exit cleared, keep-clear zone painted' }),
      () => engine.send(inspector.actor, problem.id, { type: 'APPROVE', comment: 'Verified on site' }),
      () => engine.send(supervisor.actor, problem.id, { type: 'CLOSE', comment: '销号' }),
    ];
    for (const step of steps) {
      await step();
      await afterEach?.(problem.id);
    }
    return problem.id;
  };
  return {
    async run(count) {
      const started = process.hrtime.bigint();
      for (let index = 0; index < count; index += 1) await lifecycle();
      return Number(process.hrtime.bigint() - started) / 1e9;
    },
    async sample() {
      const problems: Array<Record<string, unknown>> = [];
      const id = await lifecycle(async (problemId) => {
        problems.push((await query(`SELECT * FROM problems WHERE id = ${mark}`, [problemId]))[0]);
      });
      const history = await query(`SELECT * FROM problem_history WHERE problem_id = ${mark} ORDER BY version`, [id]);
      const outbox = await query(`SELECT * FROM outbox_events WHERE problem_id = ${mark} ORDER BY problem_version`, [id]);
      const metadata = bench.db.dataSource.getMetadata(ProblemEntity);
      const fixed = new Set<string>(PROBLEM_FIXED_AT_FILING.map((property) => metadata.findColumnWithPropertyName(property)!.databaseName));
      return { problems, history, outbox, changing: Object.keys(problems[0]).filter((column) => !fixed.has(column)) };
    },
    close: () => bench.close(),
  };
}

/** What the engine wrote for one lifecycle, event by event: the baseline writes the same rows. */
interface SampleRows {
  /** The problem row after each event (0 = as filed). */
  problems: Array<Record<string, unknown>>;
  /** The columns a transition writes (all but those fixed at filing), as the engine's UPDATE names them. */
  changing: string[];
  history: Array<Record<string, unknown>>;
  outbox: Array<Record<string, unknown>>;
}

/** Rows of the sample with fresh ids, for event `step` (0 = filing) of a baseline problem. */
function rowsFor(sample: SampleRows, problemId: string, step: number): { history: Record<string, unknown>; outbox: Record<string, unknown> } {
  const history = { ...sample.history[step], id: newId(), problem_id: problemId };
  const outbox = { ...sample.outbox[step], id: newId(), problem_id: problemId, published_at: null };
  return { history, outbox };
}

function insertSql(table: string, columns: string[], kind: 'sqlite' | 'postgres'): string {
  const marks = columns.map((_column, index) => (kind === 'sqlite' ? '?' : `$${index + 1}`));
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${marks.join(', ')})`;
}

/** The baseline on SQLite: better-sqlite3 prepared statements, one transaction per event. */
function rawSqlite(path: string, synchronous: string, sample: SampleRows): LifecycleRunner {
  const db = new Sqlite(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  const problemColumns = Object.keys(sample.problems[0]);
  const { changing } = sample;
  const historyColumns = Object.keys(sample.history[0]);
  const outboxColumns = Object.keys(sample.outbox[0]);
  const insertProblem = db.prepare(insertSql('problems', problemColumns, 'sqlite'));
  const insertHistory = db.prepare(insertSql('problem_history', historyColumns, 'sqlite'));
  const insertOutbox = db.prepare(insertSql('outbox_events', outboxColumns, 'sqlite'));
  const read = db.prepare('SELECT * FROM problems WHERE id = ?');
  const update = db.prepare(`UPDATE problems SET ${changing.map((column) => `${column} = ?`).join(', ')} WHERE id = ? AND version = ?`);
  const file = db.transaction((id: string) => {
    insertProblem.run(...problemColumns.map((column) => (column === 'id' ? id : sample.problems[0][column])));
    const { history, outbox } = rowsFor(sample, id, 0);
    insertHistory.run(...historyColumns.map((column) => history[column]));
    insertOutbox.run(...outboxColumns.map((column) => outbox[column]));
  });
  const event = db.transaction((id: string, step: number) => {
    const row = read.get(id) as { version: number };
    const next = sample.problems[step];
    update.run(...changing.map((column) => (column === 'version' ? row.version + 1 : next[column])), id, row.version);
    const { history, outbox } = rowsFor(sample, id, step);
    insertHistory.run(...historyColumns.map((column) => history[column]));
    insertOutbox.run(...outboxColumns.map((column) => outbox[column]));
  });
  return {
    async run(count) {
      const started = process.hrtime.bigint();
      for (let index = 0; index < count; index += 1) {
        const id = newId();
        file(id);
        for (let step = 1; step < EVENTS_PER_LIFECYCLE; step += 1) event(id, step);
      }
      return Number(process.hrtime.bigint() - started) / 1e9;
    },
    close: async () => {
      db.close();
    },
  };
}

/** The baseline on PostgreSQL: one client, named (prepared) statements, BEGIN … COMMIT per event. */
async function rawPostgres(url: string, sample: SampleRows): Promise<LifecycleRunner> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const problemColumns = Object.keys(sample.problems[0]);
  const { changing } = sample;
  const historyColumns = Object.keys(sample.history[0]);
  const outboxColumns = Object.keys(sample.outbox[0]);
  const statements = {
    insertProblem: insertSql('problems', problemColumns, 'postgres'),
    insertHistory: insertSql('problem_history', historyColumns, 'postgres'),
    insertOutbox: insertSql('outbox_events', outboxColumns, 'postgres'),
    read: 'SELECT * FROM problems WHERE id = $1',
    update: `UPDATE problems SET ${changing.map((column, index) => `${column} = $${index + 1}`).join(', ')} WHERE id = $${changing.length + 1} AND version = $${changing.length + 2}`,
  };
  const run = (name: keyof typeof statements, values: unknown[]) => client.query({ name, text: statements[name], values });
  return {
    async run(count) {
      const started = process.hrtime.bigint();
      for (let index = 0; index < count; index += 1) {
        const id = newId();
        await client.query('BEGIN');
        await run('insertProblem', problemColumns.map((column) => (column === 'id' ? id : sample.problems[0][column])));
        let rows = rowsFor(sample, id, 0);
        await run('insertHistory', historyColumns.map((column) => rows.history[column]));
        await run('insertOutbox', outboxColumns.map((column) => rows.outbox[column]));
        await client.query('COMMIT');
        for (let step = 1; step < EVENTS_PER_LIFECYCLE; step += 1) {
          await client.query('BEGIN');
          const {
            rows: [row],
          } = await run('read', [id]);
          const next = sample.problems[step];
          await run('update', [...changing.map((column) => (column === 'version' ? Number(row.version) + 1 : next[column])), id, row.version]);
          rows = rowsFor(sample, id, step);
          await run('insertHistory', historyColumns.map((column) => rows.history[column]));
          await run('insertOutbox', outboxColumns.map((column) => rows.outbox[column]));
          await client.query('COMMIT');
        }
      }
      return Number(process.hrtime.bigint() - started) / 1e9;
    },
    close: () => client.end(),
  };
}

export async function engineThroughput(database: BenchDatabase, lifecycles: number): Promise<ThroughputResult> {
  const engine = await engineRunner(database);
  // The baseline on a second, freshly migrated database of the same kind: the same schema and indexes.
  const baseline = await database.sibling('raw');
  try {
    const migrated = await openDatabase(baseline.options);
    await migrated.destroy();
    // Warm-up of both (JIT, statement caches), not counted; the engine's rows are the baseline's sample.
    await engine.run(Math.min(100, lifecycles));
    const sample = await engine.sample();
    const raw =
      baseline.options.kind === 'sqlite' ? rawSqlite(baseline.options.path, baseline.options.synchronous, sample) : await rawPostgres(baseline.options.url, sample);
    try {
      await raw.run(Math.min(100, lifecycles));
      const tick = progress(`lifecycles, engine and raw interleaved (${database.label})`, lifecycles);
      let engineSeconds = 0;
      let rawSeconds = 0;
      for (let round = 0, done = 0; round < ROUNDS; round += 1) {
        const count = Math.round((lifecycles * (round + 1)) / ROUNDS) - done;
        engineSeconds += await engine.run(count);
        rawSeconds += await raw.run(count);
        done += count;
        tick(done);
      }
      const events = lifecycles * EVENTS_PER_LIFECYCLE;
      const engineEventsPerSecond = events / engineSeconds;
      const rawEventsPerSecond = events / rawSeconds;
      return {
        database: database.label,
        lifecycles,
        events,
        engineEventsPerSecond: Math.round(engineEventsPerSecond),
        rawEventsPerSecond: Math.round(rawEventsPerSecond),
        ratio: Number((engineEventsPerSecond / rawEventsPerSecond).toFixed(2)),
      };
    } finally {
      await raw.close();
    }
  } finally {
    await engine.close();
    await baseline.drop();
  }
}
