import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { SessionProvider, type Session } from '../src/auth/session';
import { I18nProvider } from '../src/i18n/i18n';
import type { Language } from '../src/i18n/catalog';

export const SESSION_OF = (role: Session['user']['role']): Session => ({
  user: { id: `user-${role}`, name: `A ${role}`, username: role, role, departmentId: 'dept-1', mustChangePassword: false },
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

/** A fetch that answers by method and path, recording the calls. */
export function fakeFetch(routes: Record<string, (body: unknown) => { status?: number; json: unknown }>) {
  const calls: Array<{ method: string; path: string; body: unknown; headers: Record<string, string> }> = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://console.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : init.body;
    calls.push({ method, path: url.pathname + url.search, body, headers: Object.fromEntries(new Headers(init.headers).entries()) });
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return new Response(JSON.stringify({ code: 'ROUTE.NOT_FOUND', message: `no fake for ${method} ${url.pathname}` }), { status: 404 });
    const { status = 200, json } = route(body);
    return new Response(JSON.stringify(json), { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}
