/**
 * Scenario 3: the time to fire `due` timers while `open` problems are open: cost must follow the due timers, not the
 * open problems (the claim walks the next_timer_at index). SQLite file; the worker's scheduler, fake clock.
 */
import { benchFiling, createBenchEngine, openBenchEngine } from '../support/bench-engine.js';
import { sqliteBenchDatabase } from '../support/bench-environment.js';
import { problemRows, seedProblemRows } from '../support/seed-rows.js';

export interface SweepResult {
  open: number;
  due: number;
  fired: number;
  seconds: number;
  timersPerSecond: number;
}

export async function sweepScaling(open: number, due: number): Promise<SweepResult> {
  const database = sqliteBenchDatabase();
  if (database.options.kind !== 'sqlite') throw new Error('unreachable');
  try {
    // One real problem, assigned through the engine: its row is the template for the bulk rows.
    const seeding = await createBenchEngine(database.options);
    const { inspector } = seeding.org.users;
    const template = await seeding.engine.file(inspector.actor, benchFiling(0));
    const assigned = await seeding.engine.send(inspector.actor, template.id, { type: 'ASSIGN', departmentId: seeding.org.departments.facilities });
    await seeding.close();
    const [row] = problemRows(database.options.path, [template.id]);
    const dueAt = assigned.nextTimer!.fireAt;
    seedProblemRows(database.options.path, [row], open, (copy, index) => ({
      ...copy,
      next_timer: JSON.stringify({ ...assigned.nextTimer!, id: `${String(copy.id)}:v2:${assigned.nextTimer!.event.type}` }),
      next_timer_at: index < due ? dueAt : '2099-01-01T00:00:00.000Z',
    }));
    const bench = await openBenchEngine(database.options);
    try {
      bench.clock.set(new Date(Date.parse(dueAt) + 60_000));
      const started = process.hrtime.bigint();
      const result = await bench.scheduler.sweep();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      return { open, due, fired: result.fired, seconds: Number(seconds.toFixed(2)), timersPerSecond: Math.round(result.fired / seconds) };
    } finally {
      await bench.close();
    }
  } finally {
    await database.drop();
  }
}
