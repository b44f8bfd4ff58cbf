import { SQLITE_SYNCHRONOUS_LEVELS, type DatabaseOptions, type SqliteSynchronous } from '../../persistence/src/data-source.js';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  port: number;
  database: DatabaseOptions;
  bootstrapAdminToken?: string;
  logLevel: LogLevel;
  bodyLimitKb: number;
  /** Requests per minute per API token. */
  rateLimitPerMinute: number;
  /** Origins allowed to call the API from a browser; empty: CORS off. */
  corsOrigins: string[];
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

/** Reads and validates the environment once at start-up; a bad value stops the process naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '' && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError('DATABASE_URL', 'must be a PostgreSQL URL such as postgres://user@127.0.0.1:5432/db.');
  }
  const synchronous: SqliteSynchronous = oneOf(env, 'SQLITE_SYNCHRONOUS', SQLITE_SYNCHRONOUS_LEVELS, 'NORMAL');
  const database: DatabaseOptions = url
    ? { kind: 'postgres', url, poolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200) }
    : { kind: 'sqlite', path: env.DATABASE_PATH || './data/rectification.sqlite', synchronous };
  const bootstrapAdminToken = env.BOOTSTRAP_ADMIN_TOKEN || undefined;
  if (bootstrapAdminToken !== undefined && bootstrapAdminToken.length < 16) {
    throw new ConfigError('BOOTSTRAP_ADMIN_TOKEN', 'must be at least 16 characters long.');
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    database,
    bootstrapAdminToken,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'log'),
    bodyLimitKb: integer(env, 'BODY_LIMIT_KB', 256, 1, 10240),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 1200, 1, 10_000_000),
    corsOrigins: origins(env),
  };
}
