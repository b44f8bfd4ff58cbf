import { DEFAULT_EVIDENCE_OPTIONS, EVIDENCE_STORE_KINDS, type EvidenceOptions, type EvidenceStoreKind } from '#engine';
import { type EventDeliveryOptions, parseAddressRange } from '#events';
import { DEFAULT_SIGN_IN_OPTIONS, type SignInOptions } from '#identity';
import { LOG_FORMATS, type LogFormat } from '#logging';
import { DEFAULT_NOTIFY_OPTIONS, type NotifyOptions, SecretBox } from '#notify';
import {
  type DatabaseOptions,
  defaultRateLimitStore,
  RATE_LIMIT_STORE_KINDS,
  type RateLimitStoreOptions,
  SQLITE_SYNCHRONOUS_LEVELS,
  WAL_CHECKPOINT_MODES,
  defaultCheckpoints,
  type SqliteSynchronous,
} from '#persistence';
import type { SchedulerOptions } from '#scheduler';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  port: number;
  database: DatabaseOptions;
  bootstrapAdminToken?: string;
  /** BOOTSTRAP_ADMIN_PASSWORD: the first admin's one-time password (username `admin`); generated when unset. */
  bootstrapAdminPassword?: string;
  logLevel: LogLevel;
  /** `json` (one object a line, the default) or `pretty` (for a person at a terminal). */
  logFormat: LogFormat;
  bodyLimitKb: number;
  /** Requests per minute per API token. */
  rateLimitPerMinute: number;
  /** Where request limits are counted (RATE_LIMIT_STORE, REDIS_URL). */
  rateLimitStore: RateLimitStoreOptions;
  /** TRUST_PROXY: which peers' X-Forwarded-For names the client. */
  trustProxy: TrustProxy;
  /** Origins allowed to call the API from a browser; empty: CORS off. */
  corsOrigins: string[];
  /** `CN` (mainland China, with make-up working days) or another ISO 3166 country code. */
  businessCalendar: string;
  /** IANA time zone, needed for countries spanning several. */
  businessTimeZone?: string;
  /** A new problem repeats one closed this many days ago or less at the same place (0: no repeat detection). */
  repeatWindowDays: number;
  /** How many years ahead a deadline may lie (filing, ASSIGN, extensions); further is refused. */
  deadlineHorizonYears: number;
  /** Outbox relay and webhook delivery. */
  events: EventDeliveryOptions;
  /** The deadline scheduler. */
  scheduler: SchedulerOptions;
  imports: ImportOptions;
  /** Evidence files: the store (files or the database) and its directory, limits, whether SUBMIT requires them (EVIDENCE_*). */
  evidence: EvidenceOptions;
  /** GET /metrics for Prometheus (METRICS_*). */
  metrics: MetricsOptions;
  /** Sign-in for people: session cookie, expiry, lock-out (SESSION_*, SIGN_IN_*). */
  signIn: SignInOptions;
  /** Notifications: email and group robots (NOTIFY_*). */
  notify: NotifyOptions;
}

/** GET /metrics: whether it is served, who may scrape it, how long database figures are reused. */
export interface MetricsOptions {
  /** METRICS_ENABLED: false answers /metrics with 404, as an unknown path. */
  enabled: boolean;
  /**
   * METRICS_TOKEN: a bearer token for the scraper alone (it reads metrics and nothing else). Administrators'
   * API tokens are accepted too; unset, only they may scrape.
   */
  token?: string;
  /** METRICS_CACHE_MS: how long the queue figures read from the database (timers, outbox, deliveries) are reused. */
  cacheMs: number;
  /** METRICS_PROBLEM_COUNTS_MS: how long the problem counts are reused (they visit every problem: dearer). */
  problemCountsMs: number;
}

/**
 * Express's `trust proxy`: false trusts no one (the socket's peer is the client), a number trusts that many hops
 * nearest the server, a list trusts the proxies at those addresses (CIDRs, or loopback, linklocal, uniquelocal).
 */
export type TrustProxy = false | number | string[];

const PROXY_ADDRESS_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxy(env: NodeJS.ProcessEnv): TrustProxy {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '') return false;
  if (/^\d+$/.test(raw)) {
    const hops = integer(env, 'TRUST_PROXY', 0, 0, 10);
    return hops === 0 ? false : hops;
  }
  const list = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  const bad = list.find((entry) => !PROXY_ADDRESS_NAMES.includes(entry) && parseAddressRange(entry) === null);
  if (bad !== undefined || list.length === 0) {
    throw new ConfigError(
      'TRUST_PROXY',
      `must be a number of proxy hops (0 to 10) or a comma-separated list of proxy addresses or CIDR ranges such as 10.0.0.5,10.1.0.0/16 (or loopback, linklocal, uniquelocal), got "${bad ?? raw}".`,
    );
  }
  return list.map((entry) => {
    const range = parseAddressRange(entry);
    return range === null ? entry : `${range.address}/${range.prefix}`;
  });
}

function rateLimitStore(env: NodeJS.ProcessEnv, database: DatabaseOptions): RateLimitStoreOptions {
  const url = env.REDIS_URL?.trim() || undefined;
  if (url !== undefined && !/^rediss?:\/\/\S+$/.test(url)) {
    throw new ConfigError('REDIS_URL', 'must be a Redis URL such as redis://127.0.0.1:6379 (rediss:// for TLS).');
  }
  const fallback = url === undefined ? defaultRateLimitStore(database).kind : 'redis';
  const kind = oneOf(env, 'RATE_LIMIT_STORE', RATE_LIMIT_STORE_KINDS, fallback);
  if (kind !== 'redis') return { kind };
  if (url === undefined) throw new ConfigError('RATE_LIMIT_STORE', 'is redis, but REDIS_URL (such as redis://127.0.0.1:6379) is not set.');
  return { kind, url };
}

export const DEFAULT_METRICS_OPTIONS: MetricsOptions = { enabled: true, cacheMs: 5000, problemCountsMs: 60_000 };

/**
 * Bulk filing (POST /inspections/:ref/problems/import): the largest file and the most rows one import takes, and
 * the bounds checked while an .xlsx workbook (a ZIP of XML) is read, so that a small file cannot inflate into
 * gigabytes (a decompression bomb). Each is named after its IMPORT_* variable.
 */
export interface ImportOptions {
  /** IMPORT_MAX_BYTES: the uploaded file. */
  maxBytes: number;
  /** IMPORT_MAX_ROWS: rows of findings (blank rows not counted). */
  maxRows: number;
  /** IMPORT_MAX_UNCOMPRESSED_BYTES: all parts of a workbook, as declared and as inflated while read. */
  maxUncompressedBytes: number;
  /** IMPORT_MAX_ENTRY_UNCOMPRESSED_BYTES: any one part (a sheet, the shared strings). */
  maxEntryUncompressedBytes: number;
  /** IMPORT_MAX_RATIO: inflated / compressed bytes, for parts (and the whole) inflating beyond 1 MiB. */
  maxRatio: number;
  /** IMPORT_MAX_SHEETS: sheets in the workbook (only the first is read). */
  maxSheets: number;
  /** IMPORT_MAX_CELLS: cells in the sheet, empty ones and those of merged ranges included; fields of a CSV. */
  maxCells: number;
  /** IMPORT_MAX_CELL_CHARS: characters in one cell (32,767 is Excel's own limit). */
  maxCellChars: number;
  /** IMPORT_MAX_SHARED_STRINGS: entries of the workbook's shared-strings table. */
  maxSharedStrings: number;
  /** IMPORT_MAX_SHARED_STRING_CHARS: characters of all shared strings together. */
  maxSharedStringChars: number;
}

export const DEFAULT_IMPORT_OPTIONS: ImportOptions = {
  maxBytes: 5 * 1024 * 1024,
  maxRows: 10_000,
  maxUncompressedBytes: 50 * 1024 * 1024,
  maxEntryUncompressedBytes: 25 * 1024 * 1024,
  maxRatio: 100,
  maxSheets: 32,
  maxCells: 200_000,
  maxCellChars: 32_767,
  maxSharedStrings: 200_000,
  maxSharedStringChars: 16_000_000,
};

function importOptions(env: NodeJS.ProcessEnv): ImportOptions {
  const d = DEFAULT_IMPORT_OPTIONS;
  const MiB = 1024 * 1024;
  const maxUncompressedBytes = integer(env, 'IMPORT_MAX_UNCOMPRESSED_BYTES', d.maxUncompressedBytes, MiB, 1024 * MiB);
  const options: ImportOptions = {
    maxBytes: integer(env, 'IMPORT_MAX_BYTES', d.maxBytes, 1024, 100 * MiB),
    maxRows: integer(env, 'IMPORT_MAX_ROWS', d.maxRows, 1, 1_000_000),
    maxUncompressedBytes,
    maxEntryUncompressedBytes: integer(
      env,
      'IMPORT_MAX_ENTRY_UNCOMPRESSED_BYTES',
      Math.min(d.maxEntryUncompressedBytes, maxUncompressedBytes),
      64 * 1024,
      1024 * MiB,
    ),
    maxRatio: integer(env, 'IMPORT_MAX_RATIO', d.maxRatio, 2, 10_000),
    maxSheets: integer(env, 'IMPORT_MAX_SHEETS', d.maxSheets, 1, 10_000),
    maxCells: integer(env, 'IMPORT_MAX_CELLS', d.maxCells, 1, 100_000_000),
    maxCellChars: integer(env, 'IMPORT_MAX_CELL_CHARS', d.maxCellChars, 1, MiB),
    maxSharedStrings: integer(env, 'IMPORT_MAX_SHARED_STRINGS', d.maxSharedStrings, 1, 100_000_000),
    maxSharedStringChars: integer(env, 'IMPORT_MAX_SHARED_STRING_CHARS', d.maxSharedStringChars, 1, 1024 * MiB),
  };
  if (options.maxEntryUncompressedBytes > options.maxUncompressedBytes) {
    throw new ConfigError(
      'IMPORT_MAX_ENTRY_UNCOMPRESSED_BYTES',
      `must not be larger than IMPORT_MAX_UNCOMPRESSED_BYTES (${options.maxUncompressedBytes}), got "${options.maxEntryUncompressedBytes}".`,
    );
  }
  return options;
}

function metricsOptions(env: NodeJS.ProcessEnv): MetricsOptions {
  const token = env.METRICS_TOKEN || undefined;
  if (token !== undefined && !/^\S{16,512}$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN', 'must be 16 to 512 characters long, without spaces.');
  }
  return {
    enabled: flag(env, 'METRICS_ENABLED', DEFAULT_METRICS_OPTIONS.enabled),
    ...(token === undefined ? {} : { token }),
    cacheMs: integer(env, 'METRICS_CACHE_MS', DEFAULT_METRICS_OPTIONS.cacheMs, 0, 300_000),
    problemCountsMs: integer(env, 'METRICS_PROBLEM_COUNTS_MS', DEFAULT_METRICS_OPTIONS.problemCountsMs, 0, 3_600_000),
  };
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|on|yes)$/i.test(raw)) return true;
  if (/^(0|false|off|no)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}".`);
}

/** The largest evidence file the database store takes: a row is written in one statement and read back in slices. */
export const DATABASE_EVIDENCE_MAX_BYTES = 100 * 1024 * 1024;

/**
 * EVIDENCE_STORE is `file` by default on either database: an installation upgraded in place keeps its evidence where
 * it is (its servers would refuse to start on the database store, which does not hold its files). Several servers on
 * PostgreSQL choose: one shared directory (EVIDENCE_DIR, mounted on every host), or the database, which needs nothing
 * shared but carries every file in the database, its dumps and its backups.
 */
function evidenceOptions(env: NodeJS.ProcessEnv): EvidenceOptions {
  const raw = env.EVIDENCE_STORE?.trim();
  let store: EvidenceStoreKind = DEFAULT_EVIDENCE_OPTIONS.store;
  if (raw !== undefined && raw !== '') {
    const found = EVIDENCE_STORE_KINDS.find((kind) => kind === raw.toLowerCase());
    if (!found) {
      throw new ConfigError(
        'EVIDENCE_STORE',
        `must be file (evidence files under EVIDENCE_DIR, the default) or database (evidence in the database, shared by every server on it), got "${raw}".`,
      );
    }
    store = found;
  }
  const maxBytes = integer(env, 'EVIDENCE_MAX_BYTES', DEFAULT_EVIDENCE_OPTIONS.maxBytes, 1, 1024 * 1024 * 1024);
  if (store === 'database' && maxBytes > DATABASE_EVIDENCE_MAX_BYTES) {
    throw new ConfigError(
      'EVIDENCE_MAX_BYTES',
      `must be at most ${DATABASE_EVIDENCE_MAX_BYTES} (100 MiB) with EVIDENCE_STORE=database, got "${maxBytes}": keep larger files in the file store (EVIDENCE_STORE=file).`,
    );
  }
  return {
    store,
    dir: env.EVIDENCE_DIR || DEFAULT_EVIDENCE_OPTIONS.dir,
    maxBytes,
    allowedTypes: mediaTypes(env),
    requiredForSubmit: flag(env, 'EVIDENCE_REQUIRED_FOR_SUBMIT', true),
  };
}

function mediaTypes(env: NodeJS.ProcessEnv): string[] {
  const raw = env.EVIDENCE_TYPES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_EVIDENCE_OPTIONS.allowedTypes;
  const list = raw.split(',').map((type) => type.trim().toLowerCase()).filter(Boolean);
  const bad = list.find((type) => !/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type));
  if (bad !== undefined || list.length === 0) {
    throw new ConfigError('EVIDENCE_TYPES', `must be a comma-separated list of media types such as image/jpeg,application/pdf, got "${bad ?? raw}".`);
  }
  return list;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return Number(raw);
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = (allowed.find((option) => option.toLowerCase() === raw.toLowerCase()));
  if (!value) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}".`);
  return value;
}

function country(env: NodeJS.ProcessEnv): string {
  const raw = env.BUSINESS_CALENDAR;
  if (raw === undefined || raw === '') return 'CN';
  if (!/^[A-Za-z]{2}$/.test(raw)) {
    throw new ConfigError('BUSINESS_CALENDAR', `must be a two-letter country code such as CN or DE, got "${raw}".`);
  }
  return raw.toUpperCase();
}

function timeZone(raw: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
  } catch {
    throw new ConfigError('BUSINESS_TIME_ZONE', `must be an IANA time zone such as Asia/Shanghai, got "${raw}".`);
  }
  return raw;
}

function origins(env: NodeJS.ProcessEnv): string[] {
  const raw = env.CORS_ORIGINS;
  if (raw === undefined || raw.trim() === '') return [];
  const list = raw.split(',').map((origin) => origin.trim()).filter(Boolean);
  const bad = list.find((origin) => !/^https?:\/\/[^/\s]+$/.test(origin));
  if (bad !== undefined) {
    throw new ConfigError('CORS_ORIGINS', `must be a comma-separated list of origins such as https://ledger.example.org, got "${bad}".`);
  }
  return list;
}

/** Loopback, private and other reserved addresses webhooks may reach nonetheless (IPs or CIDRs, comma-separated). */
function allowedTargets(env: NodeJS.ProcessEnv): string[] {
  const raw = env.WEBHOOK_ALLOWED_TARGETS;
  if (raw === undefined || raw.trim() === '') return [];
  const list = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  const bad = list.find((entry) => parseAddressRange(entry) === null);
  if (bad !== undefined || list.length === 0) {
    throw new ConfigError(
      'WEBHOOK_ALLOWED_TARGETS',
      `must be a comma-separated list of IP addresses or CIDR ranges such as 10.20.0.0/16,127.0.0.1/32,fd00::/8, got "${bad ?? raw}".`,
    );
  }
  return list.map((entry) => {
    const range = parseAddressRange(entry)!;
    return `${range.address}/${range.prefix}`;
  });
}

function signInOptions(env: NodeJS.ProcessEnv): SignInOptions {
  const d = DEFAULT_SIGN_IN_OPTIONS;
  return {
    cookieSecure: flag(env, 'SESSION_COOKIE_SECURE', d.cookieSecure),
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', d.sessionIdleMinutes, 1, 7 * 24 * 60),
    sessionMaxHours: integer(env, 'SESSION_MAX_HOURS', d.sessionMaxHours, 1, 24 * 90),
    maxFailures: integer(env, 'SIGN_IN_MAX_FAILURES', d.maxFailures, 1, 100),
    lockMinutes: integer(env, 'SIGN_IN_LOCK_MINUTES', d.lockMinutes, 1, 24 * 60),
  };
}

function notifyOptions(env: NodeJS.ProcessEnv): NotifyOptions {
  const d = DEFAULT_NOTIFY_OPTIONS;
  const secretKey = env.NOTIFY_SECRET_KEY || undefined;
  if (secretKey !== undefined) {
    try {
      SecretBox.fromSetting(secretKey, 'NOTIFY_SECRET_KEY');
    } catch (error) {
      throw new ConfigError('NOTIFY_SECRET_KEY', `must be 32 random bytes as base64 or 64 hex digits (openssl rand -base64 32): ${(error as Error).message}.`);
    }
  }
  const consoleUrl = env.NOTIFY_CONSOLE_URL?.trim() || null;
  if (consoleUrl !== null && !/^https?:\/\/[^\s]+$/.test(consoleUrl)) {
    throw new ConfigError('NOTIFY_CONSOLE_URL', `must be the console's address such as https://rectify.example.org, got "${consoleUrl}".`);
  }
  const digestAt = env.NOTIFY_DAILY_DIGEST_AT;
  if (digestAt !== undefined && digestAt !== '' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(digestAt)) {
    throw new ConfigError('NOTIFY_DAILY_DIGEST_AT', `must be a local time HH:MM such as 09:00 (empty: no daily digest), got "${digestAt}".`);
  }
  return {
    ...(secretKey === undefined ? {} : { secretKey }),
    consoleUrl: consoleUrl?.replace(/\/+$/, '') ?? null,
    robotPerMinute: integer(env, 'NOTIFY_ROBOT_PER_MINUTE', d.robotPerMinute, 1, 1000),
    digestMaxItems: integer(env, 'NOTIFY_DIGEST_MAX_ITEMS', d.digestMaxItems, 2, 100),
    criticalEscalationsImmediate: flag(env, 'NOTIFY_CRITICAL_ESCALATIONS_IMMEDIATE', d.criticalEscalationsImmediate),
    dailyDigestAt: digestAt === undefined ? d.dailyDigestAt : digestAt || null,
    intervalMs: integer(env, 'NOTIFY_INTERVAL_MS', d.intervalMs, 0, 3_600_000),
    timeoutMs: integer(env, 'NOTIFY_TIMEOUT_MS', d.timeoutMs, 100, 120_000),
    maxAttempts: integer(env, 'NOTIFY_MAX_ATTEMPTS', d.maxAttempts, 1, 100),
    coverageWarningDays: integer(env, 'NOTIFY_COVERAGE_WARNING_DAYS', d.coverageWarningDays, 1, 366),
    groupLanguage: oneOf(env, 'NOTIFY_GROUP_LANGUAGE', ['zh', 'en'] as const, d.groupLanguage),
  };
}

/** Reads and validates the environment once at start-up; a bad value stops the process naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '' && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError('DATABASE_URL', 'must be a PostgreSQL URL such as postgres://user@127.0.0.1:5432/db.');
  }
  // FULL by default: an acknowledged event survives power loss too, not only a crashed process (see README).
  const synchronous: SqliteSynchronous = oneOf(env, 'SQLITE_SYNCHRONOUS', SQLITE_SYNCHRONOUS_LEVELS, 'FULL');
  const database: DatabaseOptions = url
    ? { kind: 'postgres', url, poolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200) }
    : {
        kind: 'sqlite',
        path: env.DATABASE_PATH || './data/rectification.sqlite',
        synchronous,
        checkpoints: oneOf(env, 'SQLITE_CHECKPOINTS', WAL_CHECKPOINT_MODES, defaultCheckpoints(synchronous)),
      };
  const bootstrapAdminToken = env.BOOTSTRAP_ADMIN_TOKEN || undefined;
  if (bootstrapAdminToken !== undefined && bootstrapAdminToken.length < 16) {
    throw new ConfigError('BOOTSTRAP_ADMIN_TOKEN', 'must be at least 16 characters long.');
  }
  const bootstrapAdminPassword = env.BOOTSTRAP_ADMIN_PASSWORD || undefined;
  // The full password rules (not the username, not a common one) are checked when the admin is created.
  if (bootstrapAdminPassword !== undefined && ([...bootstrapAdminPassword].length < 10 || [...bootstrapAdminPassword].length > 200)) {
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD', 'must be 10 to 200 characters long.');
  }
  const webhookConcurrency = integer(env, 'WEBHOOK_CONCURRENCY', 32, 1, 1000);
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    database,
    bootstrapAdminToken,
    bootstrapAdminPassword,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'log'),
    logFormat: oneOf(env, 'LOG_FORMAT', LOG_FORMATS, 'json'),
    bodyLimitKb: integer(env, 'BODY_LIMIT_KB', 256, 1, 10240),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 1200, 1, 10_000_000),
    rateLimitStore: rateLimitStore(env, database),
    trustProxy: trustProxy(env),
    corsOrigins: origins(env),
    events: {
      relayIntervalMs: integer(env, 'EVENT_RELAY_INTERVAL_MS', 1000, 0, 3_600_000),
      webhookMaxFailures: integer(env, 'WEBHOOK_MAX_FAILURES', 10, 1, 1000),
      webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      // Renewed every third of it: at 5 s or more a renewal has over 3 s, the time a write rides out a lost
      // connection, before the lease runs out.
      webhookLeaseMs: integer(env, 'WEBHOOK_LEASE_MS', 30_000, 5_000, 600_000),
      webhookConcurrency,
      webhookConcurrencyPerSubscription: integer(env, 'WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION', Math.min(4, webhookConcurrency), 1, webhookConcurrency),
      webhookAllowedTargets: allowedTargets(env),
      // At least a second: every re-check reads each open stream's token and user; no 0, since it is how
      // revocations on other servers reach this one's streams.
      streamRecheckMs: integer(env, 'EVENT_STREAM_RECHECK_MS', 30_000, 1000, 3_600_000),
    },
    scheduler: {
      intervalMs: integer(env, 'SCHEDULER_INTERVAL_MS', 1000, 0, 3_600_000),
      batchSize: integer(env, 'SCHEDULER_BATCH_SIZE', 200, 1, 10_000),
      leaseMs: integer(env, 'SCHEDULER_LEASE_MS', 60_000, 1000, 3_600_000),
    },
    imports: importOptions(env),
    evidence: evidenceOptions(env),
    metrics: metricsOptions(env),
    signIn: signInOptions(env),
    notify: notifyOptions(env),
    businessCalendar: country(env),
    repeatWindowDays: integer(env, 'REPEAT_WINDOW_DAYS', 365, 0, 3650),
    // At most 50: the deadline explanation counts every working day up to the deadline (see deadline-explanation.ts).
    deadlineHorizonYears: integer(env, 'DEADLINE_HORIZON_YEARS', 5, 1, 50),
    ...(env.BUSINESS_TIME_ZONE ? { businessTimeZone: timeZone(env.BUSINESS_TIME_ZONE) } : {}),
  };
}
