import 'reflect-metadata';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../apps/server/src/app.module.js';
import { configureApp } from '../../apps/server/src/configure-app.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_METRICS_OPTIONS, type MetricsOptions, type TrustProxy } from '#config';
import type { RateLimitStoreOptions } from '#persistence';
import { Clock, FakeClock } from '#domain';
import { DEFAULT_EVIDENCE_OPTIONS, type EvidenceOptions } from '#engine';
import { DEFAULT_EVENT_DELIVERY_OPTIONS, type EventDeliveryOptions, WebhookHostResolver } from '#events';
import { DEFAULT_SCHEDULER_OPTIONS } from '#scheduler';
import { JsonLogger, type LogDestination } from '#logging';
import { DEFAULT_SIGN_IN_OPTIONS, type DemoOrganisation, IdentityService, seedDemoOrganisation, type SignInOptions } from '#identity';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { DEFAULT_NOTIFY_OPTIONS, type NotifyOptions } from '#notify';

export const TEST_BODY_LIMIT_KB = 64;

export interface TestApp {
  app: INestApplication;
  clock: FakeClock;
  database: TestDatabase;
  org: DemoOrganisation;
  adminToken: string;
  /** Tokens by demo role name. */
  tokens: { admin: string; inspector: string; supervisor: string; facilities: string; production: string };
  http(): ReturnType<typeof request>;
  /** The evidence store of this app (a fresh directory, removed on close). */
  evidence: EvidenceOptions;
  close(): Promise<void>;
  /** Stops the server as a crash or a restart would, leaving its database and evidence for `restartOf`. */
  stop(): Promise<void>;
}

/** Seals notification channels in tests (32 bytes, hex); production reads NOTIFY_SECRET_KEY. */
export const TEST_NOTIFY_SECRET_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

/**
 * The whole server (same module, pipes, filters and guards as `npm start`) on a fresh real database, or, with
 * `restartOf`, a new server on the database, evidence and clock time of one that was stopped.
 */
export async function createTestApp(
  options: {
    rateLimitPerMinute?: number;
    events?: Partial<EventDeliveryOptions>;
    repeatWindowDays?: number;
    /** DEADLINE_HORIZON_YEARS (default 5). */
    deadlineHorizonYears?: number;
    evidence?: Partial<EvidenceOptions>;
    /** How webhook deliveries resolve host names (default: the system's DNS). */
    webhookHostResolver?: WebhookHostResolver;
    /**
     * Log through the server's JSON logger into `sink`, at `level` (default: the most verbose), instead of Nest's
     * console logger showing errors only.
     */
    log?: { sink: LogDestination; level?: LogLevel };
    /** METRICS_* (default: served, no scrape token, database figures read afresh at every scrape). */
    metrics?: Partial<MetricsOptions>;
    /** SESSION_* and SIGN_IN_* (default: the production defaults, but the cookie not Secure: tests speak plain HTTP). */
    signIn?: Partial<SignInOptions>;
    /** NOTIFY_* (default: rounds by hand, a fixed test key sealing channels, no console links). */
    notify?: Partial<NotifyOptions>;
    /**
     * A stopped app whose database (and organisation) the new server starts on; or a running one, for a second
     * server beside it (stop it with `stop()`: `close()` drops the database).
     */
    restartOf?: TestApp;
    /** A fresh database to start on (default: one of the kind TEST_DATABASE asks for). */
    database?: TestDatabase;
    /** A running app whose database (and organisation) a second server shares; closing it leaves the database. */
    beside?: TestApp;
    /** RATE_LIMIT_STORE (default: memory on SQLite, the database on PostgreSQL). */
    rateLimitStore?: RateLimitStoreOptions;
    /** TRUST_PROXY (default: none). */
    trustProxy?: TrustProxy;
    /** Where the built console is (default: none, so the API alone is served, whatever dist/ holds). */
    consoleDir?: string;
  } = {},
): Promise<TestApp> {
  const previous = options.restartOf ?? options.beside;
  const database = previous?.database ?? options.database ?? (await createTestDatabase());
  const clock = new FakeClock(previous ? previous.clock.now() : new Date('2026-03-02T01:00:00.000Z'));
  // A second server (or a restart) shares the first one's evidence settings, unless told otherwise (another EVIDENCE_DIR…).
  const evidence: EvidenceOptions = previous
    ? { ...previous.evidence, ...options.evidence }
    : { ...DEFAULT_EVIDENCE_OPTIONS, dir: mkdtempSync(join(tmpdir(), 'rk-evidence-')), ...options.evidence };
  const appModule = AppModule.forRoot({
    evidence,
    database: database.options,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000_000,
    ...(options.rateLimitStore === undefined ? {} : { rateLimitStore: options.rateLimitStore }),
    // No background rounds: tests relay and deliver by hand (relayOnce, deliverDue).
    // Test receivers listen on loopback, which webhooks may reach only when allowed (`webhookAllowedTargets: []`
    // gives the production default).
    events: { ...DEFAULT_EVENT_DELIVERY_OPTIONS, relayIntervalMs: 0, webhookAllowedTargets: ['127.0.0.1/32', '::1/128'], ...options.events },
    // Tests sweep by hand, moving the fake clock.
    scheduler: { ...DEFAULT_SCHEDULER_OPTIONS, intervalMs: 0 },
    // Test filings share one location and category: repeat detection is switched on only where it is tested.
    repeatWindowDays: options.repeatWindowDays ?? 0,
    metrics: { ...DEFAULT_METRICS_OPTIONS, cacheMs: 0, problemCountsMs: 0, ...options.metrics },
    signIn: { ...DEFAULT_SIGN_IN_OPTIONS, cookieSecure: false, ...options.signIn },
    notify: { ...DEFAULT_NOTIFY_OPTIONS, intervalMs: 0, secretKey: TEST_NOTIFY_SECRET_KEY, ...options.notify },
    ...(options.deadlineHorizonYears === undefined ? {} : { deadlineHorizonYears: options.deadlineHorizonYears }),
  });
  let builder = Test.createTestingModule({ imports: [appModule] }).overrideProvider(Clock).useValue(clock);
  if (options.webhookHostResolver) builder = builder.overrideProvider(WebhookHostResolver).useValue(options.webhookHostResolver);
  const moduleRef = await builder.compile();
  const logger = options.log ? new JsonLogger({ level: options.log.level ?? 'verbose', destination: options.log.sink, app: 'server' }) : (['error'] as LogLevel[]);
  const app = moduleRef.createNestApplication({ bodyParser: false, logger });
  configureApp(app, { bodyLimitKb: TEST_BODY_LIMIT_KB, consoleDir: options.consoleDir ?? join(tmpdir(), 'rk-no-console'), trustProxy: options.trustProxy });
  await app.init();

  const server = app.getHttpServer();
  const common = {
    app,
    clock,
    database,
    http: () => request(server),
    evidence,
    async close() {
      await app.close();
      if (options.beside) return;
      await database.drop();
      rmSync(evidence.dir, { recursive: true, force: true });
    },
    async stop() {
      await app.close();
    },
  };
  if (previous) return { ...common, org: previous.org, adminToken: previous.adminToken, tokens: previous.tokens };
  const identity = app.get(IdentityService);
  const admin = await identity.bootstrapAdmin();
  if (!admin) throw new Error('expected an empty test database');
  const org = await seedDemoOrganisation(identity);
  return {
    ...common,
    org,
    adminToken: admin.token,
    tokens: {
      admin: admin.token,
      inspector: org.users.inspector.token,
      supervisor: org.users.supervisor.token,
      facilities: org.users.facilities.token,
      production: org.users.production.token,
    },
  };
}

export function aFiling(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Fire exit blocked by stored goods',
    description: 'Pallets stacked in front of the east fire exit of warehouse 3.',
    category: 'fire-safety',
    severity: 'major',
    location: 'Warehouse 3, east exit',
    inspectionRef: 'INSP-2026-031',
    requirement: 'Clear the exit and mark a keep-clear zone.',
    ...overrides,
  };
}
