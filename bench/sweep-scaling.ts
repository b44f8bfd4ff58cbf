/**
 * Deadline sweep scaling: the time to fire 10,000 due timers while 10,000 vs 200,000 problems are open
 * (`--open=N` for other sizes). Cost should follow due timers, not open problems. SQLite file in a temp dir.
 * Run: npm run build && node dist/bench/sweep-scaling.js
 */
import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import { Clock, FakeClock, newId } from '../libs/domain/src/index.js';
import { ProblemRepository, RectificationEngine } from '../libs/engine/src/index.js';
import { DEFAULT_EVENT_DELIVERY_OPTIONS } from '../libs/events/src/index.js';
import { IdentityModule, IdentityService, seedDemoOrganisation } from '../libs/identity/src/index.js';
import { Database } from '../libs/persistence/src/index.js';
import { DeadlineScheduler, DEFAULT_SCHEDULER_OPTIONS } from '../libs/scheduler/src/index.js';

const DUE = Number(process.argv.find((arg) => arg.startsWith('--due='))?.slice(6) ?? 10_000);
const SIZES = (process.argv.find((arg) => arg.startsWith('--open='))?.slice(7) ?? '10000,200000').split(',').map(Number);

async function measure(open: number): Promise<{ open: number; due: number; fired: number; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'rk-sweep-'));
  const clock = new FakeClock(new Date('2026-03-02T01:00:00.000Z'));
  // The testing module only to swap in the fake clock: the rest is the worker as it runs.
  const moduleRef = await Test.createTestingModule({
    imports: [
      IdentityModule,
      WorkerModule.forRoot({
        database: { kind: 'sqlite', path: join(dir, 'bench.sqlite'), synchronous: 'NORMAL' },
        events: { ...DEFAULT_EVENT_DELIVERY_OPTIONS, relayIntervalMs: 0 },
        scheduler: { ...DEFAULT_SCHEDULER_OPTIONS, intervalMs: 0 },
        businessCalendar: 'CN',
      }),
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .setLogger(new ConsoleLogger({ logLevels: ['error'] }))
    .compile();
  const context = await moduleRef.init();
  try {
    const org = await seedDemoOrganisation(context.get(IdentityService));
    const engine = context.get(RectificationEngine);
    // One real problem, assigned through the engine: its row is the template for the bulk rows.
    const template = await engine.file(org.users.inspector.actor, {
      title: 'Template', description: 'd', category: 'c', severity: 'major', location: 'l', inspectionRef: 'BENCH', requirement: 'r',
    });
    await engine.send(org.users.inspector.actor, template.id, { type: 'ASSIGN', departmentId: org.departments.facilities });
    const assigned = (await context.get(ProblemRepository).findById(template.id))!;
    const db = context.get(Database);
    const [row] = await db.read((manager) => manager.query('SELECT * FROM problems WHERE id = ?', [template.id]));
    const columns = Object.keys(row);
    const insert = `INSERT INTO problems (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    const dueAt = assigned.nextTimer!.fireAt;
    process.stdout.write(`  seeding ${open.toLocaleString()} open problems (${DUE.toLocaleString()} due)… `);
    const started = Date.now();
    // Raw driver inserts in large transactions: this is set-up, not what is measured.
    const raw = (db.dataSource.driver as unknown as { databaseConnection: { prepare(sql: string): { run(...args: unknown[]): void }; transaction(fn: () => void): () => void } }).databaseConnection;
    const statement = raw.prepare(insert);
    for (let offset = 0; offset < open; offset += 10_000) {
      raw.transaction(() => {
        for (let index = offset; index < Math.min(open, offset + 10_000); index += 1) {
          const id = newId(clock.now().getTime());
          const due = index < DUE;
          const timer = { ...assigned.nextTimer!, id: `${id}:v2:DEADLINE_REMINDER` };
          const values = { ...row, id, next_timer: JSON.stringify(timer), next_timer_at: due ? dueAt : '2099-01-01T00:00:00.000Z' };
          statement.run(...columns.map((column) => values[column]));
        }
      })();
    }
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
    clock.set(new Date(Date.parse(dueAt) + 60_000));
    const scheduler = context.get(DeadlineScheduler);
    const t0 = process.hrtime.bigint();
    const result = await scheduler.sweep();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { open, due: DUE, fired: result.fired, seconds };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const open of SIZES) {
  console.log(`Sweep with ${open.toLocaleString()} open problems:`);
  const result = await measure(open);
  console.log(`  fired ${result.fired.toLocaleString()} timers in ${result.seconds.toFixed(2)} s (${Math.round(result.fired / result.seconds)} timers/s)`);
  results.push(result);
}
if (results.length >= 2) {
  const ratio = results[results.length - 1].seconds / results[0].seconds;
  console.log(`Ratio (${results[results.length - 1].open.toLocaleString()} vs ${results[0].open.toLocaleString()} open): ${ratio.toFixed(2)} (target ≤ 1.3)`);
}
