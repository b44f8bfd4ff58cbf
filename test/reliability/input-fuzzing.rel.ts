import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { statusForCode } from '../../apps/server/src/common/api-error.js';
import { type ErrorCode, newId } from '#domain';
import { OutboxRelay } from '#events';
import { Database } from '#persistence';
import { DeadlineScheduler } from '#scheduler';
import { RECTIFICATION_EVENT_TYPES } from '#rectification';
import { listeningUrl } from '../support/event-stream.js';
import { ProblemSteps, type RoleName, ROLE_NAMES } from '../support/problem-steps.js';
import { createTestApp, TEST_BODY_LIMIT_KB, type TestApp } from '../support/test-app.js';
import { bombs, FINDINGS_HEADER, sheetXml, workbook } from '../support/workbook-writer.js';
import { reportFigures, scaled } from './support/reliability-scale.js';

/*
 * Input fuzzing of the whole HTTP API (issue #7).
 *
 * Every endpoint of the app's own OpenAPI document (GET /docs-json) gets CASES_PER_ENDPOINT requests generated
 * by fast-check from what the document says about it (path and query parameters, JSON or multipart body
 * schemas), each one a valid-looking request with some parts broken: wrong types, missing and unknown fields,
 * huge strings, deep nesting, lone surrogates and RTL text, `__proto__`/`constructor`/`prototype` keys,
 * SQL-looking text, impossible dates, extreme numbers, arrays for objects, bodies that are not JSON or carry a
 * wrong content type or encoding; query strings with repeated and bracketed names and broken percent-encoding;
 * path parameters that are real ids (of the right and of the wrong kind, in every state), random UUIDs,
 * non-UUIDs, very long or with encoded slashes; garbage in If-Match, Last-Event-ID, X-Correlation-Id,
 * Content-Type and Authorization. Most requests carry a valid token of some role, so they get past
 * authentication to validation and to the business rules.
 *
 * Every answer is checked:
 *  - never a 5xx (nor no answer at all);
 *  - a 4xx carries the documented error body (README "Errors"): exactly `code`, `message`, `correlationId` and
 *    maybe `details`; the code is one the server maps to this very status; the correlation id is the one of the
 *    `x-correlation-id` header; VALIDATION_FAILED lists `details.fields`; no stack trace or driver error leaks;
 *  - a 4xx changed nothing: a digest of every table (row count and hash of all rows, EXCLUDED_COLUMNS left out)
 *    and of the evidence store is compared before and after each request, so a change is attributed to the one
 *    request that made it. On SQLite the table digest is recomputed only when the connection's write counter
 *    moved (see writeMark), and in full every AUDIT_EVERY cases to check that shortcut.
 *
 * Real problems in every state, evidence, users, tokens, a webhook with deliveries, a notification robot with a
 * logged message, a closure and supervision notices are seeded first, so that path parameters also hit existing
 * ids in wrong states.
 *
 * The seed is printed; FUZZ_SEED=<seed> generates the same cases again (against a freshly seeded database).
 * FUZZ_LOG=<file> appends every request and its answer to that file; FUZZ_CASES=<n> sets the cases per endpoint.
 */

const CASES_PER_ENDPOINT = process.env.FUZZ_CASES ? Number(process.env.FUZZ_CASES) : scaled(30, 300);
const LOG = process.env.FUZZ_LOG;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
/**
 * The longest URL generated. Node's HTTP parser answers a request line and headers of more than 16 KB itself,
 * with an empty 431, before the app sees the request; the generated headers take at most ~8 KB.
 */
const URL_BUDGET = 7_000;
/** Every this many cases of an endpoint, the database is digested in full even when nothing was written. */
const AUDIT_EVERY = 10;
/** A request that has not answered by then counts as a hang. */
const REQUEST_TIMEOUT_MS = 20_000;

/**
 * Columns that change on a refused request by design, left out of the digest:
 * - api_tokens.last_used_at: authentication records a token's last use (README "Hardening": at most once a
 *   minute), before the request is validated, so a refused request with a valid token may refresh it. Only this
 *   column is left out: the rest of the token row (revocation, expiry, label) is still compared.
 * - users.failed_sign_ins, users.locked_until: a refused sign-in or password change counts the failure.
 * Nothing else is excluded: rate limits are counted in memory, and admin audit entries are written only with the
 * change they record.
 */
const EXCLUDED_COLUMNS: Record<string, readonly string[]> = {
  api_tokens: ['last_used_at'],
  // A refused sign-in or password change counts the failure (and locks the account at the limit): recording it
  // is the point of the refusal (README "Signing in (people)"). The rest of the user row is still compared.
  users: ['failed_sign_ins', 'locked_until'],
};

// ---------------------------------------------------------------------------------------------------------------
// The OpenAPI document, as far as the fuzzing needs it
// ---------------------------------------------------------------------------------------------------------------

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  nullable?: boolean;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  example?: unknown;
}

interface ObjectSpec {
  /** The schema's name in components.schemas, when it has one (e.g. `AssignEventDto`). */
  name?: string;
  properties: Record<string, Schema>;
  required: string[];
}

interface Endpoint {
  /** e.g. `POST /problems/{id}/events` */
  key: string;
  method: string;
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: Schema }>;
  body: { kind: 'json' | 'multipart'; variants: ObjectSpec[] } | null;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: Schema }>; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

function endpointsOf(document: OpenApiDocument): Endpoint[] {
  const schemas = document.components?.schemas ?? {};
  const resolve = (schema: Schema): Schema => (schema.$ref ? resolve(schemas[schema.$ref.split('/').pop()!]) : schema);
  const objectSpecs = (schema: Schema): ObjectSpec[] => {
    const resolved = resolve(schema);
    if (resolved.oneOf) return resolved.oneOf.flatMap(objectSpecs);
    const properties = Object.fromEntries(Object.entries(resolved.properties ?? {}).map(([name, property]) => [name, resolve(property)]));
    return [{ name: schema.$ref?.split('/').pop(), properties, required: resolved.required ?? [] }];
  };
  const endpoints: Endpoint[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = operation.parameters ?? [];
      const content = operation.requestBody?.content ?? {};
      const bodyType = Object.keys(content)[0];
      endpoints.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(p.schema ?? {}) })),
        body:
          bodyType === undefined
            ? null
            : { kind: bodyType.startsWith('multipart/') ? 'multipart' : 'json', variants: objectSpecs(content[bodyType].schema) },
      });
    }
  }
  return endpoints;
}

// ---------------------------------------------------------------------------------------------------------------
// What the fuzzing knows about the seeded data
// ---------------------------------------------------------------------------------------------------------------

interface Pools {
  problems: string[];
  evidence: string[];
  notices: string[];
  /** Departments a fuzzed admin action may target; the demo users' own departments are kept out of path params. */
  departmentTargets: string[];
  departmentsAll: string[];
  /** Users a fuzzed admin action may target: throwaway users and the admin (who may not deactivate themselves). */
  userTargets: string[];
  usersAll: string[];
  tokens: string[];
  webhooks: string[];
  deliveries: string[];
  channels: string[];
  notifications: string[];
  closureDates: string[];
  inspections: string[];
  /** Tokens that authenticate nobody any more: revoked, and of a deactivated user. */
  deadTokens: string[];
}

function allIds(pools: Pools): string[] {
  return [
    ...pools.problems,
    ...pools.evidence,
    ...pools.notices,
    ...pools.departmentsAll,
    ...pools.usersAll,
    ...pools.tokens,
    ...pools.webhooks,
    ...pools.deliveries,
    ...pools.channels,
    ...pools.notifications,
  ];
}

/** The real ids a path parameter of this endpoint names. */
function idsFor(endpoint: Endpoint, param: string, pools: Pools): string[] {
  const path = endpoint.path;
  if (param === 'evidenceId') return pools.evidence;
  if (param === 'ref' || param === 'inspection') return pools.inspections;
  if (path.startsWith('/inspections/') && param === 'userId') return pools.usersAll;
  if (param === 'date') return pools.closureDates;
  if (path.startsWith('/problems/')) return pools.problems;
  if (path.startsWith('/me/notices/')) return pools.notices;
  if (path.startsWith('/admin/departments/')) return pools.departmentTargets;
  if (path.startsWith('/admin/users/')) return pools.userTargets;
  if (path.startsWith('/admin/tokens/')) return pools.tokens;
  if (path.startsWith('/admin/webhooks/')) return pools.webhooks;
  if (path.startsWith('/admin/webhook-deliveries/')) return pools.deliveries;
  if (path.startsWith('/admin/notification-channels/')) return pools.channels;
  if (path.startsWith('/admin/notifications/')) return pools.notifications;
  return allIds(pools);
}

// ---------------------------------------------------------------------------------------------------------------
// Nasty values
// ---------------------------------------------------------------------------------------------------------------

/** A JSON value written as text, so that keys like `__proto__`, duplicate keys and odd number literals survive. */
type Json = { t: 'raw'; text: string } | { t: 'obj'; entries: Array<[string, Json]> } | { t: 'arr'; items: Json[] };

const raw = (text: string): Json => ({ t: 'raw', text });
const lit = (value: unknown): Json => raw(JSON.stringify(value));

function toJson(node: Json): string {
  switch (node.t) {
    case 'raw':
      return node.text;
    case 'arr':
      return `[${node.items.map(toJson).join(',')}]`;
    case 'obj':
      return `{${node.entries.map(([key, value]) => `${JSON.stringify(key)}:${toJson(value)}`).join(',')}}`;
  }
}

const SQL_LIKE = [
  "' OR '1'='1",
  "'; DROP TABLE problems; --",
  '" OR ""="',
  '1; DELETE FROM users',
  "%' OR 1=1 --",
  "\\'; --",
  "') UNION ALL SELECT NULL,NULL,NULL--",
  '$1',
  '?',
  ':id',
  '%',
  '_',
  '\\',
  "admin'--",
  '*/ OR /*',
];
const UNICODE_NASTIES = [
  '\ud800',
  '\udfff',
  'a\ud83d',
  '\udc00b',
  '\ud83d\ude00\ud800',
  '\u202eevil\u202c',
  'مرحبا بالعالم',
  'שלום עולם',
  '\u200f\u200e\u061c',
  '\u200b\u200d\ufeff',
  'e\u0301\u0301\u0301',
  '𝕳𝖊𝖑𝖑𝖔',
  '👨‍👩‍👧‍👦',
  '整改台账（屡查屡犯）',
  '\u0000',
  'a\u0000b',
  '\r\n\r\n',
  '\t',
  '\u2028\u2029',
  '\uffff\ufffe',
  '\u0085',
  ' ',
  '',
  'null',
  'undefined',
  'true',
  '[object Object]',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '=cmd|"/c calc"!A1',
  // Spreadsheet formulas as CSV cells would run them (issue 11: neutralised in every CSV written).
  '=HYPERLINK("http://x","y")',
  '+1',
  '-1+1',
  '@SUM(A1)',
  '\tcmd',
  '\rcmd',
  '＝1+1',
  // Names that differ only by invisible characters, and a right-to-left override disguising a type.
  'Facilities\u200b',
  '\u2066Production\u2069',
  'photo\u202egpj.exe',
  '\u200e\u200f',
];
const DATE_LIKE = [
  '2026-02-30',
  '2026-02-29',
  '2026-13-01',
  '0000-00-00',
  '2026-3-1',
  '2026-03-10T25:00:00Z',
  '2026-03-10T23:60:00Z',
  '2026-12-31T09:00:00',
  '2026-12-31T09:00:00+25:00',
  '2026-12-31T09:00:00+08',
  '+275760-09-13T00:00:00Z',
  '+275760-09-14T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999999999Z',
  // Well-formed but far away (issue 11: deadlines within the horizon, other instants in 2000–2100).
  '9998-12-31T09:00:00Z',
  '9999-12-31T09:00:00Z',
  '2100-12-31T09:00:00Z',
  '2101-01-01T00:00:00Z',
  '2032-01-01T00:00:00Z',
  '1999-12-31T23:59:59Z',
  '9999-12-31',
  '2101-01-01',
  '1970-01-01T00:00:00Z',
  '2020-01-01T00:00:00Z',
  '2026-W20',
  '2026-150',
  '2026-12-31T09:00:00.000Z ',
  ' 2026-12-31',
  '2026-12-31\n',
  'Invalid Date',
  'now',
  '1e10',
  '2026-12-31T09:00:00Z/2027-01-01',
];
const NUMBER_TEXT = ['NaN', 'Infinity', '-Infinity', '-0', '1e999', '0x10', '1_000', '01', '1.0', '+1', ' 1', '1 ', '9007199254740993', '-1', '0', '1.5', '2147483648', '1e2'];
/** Number literals as JSON text (parsed to Infinity, -0, 0 or lossy values). */
const NUMBER_LITERALS = ['1e999', '-1e999', '-0', '1e-400', '123456789012345678901234567890', '0.1', '1.5', '-1', '0', '2147483648', '9007199254740993', '1E2', '4.9e-324'];
const UUID_LIKE = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '{01234567-89ab-4def-8123-456789abcdef}',
  '01234567-89ab-4def-8123-456789abcdeg',
  '0123456789ab4def8123456789abcdef',
  '01234567-89ab-4def-8123-456789abcdef ',
];

const asciiString = (maxLength: number) => fc.string({ maxLength, unit: 'binary-ascii' });
const anyUnicode = (maxLength: number) => fc.string({ maxLength, unit: 'binary' });

function hugeString(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('x', 'é', '😀', "'", '"', '\\', '\u202e', '\ud800', '整'), fc.integer({ min: 1_000, max: (TEST_BODY_LIMIT_KB + 8) * 1024 }))
    .map(([unit, bytes]) => unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit)))));
}

function nastyString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SQL_LIKE, ...UNICODE_NASTIES, ...DATE_LIKE, ...NUMBER_TEXT, ...UUID_LIKE) },
    { weight: 2, arbitrary: anyUnicode(40) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30, unit: 'grapheme' }) },
    { weight: 1, arbitrary: asciiString(30) },
    { weight: 1, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: hugeString() },
  );
}

function nastyNumber(): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.constantFrom(...NUMBER_LITERALS).map(raw),
    fc.integer().map(lit),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(lit),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 31, -(2 ** 31), Number.MAX_VALUE, Number.MIN_VALUE).map(lit),
  );
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];
function nastyKey(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('id', 'version', 'state', 'filedBy', 'createdAt', 'role', 'active', 'tokenHash', '$where', '$gt', 'a.b', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', '', ' '),
    },
    { weight: 1, arbitrary: fc.constantFrom(...UNICODE_NASTIES, ...SQL_LIKE) },
    { weight: 1, arbitrary: anyUnicode(12) },
  );
}

/** Nesting far deeper than any DTO, as raw text (a few hundred to tens of thousands of levels). */
function deepNesting(): fc.Arbitrary<Json> {
  return fc
    .tuple(fc.constantFrom('array', 'object', 'proto'), fc.integer({ min: 50, max: 12_000 }))
    .map(([shape, depth]) => {
      if (shape === 'array') return raw('['.repeat(depth) + ']'.repeat(depth));
      const key = shape === 'proto' ? '__proto__' : 'a';
      return raw(`{"${key}":`.repeat(depth) + '1' + '}'.repeat(depth));
    });
}

function nastyLeaf(): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 4, arbitrary: nastyString().map(lit) },
    { weight: 2, arbitrary: nastyNumber() },
    { weight: 1, arbitrary: fc.constantFrom(raw('true'), raw('false'), raw('null')) },
  );
}

/** Any JSON value, mostly nasty: leaves, arrays, objects with nasty keys, deep nesting. */
const nastyValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: nastyLeaf() },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }).map((items): Json => ({ t: 'arr', items })) },
    { weight: 1, arbitrary: fc.array(fc.tuple(nastyKey(), tie('value')), { maxLength: 4 }).map((entries): Json => ({ t: 'obj', entries })) },
    { weight: 1, arbitrary: deepNesting() },
  ),
})).value;

// ---------------------------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------------------------

/** Properties that hold a date or an instant: they get impossible dates rather than just any text. */
const DATE_FIELDS = /deadline|date|At$|recurUntil/i;
const FUTURE_INSTANTS = ['2027-01-15T09:00:00Z', '2026-12-31T17:00:00+08:00', '2026-06-30T10:00:00.000Z'];
const SAMPLE_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//fuzz//EN',
  'BEGIN:VEVENT',
  'UID:fuzz-1',
  'DTSTART;VALUE=DATE:20270301',
  'DTEND;VALUE=DATE:20270302',
  'SUMMARY:Fuzz closure',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

/** Recurring events that used to hang or kill the server (issue 11): unbounded, never matching, per second. */
const RECURRING_ICS = ['FREQ=DAILY;UNTIL=99991231', 'FREQ=DAILY', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=SECONDLY;COUNT=100000', 'FREQ=YEARLY;UNTIL=20991231', 'FREQ=DAILY;COUNT=2000000'].map((rule) =>
  SAMPLE_ICS.replace('SUMMARY:Fuzz closure', `SUMMARY:Fuzz recurring closure\r\nRRULE:${rule}`),
);

/** `AssignEventDto` → `ASSIGN`, `RequestExtensionEventDto` → `REQUEST_EXTENSION`: the event type a payload schema is for. */
function eventTypeOf(spec: ObjectSpec): string | null {
  const match = /^(\w+)EventDto$/.exec(spec.name ?? '');
  return match ? match[1].replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() : null;
}

/** A value this property would accept (or nearly: a valid-looking id may name nothing). */
function plausibleValue(name: string, schema: Schema, pools: Pools, spec?: ObjectSpec, strict = false): fc.Arbitrary<Json> {
  const eventType = name === 'type' && spec ? eventTypeOf(spec) : null;
  if (eventType && schema.enum?.includes(eventType)) {
    // the type this payload is for; unless strict, sometimes another one (each schema documents its own type only)
    if (strict) return fc.constant(lit(eventType));
    return fc.oneof({ weight: 6, arbitrary: fc.constant(eventType) }, { weight: 1, arbitrary: fc.constantFrom(...RECTIFICATION_EVENT_TYPES) }).map(lit);
  }
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum).map(lit);
  if (schema.type === 'array') {
    const values = schema.items?.enum ?? [];
    return fc.subarray(values as unknown[]).map(lit);
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const min = schema.minimum ?? 0;
    return fc.integer({ min, max: Math.min(schema.maximum ?? min + 5, min + 200) }).map(lit);
  }
  if (schema.type === 'boolean') return fc.boolean().map(lit);
  if (/Id$/.test(name)) {
    const ids = name === 'headUserId' ? pools.usersAll : pools.departmentsAll;
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.constant(newId()) }).map(lit);
  }
  if (['deadline', 'expiresAt', 'tokenExpiresAt', 'proposedDeadline'].includes(name)) return fc.constantFrom(...FUTURE_INSTANTS).map(lit);
  if (name === 'plannedCompletionDate') return fc.constantFrom('2026-12-20', '2026-12-20T09:00:00Z').map(lit);
  if (name === 'date' || name === 'recurUntil') return fc.constantFrom('2027-02-01', '2027-03-15', ...pools.closureDates).map(lit);
  if (name === 'url') return fc.constantFrom('http://127.0.0.1:9/fuzz', 'https://localhost/hook').map(lit);
  if (name === 'ics') return fc.oneof({ weight: 2, arbitrary: fc.constant(lit(SAMPLE_ICS)) }, { weight: 1, arbitrary: fc.constantFrom(...RECURRING_ICS).map(lit) });
  if (name === 'file') return fc.constant(lit('not a file'));
  const example = typeof schema.example === 'string' ? schema.example : 'Fuzzed text';
  return fc.constantFrom(example, `${example} (2)`).map(lit);
}

/** A value at or just past this property's limits. */
function boundaryValue(schema: Schema): fc.Arbitrary<Json> | null {
  if (schema.maxLength !== undefined) {
    const max = schema.maxLength;
    return fc.constantFrom(max, max + 1, max * 2).chain((length) => fc.constantFrom('x', 'é', '😀').map((unit) => lit(unit.repeat(length))));
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const values = [schema.minimum, schema.maximum].filter((v): v is number => v !== undefined).flatMap((v) => [v - 1, v, v + 1, v + 0.5]);
    return values.length > 0 ? fc.constantFrom(...values).map(lit) : null;
  }
  return null;
}

type Mutation =
  | { kind: 'drop'; index: number }
  | { kind: 'set'; index: number; value: Json }
  | { kind: 'same type'; index: number; text: string; date: string; number: Json }
  | { kind: 'add'; key: string; value: Json }
  | { kind: 'duplicate'; index: number; value: Json }
  | { kind: 'boundary'; index: number; pick: number }
  | { kind: 'wrap'; index: number; how: 'array' | 'object' | 'string' };

function mutationArb(): fc.Arbitrary<Mutation> {
  const index = fc.nat(1000);
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), index }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), index, value: nastyValue }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('same type' as const), index, text: nastyString(), date: fc.constantFrom(...DATE_LIKE), number: nastyNumber() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), key: nastyKey(), value: nastyValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), index, value: nastyValue }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('boundary' as const), index, pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), index, how: fc.constantFrom('array' as const, 'object' as const, 'string' as const) }) },
  );
}

/** A valid-looking object of this shape with 0–4 things broken in it. */
function mutatedObject(spec: ObjectSpec, pools: Pools, maxMutations = 4): fc.Arbitrary<{ json: Json; note: string }> {
  const names = Object.keys(spec.properties);
  const plausible = names.map((name) =>
    fc.tuple(fc.constant(name), plausibleValue(name, spec.properties[name], pools, spec, maxMutations === 0), fc.boolean()).map(([n, v, keepOptional]) => ({ name: n, value: v, keepOptional })),
  );
  return fc
    .tuple(fc.tuple(...plausible), fc.array(mutationArb(), { minLength: Math.min(1, maxMutations), maxLength: maxMutations }), fc.array(fc.nat(), { minLength: 4, maxLength: 4 }))
    .map(([fields, mutations, picks]) => {
      let entries: Array<[string, Json]> = fields
        .filter((field) => spec.required.includes(field.name) || field.keepOptional)
        .map((field) => [field.name, field.value]);
      const notes: string[] = [];
      mutations.forEach((mutation, position) => {
        const at = names.length === 0 ? -1 : mutation.kind === 'add' ? -1 : (mutation as { index: number }).index % names.length;
        const name = at >= 0 ? names[at] : '';
        switch (mutation.kind) {
          case 'drop':
            if (at < 0) return;
            entries = entries.filter(([key]) => key !== name);
            notes.push(`-${name}`);
            return;
          case 'set':
            if (at < 0) return;
            entries = [...entries.filter(([key]) => key !== name), [name, mutation.value]];
            notes.push(`${name}=?`);
            return;
          case 'same type': {
            // a value of the right JSON type with the wrong content: what gets past the type checks
            if (at < 0) return;
            const schema = spec.properties[name];
            const value =
              schema.type === 'integer' || schema.type === 'number'
                ? mutation.number
                : lit(DATE_FIELDS.test(name) ? mutation.date : mutation.text);
            entries = [...entries.filter(([key]) => key !== name), [name, value]];
            notes.push(`${name}=nasty ${schema.type ?? 'value'}`);
            return;
          }
          case 'add':
            entries.push([mutation.key, mutation.value]);
            notes.push(`+${JSON.stringify(mutation.key).slice(0, 30)}`);
            return;
          case 'duplicate':
            if (at < 0) return;
            entries.push([name, mutation.value]);
            notes.push(`${name} twice`);
            return;
          case 'boundary': {
            if (at < 0) return;
            const boundary = boundaryValue(spec.properties[name]);
            if (!boundary) return;
            const [value] = fc.sample(boundary, { numRuns: 1, seed: mutation.pick + picks[position % picks.length] });
            entries = [...entries.filter(([key]) => key !== name), [name, value]];
            notes.push(`${name} at limit`);
            return;
          }
          case 'wrap': {
            if (at < 0) return;
            const current = entries.find(([key]) => key === name)?.[1] ?? lit('x');
            const wrapped: Json =
              mutation.how === 'array' ? { t: 'arr', items: [current] } : mutation.how === 'object' ? { t: 'obj', entries: [['value', current]] } : lit(toJson(current));
            entries = [...entries.filter(([key]) => key !== name), [name, wrapped]];
            notes.push(`${name} as ${mutation.how}`);
            return;
          }
        }
      });
      return { json: { t: 'obj', entries } as Json, note: notes.join(' ') || 'as documented' };
    });
}

interface Body {
  bytes: Buffer;
  contentType?: string;
  contentEncoding?: string;
  note: string;
}

const NOT_JSON = [
  '{',
  '{"a":1',
  "{'title':'x'}",
  '{"title":"x",}',
  '{"limit": NaN}',
  '{"a":1}{"b":2}',
  'title=x&severity=major',
  '<problem><title>x</title></problem>',
  '\ufeff{"title":"x"}',
  '/* c */ {"title":"x"}',
  'undefined',
  '',
  ' ',
  '\u0000',
  '"\\ud800"',
  '"\\u0000"',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '[1,2',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
];
const JSON_CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'APPLICATION/JSON'];
const ODD_CONTENT_TYPES = [
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nonsense',
  'application/json; charset="utf-8"; x=y',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=fuzz',
  'multipart/form-data',
  'application/octet-stream',
  'application/vnd.api+json',
  '*/*',
  'json',
  ';',
  'application/json, text/plain',
];
const ODD_ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'compress', 'x-fuzz', 'gzip, gzip'];

function jsonBody(spec: { variants: ObjectSpec[] } | null, pools: Pools): fc.Arbitrary<Body> {
  const shaped: fc.Arbitrary<{ json: Json; note: string }> =
    spec && spec.variants.length > 0
      ? fc.oneof(...spec.variants.map((variant) => mutatedObject(variant, pools)))
      : fc.array(fc.tuple(nastyKey(), nastyValue), { maxLength: 3 }).map((entries) => ({ json: { t: 'obj', entries } as Json, note: 'unasked-for object' }));
  const document = fc.oneof(
    { weight: 8, arbitrary: shaped },
    { weight: 1, arbitrary: shaped.map(({ json, note }) => ({ json: { t: 'arr', items: [json] } as Json, note: `[${note}]` })) },
    { weight: 2, arbitrary: nastyValue.map((json) => ({ json, note: 'a nasty value for the body' })) },
  );
  const asJson = fc
    .tuple(document, fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...JSON_CONTENT_TYPES) }, { weight: 2, arbitrary: fc.constantFrom(...ODD_CONTENT_TYPES) }))
    .map(([{ json, note }, contentType]): Body => ({ bytes: Buffer.from(toJson(json), 'utf8'), contentType, note: `json ${note}` }));
  const notJson = fc
    .tuple(fc.oneof(fc.constantFrom(...NOT_JSON), anyUnicode(60)), fc.constantFrom(...JSON_CONTENT_TYPES, ...ODD_CONTENT_TYPES))
    .map(([text, contentType]): Body => ({ bytes: Buffer.from(text, 'utf8'), contentType, note: `not json: ${JSON.stringify(text).slice(0, 40)}` }));
  const bytes = fc
    .tuple(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...JSON_CONTENT_TYPES, ...ODD_CONTENT_TYPES, undefined))
    .map(([content, contentType]): Body => ({ bytes: Buffer.from(content), contentType, note: `${content.length} random bytes` }));
  const encoded = fc
    .tuple(asJson, fc.constantFrom(...ODD_ENCODINGS))
    .map(([body, contentEncoding]): Body => ({ ...body, contentEncoding, note: `${body.note}, Content-Encoding: ${contentEncoding}` }));
  const noType = asJson.map((body): Body => ({ ...body, contentType: undefined, note: `${body.note}, no Content-Type` }));
  return fc.oneof(
    { weight: 12, arbitrary: asJson },
    { weight: 2, arbitrary: notJson },
    { weight: 1, arbitrary: bytes },
    { weight: 1, arbitrary: encoded },
    { weight: 1, arbitrary: noType },
  );
}

interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  content: Buffer;
}

const PART_NAMES = ['file', 'kind', 'mode', 'File', 'file[]', 'files', 'file[0]', 'kind[]', 'kind[a]', 'a[b][c][d][e][f][g][h][i][j][k][l][m][n][o][p][q][r][s][t][u][v][w][x][y][z][A][B][C][D][E][F][G]', 'tags[999999]', '__proto__', 'constructor', 'constructor[prototype]', '__proto__[admin]', ''];
const FILE_NAMES = ['note.txt', 'findings.csv', 'findings.xlsx', 'photo.png', '整改照片.jpg', '\u202etxt.exe', '../../../etc/passwd', 'a"b.txt', 'x'.repeat(300), '', ' ', 'report.pdf', 'CON', 'file\\name.txt', '%00.txt'];
const PART_TYPES = ['text/plain', 'text/csv', 'image/png', 'image/jpeg', 'application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream', 'text/plain; charset=utf-16', 'image/svg+xml', 'x/x', ''];
const CSV_COLUMNS = ['title', 'description', 'category', 'severity', 'location', 'requirement', 'deadline', 'key'];

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A findings file: a header of real and made-up columns, rows of valid and nasty cells, sometimes broken. */
function findingsCsv(): fc.Arbitrary<Buffer> {
  const cell = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('Exit blocked', 'Pallets at the exit', 'fire-safety', 'major', '一般', 'Warehouse 3', 'Clear it', '2027-01-15T09:00:00Z', 'K-1') },
    { weight: 2, arbitrary: nastyString().filter((s) => s.length < 3000) },
  );
  return fc
    .tuple(
      fc.shuffledSubarray([...CSV_COLUMNS, 'unknown', 'TITLE', '__proto__', ''], { minLength: 0 }),
      fc.array(fc.array(cell, { maxLength: 10 }), { maxLength: 6 }),
      fc.constantFrom('none', 'unbalanced quote', 'BOM', 'CR only', 'NUL'),
    )
    .map(([header, rows, breakage]) => {
      let text = [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n');
      if (breakage === 'unbalanced quote') text += '\n"unterminated,cell';
      if (breakage === 'BOM') text = `\ufeff${text}`;
      if (breakage === 'CR only') text = text.replace(/\n/g, '\r');
      if (breakage === 'NUL') text = text.replace(',', ',\u0000');
      return Buffer.from(text, 'utf8');
    });
}

function fileContent(): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 3, arbitrary: findingsCsv() },
    { weight: 2, arbitrary: fc.constantFrom('Photo note: done.\n', 'x', '').map((text) => Buffer.from(text)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
            Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
            Buffer.from('%PDF-1.7\n'),
            Buffer.from([0x50, 0x4b, 0x03, 0x04]),
            Buffer.from('GIF89a'),
          ),
          fc.uint8Array({ maxLength: 200 }),
        )
        .map(([magic, rest]) => Buffer.concat([magic, Buffer.from(rest)])),
    },
    { weight: 1, arbitrary: hugeString().map((text) => Buffer.from(text)) },
    { weight: 4, arbitrary: spreadsheetBomb() },
  );
}

/**
 * Workbooks that inflate far beyond their size or hide hostile XML (issue 11), built small: a real findings sheet
 * now and then, and each bomb shape of test/support/workbook-writer.ts at sizes that would take the server down
 * if it inflated them whole.
 */
const BOMB_BUILDERS: Array<() => Buffer> = [
  () => bombs.sheetsOfOneHugeCell(4, 256),
  () => bombs.oneHugeCellLying(512),
  () => bombs.lyingBlankRows(300),
  () => bombs.manySheets(200),
  () => bombs.manyEntries(5000),
  () => bombs.manyTinyRows(50_000),
  () => bombs.manyCells(2000, 200),
  () => bombs.hugeSharedStrings(300_000),
  () => bombs.deeplyNested(10_000),
  () => bombs.entityExpansion(),
  () => workbook({ sheets: [sheetXml([FINDINGS_HEADER, ['x'.repeat(40_000)]])] }),
];
const built = new Map<() => Buffer, Buffer>();
/** Some bombs take a moment to build: each is built once per run and sent as often as it is drawn. */
function builtOnce(build: () => Buffer): Buffer {
  if (!built.has(build)) built.set(build, build());
  return built.get(build)!;
}

function spreadsheetBomb(): fc.Arbitrary<Buffer> {
  const findings = fc
    .array(fc.constantFrom('Exit blocked', '=HYPERLINK("http://x","y")', '@SUM(A1)', 'photo\u202egpj.exe', '消防通道堵塞'), { minLength: 6, maxLength: 6 })
    .map((cells) => workbook({ sheets: [sheetXml([FINDINGS_HEADER, cells])] }));
  return fc.oneof(
    { weight: 2, arbitrary: findings },
    {
      weight: 3,
      arbitrary: fc.constantFrom(...BOMB_BUILDERS).map(builtOnce),
    },
  );
}

function partArb(): fc.Arbitrary<Part> {
  const file = fc.record(
    {
      name: fc.oneof({ weight: 5, arbitrary: fc.constant('file') }, { weight: 1, arbitrary: fc.constantFrom(...PART_NAMES) }),
      filename: fc.oneof(fc.constantFrom(...FILE_NAMES), anyUnicode(20)),
      contentType: fc.constantFrom(...PART_TYPES),
      content: fileContent(),
    },
    { requiredKeys: ['name', 'filename', 'content'] },
  );
  const field = fc.record({
    name: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('kind', 'mode') }, { weight: 2, arbitrary: fc.constantFrom(...PART_NAMES) }, { weight: 1, arbitrary: anyUnicode(10) }),
    content: fc
      .oneof({ weight: 2, arbitrary: fc.constantFrom('finding', 'rectification', 'valid-only', 'all-or-nothing') }, { weight: 3, arbitrary: nastyString() })
      .map((text) => Buffer.from(text, 'utf8')),
  });
  return fc.oneof({ weight: 3, arbitrary: file }, { weight: 2, arbitrary: field });
}

/** A findings file that mostly passes: the documented header and a few rows, now and then one nasty cell. */
function plausibleCsv(): fc.Arbitrary<Buffer> {
  const header = ['title', 'description', 'category', 'severity', 'location', 'requirement'];
  const row = fc
    .tuple(
      fc.constantFrom('Exit blocked', 'Fire door wedged open', '消防通道堵塞'),
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom('major', 'minor', '一般', 'critical') }, { weight: 1, arbitrary: nastyString().filter((text) => text.length < 500) }),
      fc.oneof({ weight: 4, arbitrary: fc.constant('Warehouse 3') }, { weight: 1, arbitrary: nastyString().filter((text) => text.length < 500) }),
      fc.nat(1_000_000),
    )
    .map(([title, severity, location, n]) => [`${title} #${n}`, 'Found during the fuzzing round', 'fire-safety', severity, location, 'Fix it']);
  return fc.array(row, { minLength: 1, maxLength: 3 }).map((rows) => Buffer.from([header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\n'), 'utf8'));
}

/** A file part that would be accepted (text or a findings file), or anything at all. */
function filePart(name: string, findings: boolean): fc.Arbitrary<Part> {
  const plausible = findings
    ? plausibleCsv().map((content) => ({ name, filename: 'findings.csv', contentType: 'text/csv', content }))
    : fc.constant({ name, filename: 'note.txt', contentType: 'text/plain', content: Buffer.from('Photo note: done.\n') });
  const odd = fc.record({ name: fc.constant(name), filename: fc.oneof(fc.constantFrom(...FILE_NAMES), anyUnicode(20)), contentType: fc.constantFrom(...PART_TYPES), content: fileContent() });
  return fc.oneof({ weight: 2, arbitrary: plausible }, { weight: 1, arbitrary: odd });
}

type PartMutation = { kind: 'drop' | 'rename' | 'nasty value'; index: number; name: string; value: string } | { kind: 'add'; part: Part };

/** The parts the endpoint documents (files and fields), plausible, with 0–3 things broken among them. */
function multipartParts(endpoint: Endpoint, pools: Pools, maxMutations = 3): fc.Arbitrary<{ parts: Part[]; note: string }> {
  const spec = endpoint.body?.variants[0];
  const properties = Object.entries(spec?.properties ?? {});
  const documented = properties.map(([name, schema]) =>
    schema.format === 'binary'
      ? filePart(name, endpoint.path.endsWith('/import'))
      : plausibleValue(name, schema, pools).map((value): Part => ({ name, content: Buffer.from(String(JSON.parse(toJson(value))), 'utf8') })),
  );
  const mutation: fc.Arbitrary<PartMutation> = fc.oneof(
    fc.record({ kind: fc.constantFrom('drop' as const, 'rename' as const, 'nasty value' as const), index: fc.nat(100), name: fc.constantFrom(...PART_NAMES), value: nastyString() }),
    partArb().map((part) => ({ kind: 'add' as const, part })),
  );
  return fc.tuple(fc.tuple(...documented), fc.array(mutation, { maxLength: maxMutations })).map(([base, mutations]) => {
    let parts: Part[] = [...base];
    const notes: string[] = [];
    for (const change of mutations) {
      if (change.kind === 'add') {
        parts.push(change.part);
        notes.push(`+${JSON.stringify(change.part.name).slice(0, 20)}`);
        continue;
      }
      if (parts.length === 0) continue;
      const at = change.index % parts.length;
      const target = parts[at];
      if (change.kind === 'drop') parts = parts.filter((_, index) => index !== at);
      else if (change.kind === 'rename') parts[at] = { ...target, name: change.name };
      else parts[at] = { ...target, content: Buffer.from(change.value, 'utf8') };
      notes.push(`${change.kind} ${JSON.stringify(target.name).slice(0, 20)}`);
    }
    return { parts, note: notes.join(' ') || 'as documented' };
  });
}

/** multipart/form-data, usually well formed, sometimes cut short, with a wrong boundary or odd line ends. */
function multipartBody(endpoint: Endpoint, pools: Pools): fc.Arbitrary<Body> {
  return fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: multipartParts(endpoint, pools) }, { weight: 1, arbitrary: fc.array(partArb(), { maxLength: 4 }).map((parts) => ({ parts, note: 'random parts' })) }),
      fc.constantFrom('fuzzBoundary7MA4YWxk', '----x', 'b'.repeat(70), 'with space'),
      fc.oneof(
        { weight: 8, arbitrary: fc.constant('well formed') },
        { weight: 1, arbitrary: fc.constantFrom('truncated', 'no closing boundary', 'wrong boundary', 'no boundary parameter', 'LF line ends', 'no part headers', 'multipart/mixed') },
      ),
    )
    .map(([{ parts, note }, boundary, shape]): Body => {
      const lineEnd = shape === 'LF line ends' ? '\n' : '\r\n';
      const chunks: Buffer[] = [];
      for (const part of parts) {
        chunks.push(Buffer.from(`--${boundary}${lineEnd}`, 'utf8'));
        if (shape !== 'no part headers') {
          const disposition = `Content-Disposition: form-data; name="${part.name.replace(/"/g, '%22')}"${part.filename === undefined ? '' : `; filename="${part.filename.replace(/"/g, '%22')}"`}`;
          chunks.push(Buffer.from(disposition + lineEnd, 'utf8'));
          if (part.contentType) chunks.push(Buffer.from(`Content-Type: ${part.contentType}${lineEnd}`, 'utf8'));
        }
        chunks.push(Buffer.from(lineEnd), part.content, Buffer.from(lineEnd));
      }
      if (shape !== 'no closing boundary') chunks.push(Buffer.from(`--${boundary}--${lineEnd}`));
      let bytes = Buffer.concat(chunks);
      if (shape === 'truncated') bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
      const quoted = /\s/.test(boundary) ? `"${boundary}"` : boundary;
      const contentType =
        shape === 'no boundary parameter'
          ? 'multipart/form-data'
          : shape === 'wrong boundary'
            ? 'multipart/form-data; boundary=notTheBoundary'
            : shape === 'multipart/mixed'
              ? `multipart/mixed; boundary=${quoted}`
              : `multipart/form-data; boundary=${quoted}`;
      const summary = parts.map((part) => `${JSON.stringify(part.name).slice(0, 20)}${part.filename === undefined ? '' : `(file ${part.content.length} B, ${part.contentType ?? 'no type'})`}`).join(' ');
      return { bytes, contentType, note: `multipart ${shape}, ${note}: ${summary || 'no parts'}` };
    });
}

/** The body as documented, nothing broken in it (a valid-looking id may still name nothing). */
function plausibleBody(endpoint: Endpoint, pools: Pools): fc.Arbitrary<Body | null> {
  if (endpoint.body?.kind === 'multipart') {
    return multipartParts(endpoint, pools, 0).map(({ parts }): Body => {
      const boundary = 'fuzzBoundary7MA4YWxk';
      const chunks = parts.flatMap((part) => [
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}\r\n`),
        Buffer.from(part.contentType ? `Content-Type: ${part.contentType}\r\n\r\n` : '\r\n'),
        part.content,
        Buffer.from('\r\n'),
      ]);
      return { bytes: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}`, note: 'multipart as documented' };
    });
  }
  if (endpoint.body?.kind === 'json' && endpoint.body.variants.length > 0) {
    return fc
      .oneof(...endpoint.body.variants.map((variant) => mutatedObject(variant, pools, 0)))
      .map(({ json }): Body => ({ bytes: Buffer.from(toJson(json), 'utf8'), contentType: 'application/json', note: 'json as documented' }));
  }
  return fc.constant(null);
}

/** A body with something wrong in it (or one where none belongs). */
function nastyBody(endpoint: Endpoint, pools: Pools): fc.Arbitrary<Body | null> {
  if (endpoint.body?.kind === 'multipart') {
    return fc.oneof({ weight: 10, arbitrary: multipartBody(endpoint, pools) }, { weight: 1, arbitrary: jsonBody(null, pools) }, { weight: 1, arbitrary: fc.constant(null) });
  }
  if (endpoint.body?.kind === 'json') return fc.oneof({ weight: 12, arbitrary: jsonBody(endpoint.body, pools) }, { weight: 1, arbitrary: fc.constant(null) });
  // Endpoints that take no body: mostly none, sometimes one anyway.
  return fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: jsonBody(null, pools) });
}

// ---------------------------------------------------------------------------------------------------------------
// Paths, query strings and headers
// ---------------------------------------------------------------------------------------------------------------

/**
 * encodeURIComponent that also takes lone surrogates, writing them as the bytes WTF-8 would give them
 * (`%ED%A0%80` for U+D800): not UTF-8, which is the point.
 */
function encodeLoosely(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(char);
  }
  return out;
}

/** Pieces already percent-encoded (or deliberately not): encoded slashes and dots, NUL, broken escapes. */
const RAW_PATH_PIECES = ['%2F', 'a%2Fb', '%2e%2e', '..%2F..%2Fadmin', '%00', '%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', '%20', '%2520', '+', '..', '.', ';x=1', '%3B', '%3F', '%23', '~', "'", '*', '%252F'];

function pathParam(endpoint: Endpoint, param: string, pools: Pools): fc.Arbitrary<string> {
  const real = idsFor(endpoint, param, pools);
  const realArb = real.length > 0 ? fc.constantFrom(...real) : fc.constant(randomUUID());
  const others = allIds(pools);
  const encode = encodeLoosely;
  return fc.oneof(
    { weight: 5, arbitrary: realArb },
    { weight: 1, arbitrary: realArb.map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: fc.tuple(realArb, fc.constantFrom('x', ' ', '%20', '%0A', '/', '%2F', '0', '-')).map(([id, extra]) => id + (extra === ' ' ? '%20' : extra)) },
    { weight: 1, arbitrary: realArb.map((id) => id.slice(0, -1)) },
    { weight: 1, arbitrary: realArb.map((id) => id.replace(/-/g, '%2D')) },
    { weight: 2, arbitrary: fc.constantFrom(...others) },
    { weight: 2, arbitrary: fc.oneof(fc.uuid(), fc.constant(newId()), fc.constant(randomUUID())) },
    { weight: 3, arbitrary: nastyString().map(encode).filter((s) => s.length > 0 && s.length <= 6000) },
    { weight: 1, arbitrary: fc.integer({ min: 500, max: 6000 }).map((n) => 'a'.repeat(n)) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_PATH_PIECES) },
    { weight: 1, arbitrary: fc.constantFrom(...UUID_LIKE).map(encode) },
  );
}

/** A real id of the kind the parameter names, in any state. */
function plausiblePathParam(endpoint: Endpoint, param: string, pools: Pools): fc.Arbitrary<string> {
  const real = idsFor(endpoint, param, pools);
  return real.length > 0 ? fc.constantFrom(...real) : fc.constant(randomUUID());
}

const QUERY_NAME_VARIANTS = (name: string) => [name, `${name}[]`, `${name}[0]`, `${name}[a]`, `${name}.x`, name.toUpperCase(), ` ${name}`];
const ODD_QUERY_NAMES = ['__proto__', '__proto__[x]', 'constructor', 'constructor[prototype][x]', 'prototype', 'toString', 'hasOwnProperty', 'a[b][c]', '', '%', '%zz', 'x'.repeat(500)];

function plausibleQueryValue(name: string, schema: Schema, pools: Pools): fc.Arbitrary<string> {
  const plausible: fc.Arbitrary<string> =
    schema.enum && schema.enum.length > 0
      ? fc.constantFrom(...schema.enum.map(String))
      : name === 'department'
        ? fc.constantFrom(...pools.departmentsAll)
        : name === 'cursor'
          ? fc.oneof(fc.constantFrom(...pools.problems), fc.uuid())
          : name === 'limit'
            ? fc.integer({ min: -5, max: 1005 }).map(String)
            : name === 'from' || name === 'to'
              ? fc.constantFrom('2026-01-01', '2026-12-31', '2026-02-29', '2026-03-02')
              : name === 'inspection'
                ? fc.constantFrom(...pools.inspections)
                : fc.constantFrom('exit', 'Warehouse', '%', '_');
  return plausible;
}

function queryValue(name: string, schema: Schema, pools: Pools): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: plausibleQueryValue(name, schema, pools) }, { weight: 2, arbitrary: nastyString().filter((s) => s.length <= 4000) });
}

/** No query, or up to two documented parameters with values that make sense. */
function plausibleQuery(endpoint: Endpoint, pools: Pools): fc.Arbitrary<{ pairs: string[]; note: string } | null> {
  if (endpoint.query.length === 0) return fc.constant(null);
  const pair = fc.constantFrom(...endpoint.query).chain((param) => plausibleQueryValue(param.name, param.schema, pools).map((value) => [param.name, value] as const));
  return fc.oneof(
    fc.constant(null),
    fc.uniqueArray(pair, { minLength: 1, maxLength: 2, selector: ([name]) => name }).map((list) => ({
      pairs: list.map(([name, value]) => `${encodeLoosely(name)}=${encodeLoosely(value)}`),
      note: list.map(([name]) => name).join(','),
    })),
  );
}

function queryString(endpoint: Endpoint, pools: Pools): fc.Arbitrary<{ pairs: string[]; note: string }> {
  const known = endpoint.query;
  const knownPair: fc.Arbitrary<[string, string]> =
    known.length > 0
      ? fc.constantFrom(...known).chain((param) =>
          fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constant(param.name) }, { weight: 1, arbitrary: fc.constantFrom(...QUERY_NAME_VARIANTS(param.name)) }), queryValue(param.name, param.schema, pools)),
        )
      : fc.tuple(fc.constantFrom('limit', 'cursor', 'format'), nastyString());
  const oddPair: fc.Arbitrary<[string, string]> = fc.tuple(fc.oneof(fc.constantFrom(...ODD_QUERY_NAMES), asciiString(10)), nastyString().filter((s) => s.length <= 2000));
  const pairs = fc.array(fc.oneof({ weight: 4, arbitrary: knownPair }, { weight: 1, arbitrary: oddPair }), { maxLength: 6 });
  const encoding = fc.oneof({ weight: 6, arbitrary: fc.constant('encoded' as const) }, { weight: 1, arbitrary: fc.constant('raw pieces' as const) });
  return fc.tuple(pairs, encoding, fc.constantFrom(...RAW_PATH_PIECES)).map(([list, mode, piece]) => {
    const encoded = list.map(([name, value]) => `${encodeLoosely(name)}=${encodeLoosely(value)}`);
    if (mode === 'raw pieces') encoded.push(`${piece}=${piece}`, `text=${piece}`);
    return { pairs: encoded, note: list.map(([name]) => name.slice(0, 20)).join(',') + (mode === 'raw pieces' ? ` +${piece}` : '') };
  });
}

/** Visible ASCII and Latin-1: all a header value may hold. */
const headerText = (maxLength: number) =>
  fc.string({ maxLength, unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((code) => String.fromCharCode(code)) });

type Auth = { kind: 'role'; role: RoleName; scheme: string } | { kind: 'garbage'; value: string | null; note: string };

function authArb(endpoint: Endpoint, pools: Pools, tokens: Record<RoleName, string>): fc.Arbitrary<Auth> {
  const adminOnly = endpoint.path.startsWith('/admin');
  const role = fc.oneof(
    { weight: adminOnly ? 12 : 1, arbitrary: fc.constant('admin' as RoleName) },
    ...ROLE_NAMES.filter((name) => name !== 'admin').map((name) => ({ weight: 1, arbitrary: fc.constant(name) })),
  );
  const valid = fc.record({
    kind: fc.constant('role' as const),
    role,
    scheme: fc.oneof({ weight: 12, arbitrary: fc.constant('Bearer ') }, { weight: 1, arbitrary: fc.constantFrom('bearer ', 'BEARER ', 'Bearer   ', 'Bearer\t') }),
  });
  const someToken = fc.constantFrom(...Object.values(tokens));
  const garbage = fc.oneof(
    fc.constant({ kind: 'garbage' as const, value: null, note: 'no Authorization' }),
    fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Token abc', 'Bearer null', 'Bearer undefined').map((value) => ({ kind: 'garbage' as const, value, note: JSON.stringify(value) })),
    headerText(80).map((text) => ({ kind: 'garbage' as const, value: `Bearer ${text}`, note: 'Bearer <random>' })),
    fc.integer({ min: 500, max: 3000 }).map((n) => ({ kind: 'garbage' as const, value: `Bearer ${'a'.repeat(n)}`, note: `Bearer <${n} chars>` })),
    someToken.map((token) => ({ kind: 'garbage' as const, value: token, note: 'a token without "Bearer"' })),
    someToken.map((token) => ({ kind: 'garbage' as const, value: `Bearer ${token}x`, note: 'a token with one more character' })),
    someToken.map((token) => ({ kind: 'garbage' as const, value: `Bearer ${token} ${token}`, note: 'two tokens' })),
    fc.constantFrom(...pools.deadTokens).map((token) => ({ kind: 'garbage' as const, value: `Bearer ${token}`, note: 'a revoked token or one of a deactivated user' })),
  );
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 3, arbitrary: garbage });
}

/** A valid token, of the admin mostly for the admin API (others get 403 before validation), of anyone elsewhere. */
function plausibleAuth(endpoint: Endpoint): fc.Arbitrary<Auth> {
  const adminOnly = endpoint.path.startsWith('/admin');
  return fc
    .oneof(
      { weight: adminOnly ? 12 : 1, arbitrary: fc.constant('admin' as RoleName) },
      ...ROLE_NAMES.filter((name) => name !== 'admin').map((name) => ({ weight: 1, arbitrary: fc.constant(name) })),
    )
    .map((role): Auth => ({ kind: 'role', role, scheme: 'Bearer ' }));
}

function extraHeaders(): fc.Arbitrary<Record<string, string>> {
  const ifMatch = fc.oneof(
    fc.constantFrom('"1"', '"2"', 'W/"3"', '*', '"abc"', '"0"', '"-1"', '"99999999999"', '"1", "2"', '""', '"', '1', ' "1" ', 'W/', '"1.5"', '"1e3"', '"0x1"'),
    headerText(60),
    fc.integer({ min: 100, max: 3000 }).map((n) => `"${'9'.repeat(n)}"`),
  );
  const lastEventId = fc.oneof(fc.uuid(), fc.constant(newId()), headerText(60), fc.constantFrom('0', '-1', ' ', '%00', '00000000-0000-0000-0000-000000000000'));
  const correlation = fc.oneof(fc.constantFrom('fuzz-correlation-1', 'a'.repeat(64), 'a'.repeat(65), '../x', '<x>', ''), headerText(40));
  return fc
    .record(
      {
        'If-Match': ifMatch,
        'Last-Event-ID': lastEventId,
        'X-Correlation-Id': correlation,
        Accept: fc.constantFrom('text/event-stream', 'application/xml', '*/*', 'application/json;q=0', 'text/csv', ''),
        'X-HTTP-Method-Override': fc.constantFrom('DELETE', 'PUT', 'GET'),
        'Accept-Language': fc.constantFrom('zh-CN', 'en', 'x'.repeat(1000)),
      },
      { requiredKeys: [] },
    )
    .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Record<string, string>);
}

// ---------------------------------------------------------------------------------------------------------------
// One case: the request, sent over a real socket
// ---------------------------------------------------------------------------------------------------------------

interface FuzzCase {
  endpoint: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
  note: string;
}

/** What a case breaks; the rest of the request is as documented, so that the broken part is what gets checked. */
type Focus = 'body' | 'query' | 'path' | 'headers' | 'auth' | 'nothing' | 'everything';

function caseArb(endpoint: Endpoint, pools: Pools, tokens: Record<RoleName, string>): fc.Arbitrary<FuzzCase> {
  const path = (nasty: boolean) =>
    fc.tuple(...endpoint.pathParams.map((param) => (nasty ? pathParam : plausiblePathParam)(endpoint, param, pools).map((value) => [param, value] as const)));
  const query = (nasty: boolean) => (nasty ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: queryString(endpoint, pools) }) : plausibleQuery(endpoint, pools));
  const body = (nasty: boolean) => (nasty ? nastyBody(endpoint, pools) : plausibleBody(endpoint, pools));
  const auth = (nasty: boolean) => (nasty ? authArb(endpoint, pools, tokens) : plausibleAuth(endpoint));
  const headers = (nasty: boolean) => (nasty ? extraHeaders() : fc.constant({} as Record<string, string>));
  const weights: Array<[Focus, number]> = [
    ['body', endpoint.body ? 8 : 2],
    ['query', endpoint.query.length > 0 ? 4 : 1],
    ['path', endpoint.pathParams.length > 0 ? 4 : 0],
    ['headers', endpoint.path.includes('/events') || endpoint.path.includes('stream') ? 3 : 1],
    ['auth', 1],
    ['nothing', 1],
    ['everything', 1],
  ];
  const foci = weights
    .filter(([, weight]) => weight > 0)
    .map(([focus, weight]) => {
      const nasty = (part: Focus) => focus === 'everything' || focus === part;
      return {
        weight,
        arbitrary: fc.tuple(fc.constant(focus), path(nasty('path')), query(nasty('query')), body(nasty('body')), auth(nasty('auth')), headers(nasty('headers'))),
      };
    });
  return fc.oneof(...foci).map(([focus, paramValues, query, body, auth, extra]) => {
    let path = endpoint.path;
    for (const [param, value] of paramValues) path = path.replace(`{${param}}`, value);
    if (query) {
      // As many pairs as fit: Node answers a request line and headers over 16 KB itself (431, before the app).
      const kept: string[] = [];
      for (const pair of query.pairs) if (path.length + kept.join('&').length + pair.length + 2 <= URL_BUDGET) kept.push(pair);
      path += `?${kept.join('&')}`;
    }
    const headers: Record<string, string> = { ...extra };
    if (auth.kind === 'role') headers.Authorization = `${auth.scheme}${tokens[auth.role]}`;
    else if (auth.value !== null) headers.Authorization = auth.value;
    if (body?.contentType !== undefined) headers['Content-Type'] = body.contentType;
    if (body?.contentEncoding !== undefined) headers['Content-Encoding'] = body.contentEncoding;
    const notes = [
      `broken: ${focus}`,
      auth.kind === 'role' ? `as ${auth.role}${auth.scheme === 'Bearer ' ? '' : ` (${JSON.stringify(auth.scheme)})`}` : `auth: ${auth.note}`,
      query ? `query ${query.note}` : '',
      body ? `body: ${body.note}` : '',
      Object.keys(extra).length > 0 ? `headers ${Object.keys(extra).join(',')}` : '',
    ].filter(Boolean);
    return { endpoint: endpoint.key, method: endpoint.method, path, headers, body: body?.bytes ?? null, note: notes.join('; ') };
  });
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Set when no answer came: the connection failed or the request hung. */
  error?: string;
}

function send(base: URL, request: FuzzCase): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: Answer) => {
      if (!settled) {
        settled = true;
        resolve(answer);
      }
    };
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body) headers['Content-Length'] = request.body.length;
    let client: http.ClientRequest;
    try {
      client = http.request({ host: base.hostname, port: base.port, method: request.method, path: request.path, headers, agent: false }, (response) => {
        // The event stream never ends: its status and headers are the answer.
        if (String(response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          done({ status: response.statusCode ?? 0, headers: response.headers, text: '' });
          client.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => done({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8'), error: error.message }));
      });
    } catch (error) {
      // Node refused to send it (an invalid header or path): a fault of this generator, reported as such.
      done({ status: 0, headers: {}, text: '', error: `client refused the request: ${(error as Error).message}` });
      return;
    }
    client.setTimeout(REQUEST_TIMEOUT_MS, () => client.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    client.on('error', (error) => done({ status: 0, headers: {}, text: '', error: error.message }));
    client.end(request.body ?? undefined);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------------------------

/** What a stack trace or a database driver's error looks like in a response. */
const LEAKS = /"stack"|\bat [\w.<>]+ \([^)]*:\d+:\d+\)|node_modules|\.ts:\d+|\.js:\d+|QueryFailedError|SqliteError|SQLITE_[A-Z]|better-sqlite3|EntityNotFound|TypeORMError|violates .* constraint|duplicate key value|invalid input syntax/;
const ERROR_KEYS = new Set(['code', 'message', 'details', 'correlationId']);

/** Everything wrong with an error answer; [] when it is the documented shape. */
function errorShapeProblems(answer: Answer): string[] {
  const problems: string[] = [];
  const type = String(answer.headers['content-type'] ?? '');
  if (!/^application\/json\b/.test(type)) problems.push(`content-type ${JSON.stringify(type)}, not JSON`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return [...problems, `body is not JSON: ${JSON.stringify(answer.text.slice(0, 120))}`];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [...problems, 'body is not a JSON object'];
  const unexpected = Object.keys(body).filter((key) => !ERROR_KEYS.has(key));
  if (unexpected.length > 0) problems.push(`unexpected keys ${unexpected.join(', ')}`);
  if (typeof body.code !== 'string') problems.push('no code');
  else {
    let mapped: number | string;
    try {
      mapped = statusForCode(body.code as ErrorCode);
    } catch {
      mapped = 'an unknown code';
    }
    if (mapped !== answer.status) problems.push(`code ${body.code} is ${mapped}, answered ${answer.status}`);
  }
  if (typeof body.message !== 'string' || body.message.trim() === '') problems.push('no message');
  const header = answer.headers['x-correlation-id'];
  if (typeof header !== 'string' || header === '') problems.push('no x-correlation-id header');
  if (typeof body.correlationId !== 'string' || body.correlationId !== header) problems.push(`correlationId ${JSON.stringify(body.correlationId)} is not the header's ${JSON.stringify(header)}`);
  if ('details' in body && (typeof body.details !== 'object' || body.details === null || Array.isArray(body.details))) problems.push('details is not an object');
  if (body.code === 'VALIDATION_FAILED') {
    const fields = (body.details as { fields?: unknown } | undefined)?.fields;
    const wellFormed =
      Array.isArray(fields) &&
      fields.length > 0 &&
      fields.every(
        (entry: { field?: unknown; messages?: unknown }) =>
          typeof entry?.field === 'string' && Array.isArray(entry.messages) && entry.messages.length > 0 && entry.messages.every((m) => typeof m === 'string'),
      );
    if (!wellFormed) problems.push('VALIDATION_FAILED without details.fields (each a field and its messages)');
  }
  const leak = LEAKS.exec(answer.text);
  if (leak) problems.push(`leaks internals: ${JSON.stringify(leak[0])}`);
  return problems;
}

function codeOf(answer: Answer): string {
  try {
    return String((JSON.parse(answer.text) as { code?: unknown }).code ?? '?');
  } catch {
    return '(not JSON)';
  }
}

type Digest = Map<string, { rows: number; hash: string }>;

function describeChange(before: Digest, after: Digest): string {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  return names
    .filter((name) => before.get(name)?.hash !== after.get(name)?.hash)
    .map((name) => `${name} (${before.get(name)?.rows ?? 0} → ${after.get(name)?.rows ?? 0} rows)`)
    .join(', ');
}

function sameDigest(a: Digest, b: Digest): boolean {
  if (a.size !== b.size) return false;
  for (const [name, value] of a) if (b.get(name)?.hash !== value.hash) return false;
  return true;
}

function summarise(request: FuzzCase): string {
  const body = request.body ? ` body ${JSON.stringify(request.body.subarray(0, 200).toString('utf8'))}${request.body.length > 200 ? `…(${request.body.length} B)` : ''}` : '';
  const headers = Object.entries(request.headers)
    .filter(([name]) => name !== 'Authorization')
    .map(([name, value]) => `${name}: ${JSON.stringify(value.slice(0, 60))}`)
    .join(', ');
  const path = request.path.length > 200 ? `${request.path.slice(0, 200)}…(${request.path.length} chars)` : request.path;
  return `${request.method} ${path} [${request.note}]${headers ? ` {${headers}}` : ''}${body}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------------------------

describe('Input fuzzing of every documented endpoint', () => {
  let t: TestApp;
  let base: URL;
  let endpoints: Endpoint[];
  let pools: Pools;
  let tablesQuery: string;

  /** Row counts and a hash of every row of every table. */
  async function tablesDigest(): Promise<Digest> {
    const db = t.app.get(Database);
    const result: Digest = new Map();
    await db.read(async (manager) => {
      const tables = ((await manager.query(tablesQuery)) as Array<{ name: string }>).map((row) => row.name).sort();
      for (const table of tables) {
        const rows = (await manager.query(`SELECT * FROM "${table.replace(/"/g, '""')}"`)) as Array<Record<string, unknown>>;
        const excluded = EXCLUDED_COLUMNS[table] ?? [];
        const lines = rows
          .map((row) => JSON.stringify(Object.entries(row).filter(([column]) => !excluded.includes(column)).sort(([a], [b]) => a.localeCompare(b))))
          .sort();
        result.set(table, { rows: rows.length, hash: createHash('sha256').update(lines.join('\n')).digest('hex') });
      }
    });
    return result;
  }

  /** The files of the evidence store, by path and size. */
  function filesDigest(): Digest {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        const stat = statSync(path);
        if (stat.isDirectory()) walk(path);
        else files.push(`${path.slice(t.evidence.dir.length)} ${stat.size}`);
      }
    };
    walk(t.evidence.dir);
    return new Map([['(evidence files)', { rows: files.length, hash: createHash('sha256').update(files.sort().join('\n')).digest('hex') }]]);
  }

  async function digest(): Promise<Digest> {
    return new Map([...(await tablesDigest()), ...filesDigest()]);
  }

  /**
   * What moves with every write, so the full digest can be skipped when nothing was written. On SQLite the app
   * has one connection, whose total_changes() counts every row it inserted, updated or deleted (rolled-back
   * statements included), and `PRAGMA data_version` moves when any other connection commits: when neither
   * moved, no row can differ. PostgreSQL has no exact counter of this kind: there every case is digested in full.
   * The suite checks this shortcut against a full digest every AUDIT_EVERY cases.
   */
  async function writeMark(): Promise<string | null> {
    if (t.database.kind !== 'sqlite') return null;
    return t.app.get(Database).read(async (manager) => {
      const [{ changes }] = (await manager.query('SELECT total_changes() AS changes')) as Array<{ changes: number }>;
      const [{ data_version: version }] = (await manager.query('PRAGMA data_version')) as Array<{ data_version: number }>;
      return `${changes}/${version}`;
    });
  }

  beforeAll(async () => {
    t = await createTestApp();
    base = new URL(await listeningUrl(t));
    tablesQuery = t.database.kind === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";

    const docs = await t.http().get('/docs-json');
    expect(docs.status).toBe(200);
    endpoints = endpointsOf(docs.body as OpenApiDocument);

    // Seed: problems in every state, evidence, throwaway users, departments and tokens, a webhook with
    // deliveries, a closure and supervision notices, so path parameters can hit real ids in every state.
    const steps = new ProblemSteps(t);
    const admin = (method: 'get' | 'post', path: string, body?: object) => {
      const request = t.http()[method](path).auth(t.tokens.admin, { type: 'bearer' });
      return body ? request.send(body) : request;
    };
    const created = async (method: 'get' | 'post', path: string, body?: object) => {
      const response = await admin(method, path, body);
      if (response.status >= 300) throw new Error(`seeding ${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
      return response.body as Record<string, unknown> & { id: string };
    };

    const webhook = await created('post', '/admin/webhooks', { url: 'http://127.0.0.1:9/fuzz' });
    // A robot nobody listens at, and its logged (failed) test message.
    const robot = await created('post', '/admin/notification-channels', { kind: 'dingtalk', name: 'Fuzz robot', webhookUrl: 'http://127.0.0.1:9/robot/send?access_token=fuzz' });
    const robotTest = (await created('post', `/admin/notification-channels/${robot.id}/test`)) as unknown as { notification: { id: string } };
    const problems: string[] = [];
    for (const stage of ['found', 'assigned', 'rectifying.inProgress', 'rectifying.awaitingVerification', 'verified', 'closed', 'cancelled', 'extensionRequested', 'suspended'] as const) {
      problems.push((await steps.inStage(stage)).id);
    }
    const evidence = await steps.uploadEvidence('inspector', problems[0], 'finding');
    expect(evidence.status).toBe(201);
    const rectification = await t.http().get(`/problems/${problems[3]}/evidence`).auth(t.tokens.facilities, { type: 'bearer' });
    const victimDepartment = await created('post', '/admin/departments', { name: 'Fuzz target (试验部)', parentId: t.org.departments.office });
    const victim = (await created('post', '/admin/users', { name: 'Fuzz target user', role: 'department', departmentId: victimDepartment.id })) as unknown as {
      user: { id: string };
      token: { id: string; token: string };
    };
    const victimToken = await created('post', `/admin/users/${victim.user.id}/tokens`, { label: 'fuzz target' });
    const revoked = await created('post', `/admin/users/${victim.user.id}/tokens`, { label: 'revoked' });
    await created('post', `/admin/tokens/${revoked.id}/revoke`);
    const gone = (await created('post', '/admin/users', { name: 'Fuzz gone user', role: 'inspector' })) as unknown as { user: { id: string }; token: { token: string } };
    await created('post', `/admin/users/${gone.user.id}/deactivate`);
    const closureDate = '2027-01-08';
    await created('post', '/admin/calendar/closures', { date: closureDate, reason: 'Fuzz closure' });
    await t.app.get(OutboxRelay).relayOnce();
    const deliveries = (await created('get', `/admin/webhooks/${webhook.id}/deliveries`)).items as Array<{ id: string }>;
    // Notices: the deadlines of the seeded problems pass, and the scheduler escalates them.
    t.clock.set('2026-03-25T02:00:00.000Z');
    await t.app.get(DeadlineScheduler).sweep();
    const notices: string[] = [];
    for (const role of ROLE_NAMES) {
      const inbox = await t.http().get('/me/notices').auth(t.tokens[role], { type: 'bearer' });
      notices.push(...(inbox.body.items as Array<{ id: string }>).map((notice) => notice.id));
    }

    const me = await created('get', '/me');
    expect({ notices: notices.length > 0, deliveries: deliveries.length > 0, rectificationEvidence: rectification.body.items.length > 0 }).toEqual({
      notices: true,
      deliveries: true,
      rectificationEvidence: true,
    });
    // The seeded problems' inspection, by reference and by id (its team: the demo inspector).
    const inspection = await t.http().get('/inspections/INSP-2026-031').auth(t.tokens.inspector, { type: 'bearer' });
    expect(inspection.status).toBe(200);
    pools = {
      problems,
      evidence: [evidence.body.id as string, ...(rectification.body.items as Array<{ id: string }>).map((item) => item.id)],
      notices: [...new Set(notices)],
      departmentTargets: [victimDepartment.id, t.org.departments.facilities, t.org.departments.office],
      departmentsAll: [victimDepartment.id, ...Object.values(t.org.departments)],
      // the admin's own id too: an admin may not deactivate themselves
      userTargets: [victim.user.id, gone.user.id, (me.user as { id: string }).id],
      usersAll: [victim.user.id, gone.user.id, ...Object.values(t.org.users).map((user) => user.actor.userId)],
      tokens: [victimToken.id, revoked.id, victim.token.id],
      webhooks: [webhook.id],
      deliveries: deliveries.map((delivery) => delivery.id),
      channels: [robot.id],
      notifications: [robotTest.notification.id],
      closureDates: [closureDate],
      inspections: ['INSP-2026-031', inspection.body.id as string, 'INSP-FUZZ'],
      deadTokens: [gone.token.token],
    };
    const revokedToken = await created('post', `/admin/users/${victim.user.id}/tokens`, { label: 'revoked too' });
    await created('post', `/admin/tokens/${revokedToken.id}/revoke`);
    pools.deadTokens.push((revokedToken as unknown as { token: string }).token);

    // Every token used once, so that its last use is recorded before the fuzzing starts.
    for (const role of ROLE_NAMES) expect((await t.http().get('/me').auth(t.tokens[role], { type: 'bearer' })).status).toBe(200);

    // The digest and the write mark see a change: filing one problem moves both, and reading moves neither.
    const before = await digest();
    const markBefore = await writeMark();
    expect((await t.http().get('/problems').auth(t.tokens.admin, { type: 'bearer' })).status).toBe(200);
    expect(sameDigest(before, await digest())).toBe(true);
    expect(await writeMark()).toBe(markBefore);
    expect((await steps.file('inspector')).status).toBe(201);
    const after = await digest();
    expect(describeChange(before, after)).toMatch(/problems \(\d+ → \d+ rows\)/);
    if (t.database.kind === 'sqlite') expect(await writeMark()).not.toBe(markBefore);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it(
    'answers every generated request without a 5xx, with the documented error body for every 4xx, and changes nothing when it refuses',
    async () => {
      expect(endpoints.length).toBeGreaterThan(0);
      const startedAt = Date.now();
      const perEndpoint = new Map<string, { cases: number; refused: number; accepted: number; pastAuth: number; outcomes: Map<string, number> }>();
      const failures: string[] = [];
      let failureCount = 0;
      const fail = (request: FuzzCase, answer: Answer, what: string) => {
        failureCount += 1;
        if (failures.length < 60) failures.push(`${what}\n    ${summarise(request)}\n    → ${answer.status} ${answer.error ?? answer.text.slice(0, 300)}`);
      };

      const timing = { request: 0, digest: 0 };
      let current = await digest();
      let mark = await writeMark();
      let digested = 0;
      let skipped = 0;
      for (const [index, endpoint] of endpoints.entries()) {
        const cases = fc.sample(caseArb(endpoint, pools, t.tokens), { numRuns: CASES_PER_ENDPOINT, seed: SEED + index });
        const figures = { cases: 0, refused: 0, accepted: 0, pastAuth: 0, outcomes: new Map<string, number>() };
        perEndpoint.set(endpoint.key, figures);
        for (const request of cases) {
          figures.cases += 1;
          const sentAt = Date.now();
          const answer = await send(base, request);
          const answeredAt = Date.now();
          // Let anything the request set off settle before looking at the database.
          await new Promise((resolve) => setImmediate(resolve));
          const nextMark = await writeMark();
          const audit = figures.cases % AUDIT_EVERY === 0;
          let after: Digest;
          if (nextMark !== null && nextMark === mark && !audit) {
            after = new Map([...current, ...filesDigest()]);
            skipped += 1;
          } else {
            after = await digest();
            digested += 1;
            if (nextMark !== null && nextMark === mark && !sameDigest(current, after)) {
              fail(request, answer, `the write mark did not move, yet the database changed: ${describeChange(current, after)} (the digest shortcut is unsound)`);
            }
          }
          mark = nextMark;
          timing.request += answeredAt - sentAt;
          timing.digest += Date.now() - answeredAt;
          if (answer.status === 0) fail(request, answer, 'no answer');
          else if (answer.status >= 500) fail(request, answer, `${answer.status}`);
          else if (answer.status >= 400) {
            figures.refused += 1;
            const problems = errorShapeProblems(answer);
            if (problems.length > 0) fail(request, answer, `error body: ${problems.join('; ')}`);
            if (!sameDigest(current, after)) fail(request, answer, `refused, yet changed ${describeChange(current, after)}`);
          } else figures.accepted += 1;
          if (answer.status !== 401) figures.pastAuth += 1;
          const outcome = answer.status >= 400 && answer.status < 500 ? `${answer.status} ${codeOf(answer)}` : String(answer.status);
          figures.outcomes.set(outcome, (figures.outcomes.get(outcome) ?? 0) + 1);
          if (LOG) appendFileSync(LOG, `${summarise(request)}\n  → ${outcome} ${answer.error ?? answer.text.slice(0, 200)}\n`);
          current = after;
        }
      }
      const seconds = (Date.now() - startedAt) / 1000;

      const total = [...perEndpoint.values()].reduce((sum, figures) => sum + figures.cases, 0);
      reportFigures('input fuzzing (every documented endpoint)', {
        seed: SEED,
        endpoints: endpoints.length,
        'cases per endpoint': CASES_PER_ENDPOINT,
        'cases in total': total,
        'refused (4xx)': [...perEndpoint.values()].reduce((sum, figures) => sum + figures.refused, 0),
        'accepted (2xx)': [...perEndpoint.values()].reduce((sum, figures) => sum + figures.accepted, 0),
        failures: failureCount,
        seconds: Math.round(seconds),
        'seconds in requests': Math.round(timing.request / 1000),
        'seconds in digests': Math.round(timing.digest / 1000),
        'full digests': digested,
        'digests skipped (nothing written)': skipped,
        ...Object.fromEntries(
          [...perEndpoint].map(([key, figures]) => [
            key,
            `${figures.cases} cases: ${[...figures.outcomes].sort(([, a], [, b]) => b - a).map(([outcome, count]) => `${outcome} ×${count}`).join(', ')}`,
          ]),
        ),
      });

      // every endpoint was fuzzed, and past authentication (or the fuzzing would test the token check alone)
      expect([...perEndpoint].filter(([, figures]) => figures.cases !== CASES_PER_ENDPOINT).map(([key]) => key)).toEqual([]);
      expect([...perEndpoint].filter(([, figures]) => figures.pastAuth === 0).map(([key]) => key)).toEqual([]);
      expect({ seed: SEED, failureCount, failures }).toEqual({ seed: SEED, failureCount: 0, failures: [] });
    },
    // a ceiling only: about 2 ms a case on SQLite (short: ~30 s), far more on PostgreSQL, where every case is digested
    Math.max(170_000, CASES_PER_ENDPOINT * 6_000),
  );
});
