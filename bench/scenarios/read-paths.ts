/**
 * Scenario 5: read paths with `count` problems stored (SQLite): a page of 50 of GET /problems filtered by department
 * and state, as an admin and as the department itself, and GET /ledger/summary; p50/p99 over HTTP against the started
 * server, and the query plans of the page queries.
 */
import Sqlite from 'better-sqlite3';
import { benchFiling, createBenchEngine } from '../support/bench-engine.js';
import { sqliteBenchDatabase } from '../support/bench-environment.js';
import { startServer } from '../support/bench-server.js';
import { problemRows, seedProblemRows } from '../support/seed-rows.js';

export interface ReadPathResult {
  problems: number;
  endpoint: string;
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1));
}

export async function readPaths(count: number, pageRequests: number, summaryRequests: number): Promise<{ results: ReadPathResult[]; queryPlans: Record<string, string[]> }> {
  const database = sqliteBenchDatabase();
  if (database.options.kind !== 'sqlite') throw new Error('unreachable');
  try {
    // Templates: real problems in several states, in two departments; copies cycle through them.
    const bench = await createBenchEngine(database.options);
    const { engine, org } = bench;
    const { inspector, facilities, production } = org.users;
    const deadline = new Date(bench.clock.now().getTime() + 30 * 86_400_000).toISOString();
    const ids: string[] = [];
    for (const [department, user] of [
      [org.departments.facilities, facilities],
      [org.departments.production, production],
    ] as const) {
      for (let stage = 0; stage < 4; stage += 1) {
        const problem = await engine.file(inspector.actor, benchFiling(ids.length));
        ids.push(problem.id);
        if (stage === 0) continue;
        await engine.send(inspector.actor, problem.id, { type: 'ASSIGN', departmentId: department, deadline });
        if (stage === 1) continue;
        await engine.send(user.actor, problem.id, { type: 'START', measures: 'm', responsiblePerson: 'p', plannedCompletionDate: deadline.slice(0, 10) });
        if (stage === 2) continue;
        await engine.send(user.actor, problem.id, { type: 'REPORT_PROGRESS', note: 'half way', percent: 50 });
      }
    }
    const { adminToken } = bench;
    await bench.close();
    const templates = problemRows(database.options.path, ids);
    seedProblemRows(database.options.path, templates, count);

    const plans: Record<string, string[]> = {};
    const sqlite = new Sqlite(database.options.path, { readonly: true });
    const plan = (label: string, sql: string, params: unknown[]) => {
      plans[label] = (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((row) => row.detail);
    };
    plan('GET /problems?department&state (admin)', 'SELECT p.* FROM problems p WHERE p.department_id = ? AND p.state = ? ORDER BY p.id DESC LIMIT 50', [org.departments.facilities, 'rectifying']);
    plan(
      'GET /problems?department&state (department user)',
      'SELECT p.* FROM problems p WHERE (p.department_id IN (?) OR p.filer_department_id IN (?) OR EXISTS (SELECT 1 FROM problem_departments pd WHERE pd.problem_id = p.id AND pd.department_id IN (?))) ' +
        'AND p.department_id = ? AND p.state = ? ORDER BY p.id DESC LIMIT 50',
      [org.departments.facilities, org.departments.facilities, org.departments.facilities, org.departments.facilities, 'rectifying'],
    );
    sqlite.close();

    const server = await startServer(database.options, { SCHEDULER_INTERVAL_MS: '0', EVENT_RELAY_INTERVAL_MS: '0' });
    try {
      const time = async (endpoint: string, token: string, paths: string[]): Promise<ReadPathResult> => {
        const durations: number[] = [];
        for (const path of paths) {
          const started = performance.now();
          const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
          const body = await response.text();
          durations.push(performance.now() - started);
          if (!response.ok) throw new Error(`${path} → ${response.status} ${body.slice(0, 300)}`);
        }
        durations.sort((a, b) => a - b);
        return { problems: count, endpoint, requests: durations.length, p50Ms: percentile(durations, 50), p99Ms: percentile(durations, 99) };
      };
      const page = `/problems?department=${org.departments.facilities}&state=rectifying&limit=50`;
      // Warm-up, not counted.
      await time('warm-up', adminToken, Array.from({ length: 20 }, () => page));
      const results = [
        await time('GET /problems?department&state&limit=50 (admin)', adminToken, Array.from({ length: pageRequests }, () => page)),
        await time('GET /problems?department&state&limit=50 (department user)', facilities.token, Array.from({ length: pageRequests }, () => page)),
        await time('GET /ledger/summary (admin, every problem)', adminToken, Array.from({ length: summaryRequests }, () => '/ledger/summary')),
      ];
      return { results, queryPlans: plans };
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}
