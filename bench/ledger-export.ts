/**
 * Ledger export time: GET /ledger?format=csv and ?format=xlsx over HTTP, and GET /ledger/summary, for N problems
 * (`--problems=N`, default 100,000) as an admin sees them. SQLite file in a temp dir; the server as `npm start`
 * builds it, listening on a free port; the body is read and counted, not kept.
 * Run: npm run build && node dist/bench/ledger-export.js
 */
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../apps/server/src/app.module.js';
import { configureApp } from '../apps/server/src/configure-app.js';
import { Clock, FakeClock, newId } from '#domain';
import { RectificationEngine } from '#engine';
import { DEFAULT_EVENT_DELIVERY_OPTIONS } from '#events';
import { IdentityService, seedDemoOrganisation } from '#identity';
import { Database } from '#persistence';
import { DEFAULT_SCHEDULER_OPTIONS } from '#scheduler';

const PROBLEMS = Number(process.argv.find((arg) => arg.startsWith('--problems='))?.slice(11) ?? 100_000);

const dir = mkdtempSync(join(tmpdir(), 'rk-ledger-'));
const clock = new FakeClock(new Date('2026-03-02T01:00:00.000Z'));
const moduleRef = await Test.createTestingModule({
  imports: [
    AppModule.forRoot({
      database: { kind: 'sqlite', path: join(dir, 'bench.sqlite'), synchronous: 'NORMAL' },
      rateLimitPerMinute: 1_000_000,
      events: { ...DEFAULT_EVENT_DELIVERY_OPTIONS, relayIntervalMs: 0 },
      scheduler: { ...DEFAULT_SCHEDULER_OPTIONS, intervalMs: 0 },
      businessCalendar: 'CN',
    }),
  ],
})
  .overrideProvider(Clock)
  .useValue(clock)
  .compile();
const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
configureApp(app, { bodyLimitKb: 256 });
await app.listen(0, '127.0.0.1');
const port = (app.getHttpServer().address() as { port: number }).port;

try {
  const identity = app.get(IdentityService);
  const admin = (await identity.bootstrapAdmin())!;
  const org = await seedDemoOrganisation(identity);
  const engine = app.get(RectificationEngine);
  // One real problem, driven through the engine (assigned, planned, a progress report): the template row.
  const template = await engine.file(org.users.inspector.actor, {
    title: '消防通道堵塞, 东侧', description: 'd', category: 'fire-safety', severity: 'major', location: '3号仓库', inspectionRef: 'BENCH', requirement: 'r',
  });
  await engine.send(org.users.inspector.actor, template.id, { type: 'ASSIGN', departmentId: org.departments.facilities });
  await engine.send(org.users.facilities.actor, template.id, {
    type: 'START', measures: 'Move the pallets', responsiblePerson: '王芳', plannedCompletionDate: '2026-03-10',
  });
  await engine.send(org.users.facilities.actor, template.id, { type: 'REPORT_PROGRESS', note: '已清理一半\n待复查', percent: 50 });
  const db = app.get(Database);
  const [row] = await db.read((manager) => manager.query('SELECT * FROM problems WHERE id = ?', [template.id]));
  const columns = Object.keys(row);
  const insert = `INSERT INTO problems (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  process.stdout.write(`Seeding ${PROBLEMS.toLocaleString()} problems… `);
  const seeded = Date.now();
  // Raw driver inserts in large transactions: set-up, not what is measured.
  const raw = (db.dataSource.driver as unknown as { databaseConnection: { prepare(sql: string): { run(...args: unknown[]): void }; transaction(fn: () => void): () => void } }).databaseConnection;
  const statement = raw.prepare(insert);
  for (let offset = 1; offset < PROBLEMS; offset += 10_000) {
    raw.transaction(() => {
      for (let index = offset; index < Math.min(PROBLEMS, offset + 10_000); index += 1) {
        const values = { ...row, id: newId(clock.now().getTime()), inspection_ref: `BENCH-${index % 50}` };
        statement.run(...columns.map((column) => values[column]));
      }
    })();
  }
  console.log(`${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  clock.set('2026-04-30T02:00:00.000Z');

  for (const [path, query] of [
    ['/ledger', 'format=csv'],
    ['/ledger', 'format=xlsx'],
    ['/ledger/summary', 'format=json'],
  ] as const) {
    const t0 = process.hrtime.bigint();
    const response = await fetch(`http://127.0.0.1:${port}${path}?${query}`, { headers: { authorization: `Bearer ${admin.token}` } });
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const memory = Math.round(process.memoryUsage().rss / 1024 / 1024);
    console.log(`GET ${path}?${query}: ${response.status}, ${(bytes / 1024 / 1024).toFixed(1)} MB in ${seconds.toFixed(2)} s (${Math.round(PROBLEMS / seconds).toLocaleString()} rows/s, rss ${memory} MB)`);
  }
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
