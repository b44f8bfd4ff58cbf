/**
 * Bulk filing: the time to import 1,000 and 10,000 findings (CSV over HTTP, multipart, mode all-or-nothing), and
 * to import the 10,000 again (all duplicates). A fresh SQLite file in a temp dir, or PostgreSQL with
 * `--pg=postgres://…/postgres` (a throw-away database is created there and dropped). Sizes: `--rows=1000,10000`.
 * Run: npm run build && node dist/bench/import-findings.js
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { AppModule } from '../apps/server/src/app.module.js';
import { configureApp } from '../apps/server/src/configure-app.js';
import { DEFAULT_IMPORT_OPTIONS } from '#config';
import { DEFAULT_EVENT_DELIVERY_OPTIONS } from '#events';
import { IdentityService, seedDemoOrganisation } from '#identity';
import type { DatabaseOptions } from '#persistence';
import { DEFAULT_SCHEDULER_OPTIONS } from '#scheduler';
import { findingsCsv } from './support/findings-csv.js';

const SIZES = (process.argv.find((arg) => arg.startsWith('--rows='))?.slice(7) ?? '1000,10000').split(',').map(Number);
const PG_URL = process.argv.find((arg) => arg.startsWith('--pg='))?.slice(5);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rk-import-'));
  const pgName = `rk_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  let database: DatabaseOptions = { kind: 'sqlite', path: join(dir, 'bench.sqlite'), synchronous: 'NORMAL' };
  if (PG_URL) {
    await admin(`CREATE DATABASE ${pgName}`);
    const url = new URL(PG_URL);
    url.pathname = `/${pgName}`;
    database = { kind: 'postgres', url: url.toString(), poolSize: 10 };
  }
  const app = await NestFactory.create(
    AppModule.forRoot({
      database,
      rateLimitPerMinute: 1_000_000,
      events: { ...DEFAULT_EVENT_DELIVERY_OPTIONS, relayIntervalMs: 0 },
      scheduler: { ...DEFAULT_SCHEDULER_OPTIONS, intervalMs: 0 },
      imports: { ...DEFAULT_IMPORT_OPTIONS, maxBytes: 50 * 1024 * 1024, maxRows: Math.max(...SIZES) },
    }),
    { bodyParser: false, logger: ['error'] },
  );
  configureApp(app, { bodyLimitKb: 256 });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const identity = app.get(IdentityService);
    await identity.bootstrapAdmin();
    const org = await seedDemoOrganisation(identity);
    const token = org.users.inspector.token;
    const post = async (inspection: string, file: Buffer) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(file)], { type: 'text/csv' }), 'findings.csv');
      const started = performance.now();
      const response = await fetch(`${base}/inspections/${inspection}/problems/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      const body = (await response.json()) as { filed?: unknown[]; duplicates?: unknown[]; code?: string };
      const seconds = (performance.now() - started) / 1000;
      if (response.status !== 201) throw new Error(`import → ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
      return { seconds, filed: body.filed?.length ?? 0, duplicates: body.duplicates?.length ?? 0 };
    };
    console.log(`Bulk filing on ${database.kind} (${PG_URL ? 'PostgreSQL' : 'SQLite file, synchronous=NORMAL'})`);
    for (const rows of SIZES) {
      const inspection = `BENCH-${rows}-${Date.now()}`;
      const file = findingsCsv(rows, inspection);
      const first = await post(inspection, file);
      const again = await post(inspection, file);
      console.log(
        `  ${rows.toLocaleString('en')} rows (${(file.length / 1024).toFixed(0)} KiB): import ${first.seconds.toFixed(2)} s ` +
          `(${first.filed} filed, ${Math.round(rows / first.seconds)} rows/s); again ${again.seconds.toFixed(2)} s (${again.duplicates} duplicates, 0 filed: ${again.filed === 0})`,
      );
    }
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    if (PG_URL) await admin(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
  }
}

void main();
