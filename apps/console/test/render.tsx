import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { SessionProvider, type Session } from '../src/auth/session';
import { I18nProvider } from '../src/i18n/i18n';
import type { Language } from '../src/i18n/catalog';

export const SESSION_OF = (role: Session['user']['role']): Session => ({
  user: { id: `user-${role}`, name: `A ${role}`, username: role, role, departmentId: 'dept-1', active: true, mustChangePassword: false, createdAt: '2026-01-05T08:00:00.000Z' },
  csrfToken: 'csrf-token',
  expiresAt: null,
});

/** A query client as the tests use it: a refusal is not asked again. */
export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false } } });
}

/** Renders inside the providers the console's pages run in, signed in as `role`, in `language`. */
export function renderPage(
  ui: ReactNode,
  options: { role?: Session['user']['role']; language?: Language; path?: string; client?: QueryClient } = {},
) {
  const client = options.client ?? testQueryClient();
  return render(
    <QueryClientProvider client={client}>
      <I18nProvider language={options.language ?? 'en'}>
        <AntApp>
          <MemoryRouter initialEntries={[options.path ?? '/']}>
            <SessionProvider session={SESSION_OF(options.role ?? 'inspector')}>{ui}</SessionProvider>
          </MemoryRouter>
        </AntApp>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

/**
 * One request as a fake server reads it: the API client sends a Request (its body JSON, or multipart for an
 * upload, read back as FormData); a path with the body beside it is read the same way.
 */
export async function readCall(input: RequestInfo | URL, init: RequestInit = {}) {
  const request = input instanceof Request ? input : null;
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://console.test');
  const method = (request?.method ?? init.method ?? 'GET').toUpperCase();
  const headers = request?.headers ?? new Headers(init.headers);
  let body: unknown = init.body;
  if (request && (headers.get('content-type') ?? '').startsWith('multipart/form-data')) body = await request.clone().formData();
  else if (request) body = (await request.clone().text()) || undefined;
  if (typeof body === 'string') body = JSON.parse(body) as unknown;
  return { method, url, path: url.pathname + url.search, body, headers: Object.fromEntries(headers.entries()) };
}

/** A fetch that answers by method and path, recording the calls. */
export function fakeFetch(routes: Record<string, (body: unknown) => { status?: number; json: unknown }>) {
  const calls: Array<{ method: string; path: string; body: unknown; headers: Record<string, string> }> = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const { method, url, path, body, headers } = await readCall(input, init);
    calls.push({ method, path, body, headers });
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return new Response(JSON.stringify({ code: 'ROUTE.NOT_FOUND', message: `no fake for ${method} ${url.pathname}` }), { status: 404 });
    const { status = 200, json } = route(body);
    return new Response(JSON.stringify(json), { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}
