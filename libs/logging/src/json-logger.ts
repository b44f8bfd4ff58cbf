import type { LoggerService, LogLevel as NestLogLevel } from '@nestjs/common';
import { type DestinationStream, type Level, type Logger as Pino, pino } from 'pino';
import PinoPretty from 'pino-pretty';
import type { LogFormat } from './log-format.js';
import { currentLogContext } from './log-context.js';
import { MASK, scrubSecrets } from './secret-scrubber.js';

/** Nest's level names (LOG_LEVEL) as pino's. */
export const PINO_LEVEL: Record<NestLogLevel, Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** Something lines can be written to: a file descriptor (1 stdout, 2 stderr) or a stream (tests pass a sink). */
export type LogDestination = number | { write(line: string): unknown };

export interface JsonLoggerOptions {
  /** The most verbose level written (LOG_LEVEL). */
  level: NestLogLevel;
  /** `json` (one object a line, the default) or `pretty` (for a person at a terminal; LOG_FORMAT). */
  format?: LogFormat;
  /** Default: stdout. */
  destination?: LogDestination;
  /** Write each line before returning (for a short-lived command); default: buffered, flushed on exit. */
  sync?: boolean;
  /** Which process wrote the line: server, worker, cli. */
  app?: string;
  /** Literal values masked wherever they appear, beyond the formats the scrubber knows (a configured token). */
  knownSecrets?: ReadonlyArray<string | undefined>;
}

/**
 * Where pino's own redaction applies: fields of objects handed to the logger (a message may be an object, whose
 * fields become the line's). The scrubber then masks known secret formats anywhere else on the line.
 */
const SECRET_FIELDS = ['authorization', 'cookie', 'set-cookie', 'password', 'secret', 'token', 'body', 'rawBody', 'buffer', 'file', 'files'];
export const REDACTED_PATHS = [
  ...SECRET_FIELDS.map((field) => `["${field}"]`),
  ...SECRET_FIELDS.map((field) => `*["${field}"]`),
  ...['req', 'request', 'res', 'response'].flatMap((holder) => [`${holder}.headers.authorization`, `${holder}.headers.cookie`, `${holder}.headers["set-cookie"]`]),
];

/** Field names whose values are never written, at any depth (a message object nested deeper than redact reaches). */
const SECRET_KEY = /^(authorization|cookies?|set-cookie|password|passwd|secret|token|api[-_]?key|access[-_]?token|refresh[-_]?token|body|raw[-_]?body|buffer|files?|.*(token|secret|password)s?)$/i;
/** Reserved by the line itself; an object message cannot overwrite them. */
const RESERVED = new Set(['time', 'level', 'msg', 'context', 'app', 'pid', 'correlationId', 'clientAddress', 'actorId', 'problemId']);

/**
 * Nest's LoggerService over pino: one JSON object a line with time, level, msg, context (the Nest logger's name)
 * and, while a request is served, its correlation id, actor id and problem id (see log-context.ts).
 * Pass it as `logger` to NestFactory.create / createApplicationContext.
 */
export class JsonLogger implements LoggerService {
  readonly pino: Pino;

  constructor(options: JsonLoggerOptions) {
    const knownSecrets = (options.knownSecrets ?? []).filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
    const destination = options.destination ?? 1;
    const format = options.format ?? 'json';
    const target: DestinationStream =
      typeof destination === 'number' ? pino.destination({ dest: destination, sync: options.sync ?? format === 'pretty' }) : (destination as DestinationStream);
    const stream: DestinationStream = format === 'pretty' ? prettyStream(target, typeof destination === 'number' && isColourTerminal(destination)) : target;
    this.pino = pino(
      {
        level: PINO_LEVEL[options.level],
        base: { pid: process.pid, ...(options.app ? { app: options.app } : {}) },
        // Wall-clock time on purpose, not the injected Clock: a log line says when it was written.
        timestamp: pino.stdTimeFunctions.isoTime,
        // Level names rather than numbers, except for pino-pretty, which reads the numbers.
        formatters: format === 'json' ? { level: (label) => ({ level: label }) } : {},
        mixin: () => ({ ...currentLogContext() }),
        redact: { paths: REDACTED_PATHS, censor: MASK },
        hooks: { streamWrite: (line) => scrubSecrets(line, knownSecrets) },
      },
      stream,
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, true);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params, true);
  }

  /** Nest calls this with the levels of `logger: [...]`; the most verbose of them becomes pino's level. */
  setLogLevels(levels: NestLogLevel[]): void {
    const order: NestLogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
    const mostVerbose = order.find((level) => levels.includes(level));
    if (mostVerbose) this.pino.level = PINO_LEVEL[mostVerbose];
  }

  /** Writes what is buffered (before a process exits on its own). */
  flush(): void {
    this.pino.flush();
  }

  /**
   * Nest's calling conventions: `(message, context)`, `(message, ...more, context)`, and for errors
   * `(message, stack, context)`; a Nest Logger with a name always passes the name last.
   */
  private write(level: Level, message: unknown, params: unknown[], mayCarryStack = false): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    let context: string | undefined;
    const last = rest.at(-1);
    if (typeof last === 'string' && !(mayCarryStack && rest.length === 1 && looksLikeStack(last))) {
      context = rest.pop() as string;
    }
    const line: Record<string, unknown> = {};
    if (context !== undefined) line.context = context;
    if (mayCarryStack && rest.length > 0 && (typeof rest[0] === 'string' || rest[0] === undefined)) {
      const stack = rest.shift();
      if (typeof stack === 'string') line.stack = stack;
    }
    const extra = rest.filter((value) => value !== undefined);
    if (extra.length > 0) line.args = extra.map((value) => sanitised(value));

    let msg: string;
    if (message instanceof Error) {
      msg = message.message;
      line.err = message;
    } else if (typeof message === 'string') {
      msg = message;
    } else if (message !== null && typeof message === 'object' && !ArrayBuffer.isView(message)) {
      const fields = sanitised(message) as Record<string, unknown>;
      msg = typeof fields.msg === 'string' ? fields.msg : typeof fields.message === 'string' ? fields.message : '';
      for (const [key, value] of Object.entries(fields)) if (!RESERVED.has(key) && key !== 'message') line[key] = value;
    } else {
      msg = String(sanitised(message));
    }
    this.pino[level](line, msg);
  }
}

/**
 * pino-pretty's formatting in the main thread, line by line (no transport worker): a person reading a terminal
 * does not need the throughput, and the lines stay in order with console output.
 */
function prettyStream(target: DestinationStream, colorize: boolean): DestinationStream {
  const prettify = PinoPretty.prettyFactory({
    colorize,
    translateTime: 'SYS:standard',
    ignore: 'pid,app,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
  });
  return { write: (line: string) => target.write(prettify(line)) };
}

function isColourTerminal(fd: number): boolean {
  const stream = fd === 1 ? process.stdout : fd === 2 ? process.stderr : undefined;
  return Boolean(stream?.isTTY) && !process.env.NO_COLOR;
}

function looksLikeStack(text: string): boolean {
  return /\n\s+at\s/.test(text);
}

/** A copy fit for a log line: secret fields masked, binary content (evidence files) reduced to its size. */
function sanitised(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return `[binary ${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { type: value.name, message: value.message };
  if (depth >= 6) return '[too deep]';
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => sanitised(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = SECRET_KEY.test(key) ? MASK : sanitised(item, depth + 1);
  return copy;
}
