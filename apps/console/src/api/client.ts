import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** An API refusal as the server words it: a stable code, a message a person can act on, and the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Array<{ field: string; messages: string[] }> = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * How long an answer counts as fresh for the screens that are asked for before they mount (routes.tsx): the
 * screen then shows the preloaded answer instead of asking again. Live updates invalidate it meanwhile anyway.
 */
export const PRELOADED_FRESH_MS = 5_000;

let csrfToken: string | null = null;

/** The session's CSRF token, sent with every unsafe request (the server derives it from the session's secret). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken && UNSAFE.has(request.method)) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

/**
 * The API, typed from the server's OpenAPI document (schema.d.ts is generated: npm run console:api): paths,
 * parameters, bodies and answers are checked against what the server declares. Every screen reaches the server
 * through it, its answers taken with `unwrap`. `fetch` is looked up at each call rather than once, so the
 * component tests' fake takes its place.
 */
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  credentials: 'same-origin',
  headers: { Accept: 'application/json' },
  fetch: (request) => globalThis.fetch(request),
});
api.use(csrf);

/** The filters that are set, and only those (an empty field in the URL is no filter). */
export function setFilters<T extends object>(filters: T): Partial<T> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined && value !== '')) as Partial<T>;
}

/** The server's error body: `{ code, message, details?, correlationId }`. */
interface ErrorBody {
  code?: string;
  message?: string;
  details?: { fields?: Array<{ field: string; messages: string[] }> } & Record<string, unknown>;
}

function refusal(status: number, statusText: string, body: ErrorBody): ApiError {
  return new ApiError(status, body.code ?? `HTTP_${status}`, body.message ?? statusText, body.details?.fields ?? [], body.details ?? {});
}

/** The answer's data, or the server's refusal thrown as an ApiError. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw refusal(response.status, response.statusText, (error ?? {}) as ErrorBody);
}

/**
 * A multipart upload (evidence files), with the session's CSRF token: sent as the FormData itself, so the
 * browser writes the parts, their types and file names. Its answer is typed by the caller from the schema.
 */
export async function upload<T>(path: string, body: FormData): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, { method: 'POST', body, headers, credentials: 'same-origin' });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) throw refusal(response.status, response.statusText, (json ?? {}) as ErrorBody);
  return json as T;
}
