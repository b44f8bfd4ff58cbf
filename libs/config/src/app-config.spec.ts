import { describe, expect, it } from '@jest/globals';
import { DEFAULT_EVIDENCE_OPTIONS } from '#engine';
import { ConfigError, loadConfig } from './app-config.js';

describe(loadConfig.name, () => {
  it('has working defaults for an empty environment: embedded SQLite on port 3000', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      database: { kind: 'sqlite', path: './data/rectification.sqlite', synchronous: 'FULL', checkpoints: 'inline' },
      bootstrapAdminToken: undefined,
      logLevel: 'log',
      logFormat: 'json',
      bodyLimitKb: 256,
      rateLimitPerMinute: 1200,
      rateLimitStore: { kind: 'memory' },
      trustProxy: false,
      corsOrigins: [],
      events: {
        relayIntervalMs: 1000,
        webhookMaxFailures: 10,
        webhookTimeoutMs: 10_000,
        webhookLeaseMs: 30_000,
        webhookConcurrency: 32,
        webhookConcurrencyPerSubscription: 4,
        webhookAllowedTargets: [],
        streamRecheckMs: 30_000,
      },
      scheduler: { intervalMs: 1000, batchSize: 200, leaseMs: 60_000 },
      imports: {
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
      },
      evidence: {
        store: 'file',
        dir: './data/evidence',
        maxBytes: 20 * 1024 * 1024,
        allowedTypes: DEFAULT_EVIDENCE_OPTIONS.allowedTypes,
        requiredForSubmit: true,
      },
      businessCalendar: 'CN',
      repeatWindowDays: 365,
      deadlineHorizonYears: 5,
      metrics: { enabled: true, cacheMs: 5000, problemCountsMs: 60_000 },
      signIn: { cookieSecure: true, sessionIdleMinutes: 30, sessionMaxHours: 12, maxFailures: 5, lockMinutes: 15 },
      notify: {
        consoleUrl: null,
        robotPerMinute: 20,
        digestMaxItems: 20,
        criticalEscalationsImmediate: true,
        dailyDigestAt: '09:00',
        intervalMs: 5000,
        timeoutMs: 10_000,
        maxAttempts: 8,
        coverageWarningDays: 60,
        groupLanguage: 'zh',
      },
    });
  });

  it('checkpoints SQLite in the background when commits do not sync (NORMAL, OFF), inline when they do, unless told', () => {
    const checkpoints = (env: NodeJS.ProcessEnv) => {
      const { database } = loadConfig(env);
      return database.kind === 'sqlite' ? database.checkpoints : null;
    };
    expect(checkpoints({ SQLITE_SYNCHRONOUS: 'NORMAL' })).toBe('background');
    expect(checkpoints({ SQLITE_SYNCHRONOUS: 'OFF' })).toBe('background');
    expect(checkpoints({ SQLITE_SYNCHRONOUS: 'EXTRA' })).toBe('inline');
    expect(checkpoints({ SQLITE_SYNCHRONOUS: 'NORMAL', SQLITE_CHECKPOINTS: 'inline' })).toBe('inline');
  });

  it('treats empty values as unset', () => {
    const env = { PORT: '', DATABASE_URL: '', SQLITE_SYNCHRONOUS: '', SQLITE_CHECKPOINTS: '', BOOTSTRAP_ADMIN_TOKEN: '', LOG_LEVEL: '', LOG_FORMAT: '', BODY_LIMIT_KB: '' };

    expect(loadConfig(env)).toEqual(loadConfig({}));
  });

  it('reads every setting', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_PATH: '/var/lib/rect/db.sqlite',
      SQLITE_SYNCHRONOUS: 'full',
      SQLITE_CHECKPOINTS: 'Background',
      BOOTSTRAP_ADMIN_TOKEN: 'a-very-long-admin-token',
      BOOTSTRAP_ADMIN_PASSWORD: 'a one-time admin password',
      SESSION_COOKIE_SECURE: 'false',
      SESSION_IDLE_MINUTES: '15',
      SESSION_MAX_HOURS: '8',
      SIGN_IN_MAX_FAILURES: '10',
      SIGN_IN_LOCK_MINUTES: '30',
      LOG_LEVEL: 'DEBUG',
      LOG_FORMAT: 'Pretty',
      BODY_LIMIT_KB: '1024',
      RATE_LIMIT_PER_MINUTE: '60',
      RATE_LIMIT_STORE: 'Redis',
      REDIS_URL: 'redis://:a-password@redis.internal:6379/2',
      TRUST_PROXY: ' 10.0.0.5, 10.1.0.0/16 ,loopback,fd00::/8',
      CORS_ORIGINS: 'https://ledger.example.org, http://localhost:5173',
      EVENT_RELAY_INTERVAL_MS: '0',
      WEBHOOK_MAX_FAILURES: '3',
      WEBHOOK_TIMEOUT_MS: '2500',
      WEBHOOK_LEASE_MS: '12000',
      WEBHOOK_CONCURRENCY: '8',
      WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION: '1',
      WEBHOOK_ALLOWED_TARGETS: ' 10.20.0.0/16, 127.0.0.1 ,fd00::/8,::1',
      EVENT_STREAM_RECHECK_MS: '5000',
      BUSINESS_CALENDAR: 'us',
      REPEAT_WINDOW_DAYS: '90',
      DEADLINE_HORIZON_YEARS: '10',
      SCHEDULER_INTERVAL_MS: '0',
      SCHEDULER_BATCH_SIZE: '50',
      SCHEDULER_LEASE_MS: '30000',
      IMPORT_MAX_BYTES: '1048576',
      IMPORT_MAX_ROWS: '2000',
      IMPORT_MAX_UNCOMPRESSED_BYTES: '20971520',
      IMPORT_MAX_ENTRY_UNCOMPRESSED_BYTES: '10485760',
      IMPORT_MAX_RATIO: '50',
      IMPORT_MAX_SHEETS: '4',
      IMPORT_MAX_CELLS: '50000',
      IMPORT_MAX_CELL_CHARS: '5000',
      IMPORT_MAX_SHARED_STRINGS: '40000',
      IMPORT_MAX_SHARED_STRING_CHARS: '1000000',
      EVIDENCE_STORE: 'Database',
      EVIDENCE_DIR: '/var/lib/rect/evidence',
      EVIDENCE_MAX_BYTES: '1048576',
      EVIDENCE_TYPES: 'image/jpeg, application/pdf',
      EVIDENCE_REQUIRED_FOR_SUBMIT: 'false',
      BUSINESS_TIME_ZONE: 'America/New_York',
      METRICS_ENABLED: 'false',
      METRICS_TOKEN: 'a-long-scrape-token-0123',
      METRICS_CACHE_MS: '15000',
      METRICS_PROBLEM_COUNTS_MS: '300000',
      NOTIFY_SECRET_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
      NOTIFY_CONSOLE_URL: 'https://rectify.example.org/',
      NOTIFY_ROBOT_PER_MINUTE: '15',
      NOTIFY_DIGEST_MAX_ITEMS: '30',
      NOTIFY_CRITICAL_ESCALATIONS_IMMEDIATE: 'false',
      NOTIFY_DAILY_DIGEST_AT: '08:30',
      NOTIFY_INTERVAL_MS: '0',
      NOTIFY_TIMEOUT_MS: '4000',
      NOTIFY_MAX_ATTEMPTS: '5',
      NOTIFY_COVERAGE_WARNING_DAYS: '90',
      NOTIFY_GROUP_LANGUAGE: 'en',
    });

    expect(config).toEqual({
      port: 8080,
      database: { kind: 'sqlite', path: '/var/lib/rect/db.sqlite', synchronous: 'FULL', checkpoints: 'background' },
      bootstrapAdminToken: 'a-very-long-admin-token',
      bootstrapAdminPassword: 'a one-time admin password',
      logLevel: 'debug',
      logFormat: 'pretty',
      bodyLimitKb: 1024,
      rateLimitPerMinute: 60,
      rateLimitStore: { kind: 'redis', url: 'redis://:a-password@redis.internal:6379/2' },
      trustProxy: ['10.0.0.5/32', '10.1.0.0/16', 'loopback', 'fd00::/8'],
      corsOrigins: ['https://ledger.example.org', 'http://localhost:5173'],
      events: {
        relayIntervalMs: 0,
        webhookMaxFailures: 3,
        webhookTimeoutMs: 2500,
        webhookLeaseMs: 12_000,
        webhookConcurrency: 8,
        webhookConcurrencyPerSubscription: 1,
        webhookAllowedTargets: ['10.20.0.0/16', '127.0.0.1/32', 'fd00::/8', '::1/128'],
        streamRecheckMs: 5000,
      },
      scheduler: { intervalMs: 0, batchSize: 50, leaseMs: 30_000 },
      imports: {
        maxBytes: 1_048_576,
        maxRows: 2000,
        maxUncompressedBytes: 20_971_520,
        maxEntryUncompressedBytes: 10_485_760,
        maxRatio: 50,
        maxSheets: 4,
        maxCells: 50_000,
        maxCellChars: 5000,
        maxSharedStrings: 40_000,
        maxSharedStringChars: 1_000_000,
      },
      evidence: { store: 'database', dir: '/var/lib/rect/evidence', maxBytes: 1_048_576, allowedTypes: ['image/jpeg', 'application/pdf'], requiredForSubmit: false },
      businessCalendar: 'US',
      repeatWindowDays: 90,
      deadlineHorizonYears: 10,
      metrics: { enabled: false, token: 'a-long-scrape-token-0123', cacheMs: 15_000, problemCountsMs: 300_000 },
      signIn: { cookieSecure: false, sessionIdleMinutes: 15, sessionMaxHours: 8, maxFailures: 10, lockMinutes: 30 },
      notify: {
        secretKey: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
        consoleUrl: 'https://rectify.example.org',
        robotPerMinute: 15,
        digestMaxItems: 30,
        criticalEscalationsImmediate: false,
        dailyDigestAt: '08:30',
        intervalMs: 0,
        timeoutMs: 4000,
        maxAttempts: 5,
        coverageWarningDays: 90,
        groupLanguage: 'en',
      },
      businessTimeZone: 'America/New_York',
    });
  });

  it('refuses notification settings it cannot use, naming the variable', () => {
    expect(() => loadConfig({ NOTIFY_SECRET_KEY: 'too-short' })).toThrow('NOTIFY_SECRET_KEY');
    expect(() => loadConfig({ NOTIFY_SECRET_KEY: Buffer.alloc(16).toString('base64') })).toThrow('NOTIFY_SECRET_KEY');
    expect(() => loadConfig({ NOTIFY_CONSOLE_URL: 'rectify.example.org' })).toThrow('NOTIFY_CONSOLE_URL');
    expect(() => loadConfig({ NOTIFY_DAILY_DIGEST_AT: '25:00' })).toThrow('NOTIFY_DAILY_DIGEST_AT');
    expect(() => loadConfig({ NOTIFY_GROUP_LANGUAGE: 'fr' })).toThrow('NOTIFY_GROUP_LANGUAGE');
    expect(loadConfig({ NOTIFY_DAILY_DIGEST_AT: '' }).notify.dailyDigestAt).toBeNull();
  });

  it('uses PostgreSQL when DATABASE_URL is set, whatever DATABASE_PATH says', () => {
    // given both settings
    const env = { DATABASE_URL: 'postgres://rect@127.0.0.1:5432/rect', DATABASE_PATH: './ignored.sqlite' };

    // when
    const { database } = loadConfig(env);

    // then the URL wins
    expect(database).toEqual({ kind: 'postgres', url: 'postgres://rect@127.0.0.1:5432/rect', poolSize: 10 });
  });

  it('counts rate limits in memory on SQLite, in the database on PostgreSQL, in Redis when REDIS_URL is set', () => {
    const postgres = { DATABASE_URL: 'postgres://rect@127.0.0.1:5432/rect' };

    expect(loadConfig({}).rateLimitStore).toEqual({ kind: 'memory' });
    expect(loadConfig(postgres).rateLimitStore).toEqual({ kind: 'database' });
    expect(loadConfig({ ...postgres, REDIS_URL: 'rediss://cache:6380' }).rateLimitStore).toEqual({ kind: 'redis', url: 'rediss://cache:6380' });
    expect(loadConfig({ ...postgres, REDIS_URL: 'redis://cache', RATE_LIMIT_STORE: 'memory' }).rateLimitStore).toEqual({ kind: 'memory' });
    expect(loadConfig({ RATE_LIMIT_STORE: 'database' }).rateLimitStore).toEqual({ kind: 'database' });
  });

  it('trusts no proxy by default, or the nearest TRUST_PROXY hops (0: none)', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '::1' }).trustProxy).toEqual(['::1/128']);
  });

  it('accepts the postgresql:// scheme and a pool size', () => {
    const { database } = loadConfig({ DATABASE_URL: 'postgresql://rect@db/rect', DATABASE_POOL_SIZE: '25' });

    expect(database).toEqual({ kind: 'postgres', url: 'postgresql://rect@db/rect', poolSize: 25 });
  });

  it.each([
    ['RATE_LIMIT_PER_MINUTE', '0'],
    ['EVIDENCE_MAX_BYTES', '0'],
    ['EVIDENCE_STORE', 'shared'],
    ['EVIDENCE_STORE', 's3'],
    ['EVIDENCE_TYPES', 'jpeg'],
    ['EVIDENCE_REQUIRED_FOR_SUBMIT', 'maybe'],
    ['BUSINESS_CALENDAR', 'China'],
    ['BUSINESS_TIME_ZONE', 'Mars/Olympus_Mons'],
    ['CORS_ORIGINS', 'ledger.example.org'],
    ['CORS_ORIGINS', 'https://ok.example.org,*'],
    ['PORT', 'abc'],
    ['PORT', '-1'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['SQLITE_SYNCHRONOUS', 'fast'],
    ['SQLITE_CHECKPOINTS', 'never'],
    ['DATABASE_URL', 'mysql://x'],
    ['BOOTSTRAP_ADMIN_TOKEN', 'too-short'],
    ['BOOTSTRAP_ADMIN_PASSWORD', 'too-short'],
    ['SESSION_COOKIE_SECURE', 'maybe'],
    ['SESSION_IDLE_MINUTES', '0'],
    ['SESSION_MAX_HOURS', '0'],
    ['SIGN_IN_MAX_FAILURES', '0'],
    ['SIGN_IN_LOCK_MINUTES', '0'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_FORMAT', 'text'],
    ['BODY_LIMIT_KB', '0'],
    ['EVENT_RELAY_INTERVAL_MS', '-5'],
    ['EVENT_RELAY_INTERVAL_MS', 'soon'],
    ['WEBHOOK_MAX_FAILURES', '0'],
    ['WEBHOOK_TIMEOUT_MS', '10'],
    ['WEBHOOK_LEASE_MS', '4999'],
    ['WEBHOOK_LEASE_MS', '600001'],
    ['DEADLINE_HORIZON_YEARS', '0'],
    ['DEADLINE_HORIZON_YEARS', '51'],
    ['DEADLINE_HORIZON_YEARS', '5y'],
    ['WEBHOOK_CONCURRENCY', '0'],
    ['WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION', '0'],
    ['WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION', '33'],
    ['WEBHOOK_ALLOWED_TARGETS', 'intranet.example.org'],
    ['WEBHOOK_ALLOWED_TARGETS', '10.0.0.0/33'],
    ['WEBHOOK_ALLOWED_TARGETS', '10.0.0.0/8,[::1]'],
    ['WEBHOOK_ALLOWED_TARGETS', '10.0.0.0/8/8'],
    ['WEBHOOK_ALLOWED_TARGETS', 'fd00::/129'],
    ['WEBHOOK_ALLOWED_TARGETS', '10.0.0.0/-1'],
    // Re-checking open streams is how other servers' revocations reach them: it cannot be switched off.
    ['EVENT_STREAM_RECHECK_MS', '0'],
    ['EVENT_STREAM_RECHECK_MS', '3600001'],
    ['IMPORT_MAX_UNCOMPRESSED_BYTES', '1000'],
    ['IMPORT_MAX_ENTRY_UNCOMPRESSED_BYTES', '2147483648'],
    ['IMPORT_MAX_RATIO', '1'],
    ['IMPORT_MAX_SHEETS', '0'],
    ['IMPORT_MAX_CELLS', 'many'],
    ['IMPORT_MAX_CELL_CHARS', '0'],
    ['IMPORT_MAX_SHARED_STRINGS', '-1'],
    ['IMPORT_MAX_SHARED_STRING_CHARS', '1.5'],
    ['METRICS_ENABLED', 'maybe'],
    ['METRICS_TOKEN', 'short'],
    ['METRICS_TOKEN', 'a scrape token with spaces'],
    ['METRICS_CACHE_MS', '300001'],
    ['METRICS_PROBLEM_COUNTS_MS', '-1'],
    ['RATE_LIMIT_STORE', 'memcached'],
    // Redis without its address.
    ['RATE_LIMIT_STORE', 'redis'],
    ['REDIS_URL', '127.0.0.1:6379'],
    ['REDIS_URL', 'http://cache:6379'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', '11'],
    ['TRUST_PROXY', '1.5'],
    ['TRUST_PROXY', 'proxy.internal'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '10.0.0.1,*'],
  ])('%s=%s stops start-up with a ConfigError naming the variable', (variable, value) => {
    // when
    let thrown: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      thrown = error;
    }

    // then
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(variable);
    expect((thrown as ConfigError).message).toContain(variable);
  });

  it('caps the default IMPORT_MAX_ENTRY_UNCOMPRESSED_BYTES at IMPORT_MAX_UNCOMPRESSED_BYTES, and refuses a larger one', () => {
    expect(loadConfig({ IMPORT_MAX_UNCOMPRESSED_BYTES: '10485760' }).imports).toMatchObject({ maxUncompressedBytes: 10_485_760, maxEntryUncompressedBytes: 10_485_760 });
    expect(() => loadConfig({ IMPORT_MAX_UNCOMPRESSED_BYTES: '10485760', IMPORT_MAX_ENTRY_UNCOMPRESSED_BYTES: '20971520' })).toThrow(/IMPORT_MAX_ENTRY_UNCOMPRESSED_BYTES/);
  });

  it('caps WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION at WEBHOOK_CONCURRENCY', () => {
    expect(loadConfig({ WEBHOOK_CONCURRENCY: '2' }).events).toMatchObject({ webhookConcurrency: 2, webhookConcurrencyPerSubscription: 2 });
    expect(() => loadConfig({ WEBHOOK_CONCURRENCY: '2', WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION: '3' })).toThrow(/WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION/);
  });

  it('keeps evidence in files by default on either database; EVIDENCE_STORE=database keeps it in the database, for files up to 100 MiB', () => {
    const postgres = { DATABASE_URL: 'postgres://rect@127.0.0.1:5432/rect' };

    expect(loadConfig({}).evidence.store).toBe('file');
    expect(loadConfig(postgres).evidence.store).toBe('file');
    expect(loadConfig({ ...postgres, EVIDENCE_STORE: 'database' }).evidence.store).toBe('database');
    expect(loadConfig({ EVIDENCE_STORE: ' FILE ' }).evidence.store).toBe('file');
    expect(loadConfig({ EVIDENCE_STORE: 'database', EVIDENCE_MAX_BYTES: String(100 * 1024 * 1024) }).evidence.maxBytes).toBe(104_857_600);
    expect(() => loadConfig({ EVIDENCE_STORE: 'database', EVIDENCE_MAX_BYTES: String(100 * 1024 * 1024 + 1) })).toThrow(
      'Invalid configuration: EVIDENCE_MAX_BYTES must be at most 104857600 (100 MiB) with EVIDENCE_STORE=database, got "104857601"',
    );
    expect(loadConfig({ EVIDENCE_MAX_BYTES: String(100 * 1024 * 1024 + 1) }).evidence.maxBytes).toBe(104_857_601);
    expect(() => loadConfig({ EVIDENCE_STORE: 'nfs' })).toThrow(
      'Invalid configuration: EVIDENCE_STORE must be file (evidence files under EVIDENCE_DIR, the default) or database (evidence in the database, shared by every server on it), got "nfs".',
    );
  });

  it('DATABASE_POOL_SIZE is only checked for PostgreSQL', () => {
    expect(() => loadConfig({ DATABASE_POOL_SIZE: 'many' })).not.toThrow();
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', DATABASE_POOL_SIZE: 'many' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('quotes the bad value so the operator can find it', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow('"abc"');
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/error, warn, log, debug, verbose/);
  });

  it('reads the sign-in settings', () => {
    const env = { SESSION_COOKIE_SECURE: 'false', SESSION_IDLE_MINUTES: '10', SESSION_MAX_HOURS: '8', SIGN_IN_MAX_FAILURES: '3', SIGN_IN_LOCK_MINUTES: '60', BOOTSTRAP_ADMIN_PASSWORD: 'first sign-in 2026' };
    const config = loadConfig(env);
    expect({ signIn: config.signIn, password: config.bootstrapAdminPassword }).toEqual({
      signIn: { cookieSecure: false, sessionIdleMinutes: 10, sessionMaxHours: 8, maxFailures: 3, lockMinutes: 60 },
      password: 'first sign-in 2026',
    });
  });

  it('accepts a token of exactly 16 characters', () => {
    expect(loadConfig({ BOOTSTRAP_ADMIN_TOKEN: '0123456789abcdef' }).bootstrapAdminToken).toBe('0123456789abcdef');
  });
});
