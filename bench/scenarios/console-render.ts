/**
 * Scenario 7: the console with `count` problems stored (SQLite): in Debian's Chromium, signed in as the department
 * user and as the supervisor, the time from navigation start until the first page of rows is on screen, warm (one
 * unmeasured visit first), over `visits` visits: /inbox until its first table row, /overview until the state counts
 * and the first rows of the overdue list. Each visit's API requests are timed too, so a slow one can be named.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page, type Request } from 'playwright-core';
import { IdentityService, seedDemoOrganisation } from '#identity';
import { BENCH_START, benchFiling, openBenchEngine } from '../support/bench-engine.js';
import { sqliteBenchDatabase } from '../support/bench-environment.js';
import { startServer } from '../support/bench-server.js';
import { problemRows, seedProblemRows } from '../support/seed-rows.js';

/** Debian's Chromium: the bench never downloads a browser. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
/** The demo's shared password, given to the demo users at seeding (not to be changed at first sign-in). */
const PASSWORD = 'bench-console-2026';
const DAY_MS = 86_400_000;
/** The target for the first page of either screen. */
export const CONSOLE_TARGET_MS = 1_500;

export interface RequestTiming {
  path: string;
  /** Milliseconds from navigation start to the request's start and to its last byte. */
  startedMs: number;
  endedMs: number;
}

export interface ConsoleRenderResult {
  problems: number;
  page: string;
  user: string;
  visits: number;
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  /** Per API path: median duration and median end (from navigation start) over the visits. */
  requests: Array<{ path: string; p50DurationMs: number; p50EndedMs: number; p95DurationMs: number }>;
}

function percentile(sorted: number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}

/**
 * What "first page of rows on screen" means per screen, checked in the page after every DOM change; the time is
 * taken at the next animation frame (the paint that shows it). Antd renders data rows as `tr[data-row-key]` only
 * once a table has its data, and a Card's skeleton as `.ant-card-loading` until its count has arrived.
 */
const READY_PROBE = `(() => {
  const ready = {
    '/inbox': () => document.querySelector('main .ant-table-tbody tr[data-row-key]') !== null,
    '/overview': () => {
      const main = document.querySelector('main');
      const byState = main && main.querySelector('.ant-row');
      const overdueList = main && main.querySelector('.ant-table');
      return !!byState && byState.querySelectorAll('.ant-statistic').length > 0 && byState.querySelector('.ant-card-loading') === null
        && !!overdueList && overdueList.querySelector('tr[data-row-key]') !== null;
    },
  }[location.pathname];
  if (!ready) return;
  window.__firstRowsMs = null;
  const observer = new MutationObserver(() => {
    if (window.__firstRowsMs !== null || !ready()) return;
    observer.disconnect();
    window.__firstRowsMs = -1;
    requestAnimationFrame(() => { window.__firstRowsMs = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
})();`;

async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** After the first rows, how long the page must make no API request before a visit counts as over. */
const QUIET_MS = 1_000;

/**
 * One navigation to `path`, timed in the page (performance.now() is measured from navigation start), with the API
 * requests it made. Returns once every one of them has been answered and the page has asked nothing more for
 * QUIET_MS (the overview asks for its summary after its first rows), so the next visit does not share the server
 * with this one's slower requests: a navigation cancels a fetch in the browser, not the work it started.
 */
async function visit(page: Page, path: string, check: (page: Page) => Promise<void>): Promise<{ ms: number; requests: RequestTiming[] }> {
  const started: Array<{ url: string; finished: Promise<{ startTime: number; responseEnd: number } | null> }> = [];
  let lastRequestAt = Date.now();
  const onRequest = (request: Request) => {
    if (request.resourceType() !== 'fetch' && request.resourceType() !== 'xhr') return;
    lastRequestAt = Date.now();
    const finished = new Promise<{ startTime: number; responseEnd: number } | null>((resolve) => {
      const done = (r: Request) => {
        if (r !== request) return;
        page.off('requestfinished', done);
        page.off('requestfailed', failed);
        resolve(request.timing());
      };
      const failed = (r: Request) => {
        if (r !== request) return;
        page.off('requestfinished', done);
        page.off('requestfailed', failed);
        resolve(null);
      };
      page.on('requestfinished', done);
      page.on('requestfailed', failed);
    });
    started.push({ url: request.url(), finished });
  };
  page.on('request', onRequest);
  try {
    await page.goto(path, { waitUntil: 'commit' });
    const deadline = Date.now() + 60_000;
    let ms: number | null = null;
    while (ms === null || ms < 0) {
      if (Date.now() > deadline) throw new Error(`${path}: the first rows did not show within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      ms = (await page.evaluate('window.__firstRowsMs ?? null')) as number | null;
    }
    await check(page);
    for (let seen = 0; seen < started.length || Date.now() - lastRequestAt < QUIET_MS; ) {
      if (seen < started.length) {
        await started[seen].finished;
        seen += 1;
        lastRequestAt = Math.max(lastRequestAt, Date.now());
      } else {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const timeOrigin = (await page.evaluate('performance.timeOrigin')) as number;
    const requests: RequestTiming[] = [];
    for (const { url, finished } of started) {
      const timing = await finished;
      if (timing === null || timing.responseEnd < 0) continue;
      const startedMs = timing.startTime - timeOrigin;
      const { pathname, search } = new URL(url);
      requests.push({ path: `${pathname}${search}`, startedMs: Math.round(startedMs), endedMs: Math.round(startedMs + timing.responseEnd) });
    }
    return { ms, requests };
  } finally {
    page.off('request', onRequest);
  }
}

/** What a screen showed is what was seeded: not a spinner, an error or an empty table that happened to have a row. */
async function rowsShown(page: Page): Promise<number> {
  return (await page.evaluate("document.querySelector('main .ant-table-tbody').querySelectorAll('tr[data-row-key]').length")) as number;
}

/** The overview's first count (all problems in scope), as its card shows it ("100,000"). */
async function totalShown(page: Page): Promise<number> {
  const text = (await page.evaluate("document.querySelector('main .ant-row .ant-statistic-content-value')?.textContent ?? ''")) as string;
  return Number(text.replace(/\D/g, ''));
}

export async function consoleRender(count: number, visits: number): Promise<ConsoleRenderResult[]> {
  // Before the seeding, not after it.
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (the bench never downloads a browser)`);
  const database = sqliteBenchDatabase();
  if (database.options.kind !== 'sqlite') throw new Error('unreachable');
  try {
    // Templates: real problems in every state, in both departments, with deadlines spread so that, once the fake
    // clock has moved on and the scheduler has fired what fell due, some are on track, due soon, overdue or
    // escalated. Copies cycle through them.
    const bench = await openBenchEngine(database.options);
    const identity = bench.context.get(IdentityService);
    await identity.bootstrapAdmin();
    const org = await seedDemoOrganisation(identity, { password: PASSWORD });
    const { engine } = bench;
    const { inspector, supervisor, facilities, production } = org.users;
    const at = (days: number) => new Date(BENCH_START.getTime() + days * DAY_MS).toISOString();
    const ids: string[] = [];
    const file = async () => {
      const problem = await engine.file(inspector.actor, benchFiling(ids.length));
      ids.push(problem.id);
      return problem.id;
    };
    await file();
    for (const [department, user] of [
      [org.departments.facilities, facilities],
      [org.departments.production, production],
    ] as const) {
      const plan = { type: 'START', measures: 'Clear the exit, mark the zone', responsiblePerson: 'p', plannedCompletionDate: at(30).slice(0, 10) } as const;
      // Deadlines in days from the start; the clock moves to day 17 below (a Thursday).
      for (const [deadlineDay, started] of [
        [60, false], [45, true], [30, true], [19, false], [18, true], [16, false], [16, true], [10, true], [3, false], [3, true],
      ] as const) {
        const id = await file();
        await engine.send(inspector.actor, id, { type: 'ASSIGN', departmentId: department, deadline: at(deadlineDay) });
        if (started) await engine.send(user.actor, id, plan);
      }
      const submitted = await file();
      await engine.send(inspector.actor, submitted, { type: 'ASSIGN', departmentId: department, deadline: at(30) });
      await engine.send(user.actor, submitted, plan);
      await engine.send(user.actor, submitted, { type: 'SUBMIT', summary: 'Exit cleared' });
      const verified = await file();
      await engine.send(inspector.actor, verified, { type: 'ASSIGN', departmentId: department, deadline: at(30) });
      await engine.send(user.actor, verified, plan);
      await engine.send(user.actor, verified, { type: 'SUBMIT', summary: 'Exit cleared' });
      await engine.send(inspector.actor, verified, { type: 'APPROVE', comment: 'Verified on site' });
      const closed = await file();
      await engine.send(inspector.actor, closed, { type: 'ASSIGN', departmentId: department, deadline: at(30) });
      await engine.send(user.actor, closed, plan);
      await engine.send(user.actor, closed, { type: 'SUBMIT', summary: 'Exit cleared' });
      await engine.send(inspector.actor, closed, { type: 'APPROVE', comment: 'Verified on site' });
      await engine.send(supervisor.actor, closed, { type: 'CLOSE', comment: '销号' });
      const cancelled = await file();
      await engine.send(inspector.actor, cancelled, { type: 'CANCEL', reason: 'Filed twice' });
    }
    bench.clock.set(new Date(at(17)));
    await bench.scheduler.sweep();
    // Overdue and not yet escalated: the default policy's first escalation falls due at the deadline itself, so a
    // problem stays overdue only until the scheduler's next round. These have DEADLINE_PASSED fired and the
    // ESCALATE after it left for a round that does not come (the server's scheduler is off below).
    const overdue: string[] = [];
    for (const [department, user] of [
      [org.departments.facilities, facilities],
      [org.departments.production, production],
    ] as const) {
      for (const started of [false, true, true]) {
        const id = await file();
        overdue.push(id);
        const deadline = new Date(bench.clock.now().getTime() + 3_600_000).toISOString();
        await engine.send(inspector.actor, id, { type: 'ASSIGN', departmentId: department, deadline });
        if (started) await engine.send(user.actor, id, { type: 'START', measures: 'Clear the exit', responsiblePerson: 'p', plannedCompletionDate: deadline.slice(0, 10) });
      }
    }
    bench.clock.set(new Date(bench.clock.now().getTime() + 2 * 3_600_000));
    for (const id of overdue) {
      for (let fired = 0; fired < 5; fired += 1) {
        const problem = await bench.problems.findById(id);
        if (!problem?.nextTimer || problem.deadlineState === 'overdue') break;
        await engine.fireTimer(id, problem.nextTimer.id);
      }
    }
    await bench.close();
    const templates = problemRows(database.options.path, ids);
    const spread = (key: string) => {
      const tally = new Map<string, number>();
      for (const template of templates) tally.set(String(template[key]), (tally.get(String(template[key])) ?? 0) + 1);
      return [...tally].map(([value, n]) => `${value} ${n}`).join(', ');
    };
    console.log(`   templates: ${templates.length} (states: ${spread('state')}; deadline states: ${spread('deadline_state')})`);
    for (const needed of ['overdue', 'escalated', 'dueSoon']) {
      if (!templates.some((template) => template.deadline_state === needed)) throw new Error(`No template problem is ${needed}: the deadlines above no longer produce one`);
    }
    seedProblemRows(database.options.path, templates, count);

    // Its scheduler and relay off: the stored deadline states stay as seeded, and nothing else runs beside the pages.
    const server = await startServer(database.options, { SCHEDULER_INTERVAL_MS: '0', EVENT_RELAY_INTERVAL_MS: '0' });
    const browser = await launchChromium();
    try {
      const results: ConsoleRenderResult[] = [];
      const screens = [
        // The inbox's page and the overview's list size (INBOX_PAGE_SIZE, LIST_SIZE); the supervisor's office
        // sees every problem, its inspector having filed them all.
        { page: '/inbox', user: facilities, role: 'department', expectedRows: 20, expectedTotal: null },
        { page: '/overview', user: supervisor, role: 'supervisor', expectedRows: 20, expectedTotal: count + templates.length },
      ];
      for (const screen of screens) {
        const context = await browser.newContext({ baseURL: server.baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } });
        try {
          context.setDefaultTimeout(60_000);
          const page = await context.newPage();
          // Signing in through the page, as a person does (not measured).
          await page.goto('/sign-in');
          await page.locator('input[autocomplete="username"]').fill(screen.user.username);
          await page.locator('input[autocomplete="current-password"]').fill(PASSWORD);
          await page.locator('button[type="submit"]').click();
          await page.waitForURL((url) => url.pathname !== '/sign-in');
          await context.addInitScript({ content: READY_PROBE });
          const check = async (shown: Page) => {
            const rows = await rowsShown(shown);
            if (rows !== screen.expectedRows) throw new Error(`${screen.page}: ${rows} rows shown, ${screen.expectedRows} expected`);
            if (screen.expectedTotal !== null) {
              const total = await totalShown(shown);
              if (total !== screen.expectedTotal) throw new Error(`${screen.page}: total ${total} shown, ${screen.expectedTotal} stored`);
            }
          };
          await visit(page, screen.page, check);
          const measured: Array<{ ms: number; requests: RequestTiming[] }> = [];
          for (let n = 0; n < visits; n += 1) measured.push(await visit(page, screen.page, check));
          const times = measured.map((one) => one.ms).sort((a, b) => a - b);
          const byPath = new Map<string, { durations: number[]; ends: number[] }>();
          for (const request of measured.flatMap((one) => one.requests)) {
            const entry = byPath.get(request.path) ?? { durations: [], ends: [] };
            entry.durations.push(request.endedMs - request.startedMs);
            entry.ends.push(request.endedMs);
            byPath.set(request.path, entry);
          }
          const requests = [...byPath].map(([path, { durations, ends }]) => {
            durations.sort((a, b) => a - b);
            ends.sort((a, b) => a - b);
            return { path, p50DurationMs: percentile(durations, 50), p50EndedMs: percentile(ends, 50), p95DurationMs: percentile(durations, 95) };
          });
          requests.sort((a, b) => a.p50EndedMs - b.p50EndedMs);
          results.push({
            problems: count,
            page: screen.page,
            user: screen.role,
            visits,
            p50Ms: percentile(times, 50),
            p95Ms: percentile(times, 95),
            minMs: Math.round(times[0]),
            maxMs: Math.round(times[times.length - 1]),
            requests,
          });
        } finally {
          await context.close();
        }
      }
      return results;
    } finally {
      await browser.close();
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}
