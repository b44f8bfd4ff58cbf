/**
 * `npm run bench`: every scenario of the performance issue, each figure beside a baseline measured in the same run
 * on the same machine. Prints a table and writes bench/results/latest.json (a subset: latest-<scenarios>.json).
 *   --full    the large sizes (1,000,000 open problems, …); a few minutes without, much longer with
 *   --smoke   tiny sizes, to prove the bench still runs (CI)
 *   --only=engine,http,sweep,memory,reads,console   a subset
 * PostgreSQL scenarios run when DATABASE_URL points at a PostgreSQL server (a throw-away database is made there).
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_TARGET_MS, consoleRender } from './scenarios/console-render.js';
import { type EnginePhases, enginePhases } from './scenarios/engine-phases.js';
import { type ThroughputResult, engineThroughput } from './scenarios/engine-throughput.js';
import { type HttpResult, httpThroughput } from './scenarios/http-throughput.js';
import { memory } from './scenarios/memory.js';
import { readPaths } from './scenarios/read-paths.js';
import { sweepScaling } from './scenarios/sweep-scaling.js';
import { environment, postgresBenchDatabase, sqliteBenchDatabase } from './support/bench-environment.js';

const args = process.argv.slice(2);
const mode = args.includes('--full') ? 'full' : args.includes('--smoke') ? 'smoke' : 'quick';
const only = args.find((arg) => arg.startsWith('--only='))?.slice(7).split(',');
const wanted = (scenario: string) => only === undefined || only.includes(scenario);
const postgresUrl = process.env.DATABASE_URL || undefined;

const SIZES = {
  smoke: { lifecycles: 50, httpSeconds: 3, sweep: [200, 2_000], sweepDue: 200, memory: [200, 2_000], rowsPerImport: 500, reads: 5_000, pageRequests: 20, summaryRequests: 2, consoleProblems: 500, consoleVisits: 3 },
  quick: { lifecycles: 2_000, httpSeconds: 20, sweep: [10_000, 200_000], sweepDue: 10_000, memory: [1_000, 50_000], rowsPerImport: 1_000, reads: 200_000, pageRequests: 300, summaryRequests: 3, consoleProblems: 100_000, consoleVisits: 10 },
  full: { lifecycles: 10_000, httpSeconds: 60, sweep: [10_000, 1_000_000], sweepDue: 10_000, memory: [1_000, 1_000_000], rowsPerImport: 5_000, reads: 1_000_000, pageRequests: 1_000, summaryRequests: 3, consoleProblems: 100_000, consoleVisits: 20 },
}[mode];

const results: Record<string, unknown> = { mode, startedAt: new Date().toISOString(), environment: await environment(postgresUrl) };
const table: Array<[string, string, string, string]> = [];
const row = (scenario: string, figure: string, value: string, target: string) => table.push([scenario, figure, value, target]);
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');

console.log(`Benchmark (${mode}) on ${JSON.stringify(results.environment)}`);

if (wanted('engine')) {
  console.log('\n1. Engine throughput (and 6. durability): lifecycles through the engine vs the raw driver');
  const throughput: ThroughputResult[] = [];
  for (const database of [sqliteBenchDatabase('FULL'), sqliteBenchDatabase('NORMAL'), ...(postgresUrl ? [await postgresBenchDatabase(postgresUrl)] : [])]) {
    try {
      const result = await engineThroughput(database, SIZES.lifecycles);
      throughput.push(result);
      console.log(`   ${result.database}: engine ${result.engineEventsPerSecond} events/s, raw ${result.rawEventsPerSecond} events/s, ratio ${result.ratio}`);
      row(`1. engine vs raw, ${result.database}`, 'events/s engine / raw', `${result.engineEventsPerSecond} / ${result.rawEventsPerSecond} = ${result.ratio}`, `≥ 0.5 ${verdict(result.ratio >= 0.5)}`);
    } finally {
      await database.drop();
    }
  }
  results.engineThroughput = throughput;

  console.log('\n1b. Where an event\'s time goes in the engine (µs per event, the lifecycle\'s five events after filing)');
  const phases: EnginePhases[] = [];
  for (const database of [sqliteBenchDatabase('FULL'), sqliteBenchDatabase('NORMAL'), ...(postgresUrl ? [await postgresBenchDatabase(postgresUrl)] : [])]) {
    try {
      const result = await enginePhases(database, Math.max(10, Math.round(SIZES.lifecycles / 4)));
      phases.push(result);
      const { decision, commit } = result;
      console.log(
        `   ${result.database}: ${result.total} µs = caller ${result.caller} + load ${result.load} + lookups ${result.lookups} + notices ${result.noticeAddressing}` +
          ` + decision ${decision.all} (transition ${decision.transition}, timer ${decision.timerPlan}, rules ${decision.permissionRulesDeadlines})` +
          ` + records ${result.records} + commit ${commit.all} (database ${commit.databaseTransaction}, rows ${commit.rowMapping}) + other ${result.other}`,
      );
      row(
        `1b. engine phases, ${result.database}`,
        'µs/event: transaction + load / decision / records / other',
        `${(commit.databaseTransaction + result.load).toFixed(1)} / ${decision.all} / ${result.records} / ${result.other}`,
        'profile',
      );
    } finally {
      await database.drop();
    }
  }
  results.enginePhases = phases;
}

if (wanted('http')) {
  console.log('\n2. HTTP throughput and latency: the same lifecycle over HTTP, 32 connections');
  const engineRates = new Map(((results.engineThroughput as ThroughputResult[] | undefined) ?? []).map((r) => [r.database, r.engineEventsPerSecond]));
  const http: Array<HttpResult & { ratioToEngine: number | null }> = [];
  for (const database of [sqliteBenchDatabase(), ...(postgresUrl ? [await postgresBenchDatabase(postgresUrl)] : [])]) {
    try {
      const result = await httpThroughput(database.label, database.options, SIZES.httpSeconds);
      const engineRate = engineRates.get(database.label);
      const ratioToEngine = engineRate ? Number((result.eventsPerSecond / engineRate).toFixed(2)) : null;
      http.push({ ...result, ratioToEngine });
      console.log(`   ${result.database}: ${result.eventsPerSecond} events/s, p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, errors ${result.errors}`);
      row(
        `2. HTTP, ${result.database}`,
        'events/s (ratio to 1), p50 / p99, errors',
        `${result.eventsPerSecond} (${ratioToEngine ?? 'n/a'}), ${result.latencyP50Ms} / ${result.latencyP99Ms} ms, ${result.errors}`,
        `ratio ≥ 0.3, 0 errors ${verdict((ratioToEngine ?? 0) >= 0.3 && result.errors === 0)}`,
      );
    } finally {
      await database.drop();
    }
  }
  results.http = http;
}

if (wanted('sweep')) {
  console.log(`\n3. Deadline sweep: ${SIZES.sweepDue.toLocaleString('en')} due timers with few vs many open problems (SQLite)`);
  const sweeps = [];
  for (const open of SIZES.sweep) {
    const result = await sweepScaling(open, SIZES.sweepDue);
    sweeps.push(result);
    console.log(`   ${open.toLocaleString('en')} open: fired ${result.fired.toLocaleString('en')} in ${result.seconds} s (${result.timersPerSecond} timers/s)`);
  }
  const ratio = Number((sweeps[1].seconds / sweeps[0].seconds).toFixed(2));
  results.sweep = { runs: sweeps, ratio };
  row('3. sweep scaling', `${SIZES.sweep.map((n) => n.toLocaleString('en')).join(' vs ')} open`, `${sweeps[0].seconds} s vs ${sweeps[1].seconds} s = ${ratio}`, `≤ 1.3 ${verdict(ratio <= 1.3)}`);
}

if (wanted('memory')) {
  console.log(`\n4. Memory: server RSS after GC, ${SIZES.memory.map((n) => n.toLocaleString('en')).join(' vs ')} filed problems (SQLite)`);
  const database = sqliteBenchDatabase();
  try {
    const result = await memory(database.options, SIZES.memory[0], SIZES.memory[1], SIZES.rowsPerImport);
    results.memory = result;
    console.log(`   RSS ${result.rssSmallMiB} MiB vs ${result.rssLargeMiB} MiB, ratio ${result.ratio} (V8 heap in use ${result.heapSmallMiB} vs ${result.heapLargeMiB} MiB)`);
    row('4. memory', `RSS after ${SIZES.memory.map((n) => n.toLocaleString('en')).join(' vs ')}`, `${result.rssSmallMiB} vs ${result.rssLargeMiB} MiB = ${result.ratio}`, `≤ 1.2 ${verdict(result.ratio <= 1.2)}`);
  } finally {
    await database.drop();
  }
}

if (wanted('reads')) {
  console.log(`\n5. Read paths with ${SIZES.reads.toLocaleString('en')} problems stored (SQLite)`);
  const reads = await readPaths(SIZES.reads, SIZES.pageRequests, SIZES.summaryRequests);
  results.readPaths = reads;
  for (const result of reads.results) {
    console.log(`   ${result.endpoint}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (${result.requests} requests)`);
    const page = result.endpoint.startsWith('GET /problems');
    row(`5. ${result.endpoint}`, 'p50 / p99', `${result.p50Ms} / ${result.p99Ms} ms`, page ? `p99 < 50 ms ${verdict(result.p99Ms < 50)}` : 'reported');
  }
  for (const [query, plan] of Object.entries(reads.queryPlans)) console.log(`   plan of ${query}: ${plan.join(' | ')}`);
}

if (wanted('console')) {
  console.log(`\n7. Console: first page of rows in Chromium with ${SIZES.consoleProblems.toLocaleString('en')} problems stored (SQLite), warm, ${SIZES.consoleVisits} visits`);
  const screens = await consoleRender(SIZES.consoleProblems, SIZES.consoleVisits);
  results.console = screens;
  for (const screen of screens) {
    console.log(`   ${screen.page} (${screen.user}): p50 ${screen.p50Ms} ms, p95 ${screen.p95Ms} ms (min ${screen.minMs}, max ${screen.maxMs})`);
    for (const request of screen.requests) {
      console.log(`     GET ${decodeURIComponent(request.path)}: p50 ${request.p50DurationMs} ms (p95 ${request.p95DurationMs}), answered at p50 ${request.p50EndedMs} ms after navigation start`);
    }
    row(
      `7. console ${screen.page} (${screen.user}), ${SIZES.consoleProblems.toLocaleString('en')} problems`,
      `first rows p50 / p95, ${screen.visits} visits`,
      `${screen.p50Ms} / ${screen.p95Ms} ms`,
      `p95 < ${CONSOLE_TARGET_MS / 1000} s ${verdict(screen.p95Ms < CONSOLE_TARGET_MS)}`,
    );
    // The slowest request of the screen, whether or not the first rows waited for it.
    const slowest = [...screen.requests].sort((a, b) => b.p50DurationMs - a.p50DurationMs)[0];
    if (slowest) row(`7. console ${screen.page}, its slowest request`, 'p50 / p95', `GET ${decodeURIComponent(slowest.path)} ${slowest.p50DurationMs} / ${slowest.p95DurationMs} ms`, 'reported');
  }
}

results.table = table.map(([scenario, figure, value, target]) => ({ scenario, figure, value, target }));
const widths = [0, 1, 2, 3].map((column) => Math.max(...[['Scenario', 'Figure', 'Value', 'Target'], ...table].map((line) => line[column].length)));
console.log('');
for (const line of [['Scenario', 'Figure', 'Value', 'Target'] as [string, string, string, string], ...table]) {
  console.log(line.map((cell, column) => cell.padEnd(widths[column])).join(' | '));
}
const directory = join(import.meta.dirname, '..', '..', 'bench', 'results');
mkdirSync(directory, { recursive: true });
// The smoke run only proves the bench runs: its figures are not results. A subset keeps the whole run's file.
const file = join(directory, mode === 'smoke' ? 'smoke.json' : only ? `latest-${only.join('-')}.json` : 'latest.json');
writeFileSync(file, `${JSON.stringify({ ...results, finishedAt: new Date().toISOString() }, null, 2)}\n`);
console.log(`\nWritten to ${file}`);
