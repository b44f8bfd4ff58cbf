import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import axe from 'axe-core';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InspectionView } from '../../api/views';
import { SessionProvider } from '../../auth/session';
import { I18nProvider } from '../../i18n/i18n';
import { readCall } from '../../../test/render';
import InspectionsPage from './InspectionsPage';

interface Call {
  method: string;
  path: string;
  body: unknown;
}

const ME = '0190a000-0000-7000-8000-000000000001';
const COLLEAGUE = '0190a000-0000-7000-8000-000000000002';
const DEPARTMENT_USER = '0190a000-0000-7000-8000-000000000003';

const INSPECTION: InspectionView = {
  id: '0190a000-0000-7000-8000-0000000000a1',
  organisationId: null,
  officeId: null,
  reference: 'INSP-2026-031',
  title: 'Warehouse fire-safety check',
  kind: 'safety',
  startsOn: '2026-03-02',
  endsOn: '2026-03-06',
  inspectedDepartmentIds: [],
  createdBy: ME,
  createdAt: '2026-03-02T01:00:00.000Z',
  updatedAt: '2026-03-02T01:00:00.000Z',
  members: [
    { userId: ME, addedBy: ME, addedAt: '2026-03-02T01:00:00.000Z' },
    { userId: COLLEAGUE, addedBy: ME, addedAt: '2026-03-02T02:00:00.000Z' },
  ],
  mayFile: true,
  mayManage: true,
};

let calls: Call[] = [];

function reply(call: Call): { status: number; body?: unknown } {
  const one = `/inspections/${INSPECTION.id}`;
  if (call.method === 'GET' && call.path === '/inspections') return { status: 200, body: { items: [INSPECTION], nextCursor: null } };
  if (call.method === 'GET' && call.path === one) return { status: 200, body: INSPECTION };
  if (call.method === 'GET' && call.path.startsWith('/problems/counts')) {
    return { status: 200, body: { total: 2, byState: { found: 1, assigned: 0, rectifying: 1, verified: 0, closed: 0, cancelled: 0 }, byLight: { green: 1, yellow: 0, red: 0, black: 0 } } };
  }
  if (call.method === 'GET' && call.path.startsWith('/problems?')) {
    return { status: 200, body: { items: [{ id: 'p1', title: 'Fire exit blocked', state: 'found', deadlineState: 'notSet' }], nextCursor: null } };
  }
  if (call.method === 'GET' && call.path === '/departments') return { status: 200, body: { items: [] } };
  if (call.method === 'POST' && call.path === `${one}/members`) {
    return {
      status: 422,
      body: { code: 'INSPECTION.INVALID_MEMBER', message: `User ${DEPARTMENT_USER} is a department user; an inspection team takes inspector and supervisor users.`, details: {} },
    };
  }
  if (call.method === 'DELETE' && call.path === `${one}/members/${COLLEAGUE}`) {
    return { status: 200, body: { ...INSPECTION, members: INSPECTION.members.filter((member) => member.userId !== COLLEAGUE) } };
  }
  return { status: 404, body: { code: 'NOT_FOUND', message: `no ${call.method} ${call.path}` } };
}

beforeAll(() => {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
});

beforeEach(() => {
  calls = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const { method, path, body: sent } = await readCall(input, init);
      const call = { method, path, body: sent };
      calls.push(call);
      const { status, body } = reply(call);
      return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function Where() {
  const location = useLocation();
  return <output aria-label="location">{location.pathname + location.search}</output>;
}

function renderPage(url: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const session = {
    user: { id: ME, name: 'Li Wei', username: 'liwei', role: 'inspector' as const, departmentId: null, active: true, mustChangePassword: false, createdAt: '2026-01-05T08:00:00.000Z' },
    csrfToken: null,
    expiresAt: null,
  };
  return render(
    <QueryClientProvider client={client}>
      <I18nProvider language="en">
        <AntApp>
          <SessionProvider session={session}>
            <MemoryRouter initialEntries={[url]}>
              <Routes>
                <Route path="/inspections" element={<InspectionsPage />} />
                <Route path="*" element={null} />
              </Routes>
              <Where />
            </MemoryRouter>
          </SessionProvider>
        </AntApp>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

// antd in jsdom is slow to render, and slower while other suites run beside this one.
describe('InspectionsPage', { timeout: 30_000 }, () => {
  it('lists my inspections and opens one with its problems and a link to all of them', async () => {
    // given
    renderPage('/inspections');

    // when
    fireEvent.click(await screen.findByRole('link', { name: 'INSP-2026-031' }));

    // then
    expect(await screen.findByRole('heading', { level: 2, name: /INSP-2026-031/ })).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'Fire exit blocked' })).toBeTruthy();
    expect(screen.getByText('2 problems')).toBeTruthy();
    expect(screen.getByRole('link', { name: /See all its problems/ }).getAttribute('href')).toBe('/problems?inspection=INSP-2026-031');
    // the creator, and on the team
    expect(screen.getAllByText('Li Wei (me)')).toHaveLength(2);
  });

  it('shows a refused team member on the user field, and removes a member after confirmation', async () => {
    // given
    renderPage(`/inspections?open=${INSPECTION.id}`);
    const userId = await screen.findByLabelText('User ID');

    // when: someone who may not be on a team
    fireEvent.change(userId, { target: { value: DEPARTMENT_USER } });
    fireEvent.click(screen.getByRole('button', { name: 'Add to the team' }));

    // then
    await waitFor(() => expect(userId.getAttribute('aria-invalid')).toBe('true'));
    await waitFor(() => expect(userId.closest('.ant-form-item')!.textContent).toContain('is a department user'));

    // when: a colleague is removed
    fireEvent.click(screen.getByRole('button', { name: `Remove ${COLLEAGUE}` }));
    const confirm = await screen.findByRole('dialog');
    fireEvent.click(confirm.querySelector('.ant-btn-dangerous')!);

    // then
    await waitFor(() => expect(calls.some((call) => call.method === 'DELETE' && call.path.endsWith(`/members/${COLLEAGUE}`))).toBe(true));
    await waitFor(() => expect(screen.queryByRole('button', { name: `Remove ${COLLEAGUE}` })).toBeNull());
  });

  it('has no serious or critical accessibility violations on the list or one inspection', async () => {
    for (const url of ['/inspections', `/inspections?open=${INSPECTION.id}`]) {
      // given
      const { container, unmount } = renderPage(url);
      await screen.findByRole('heading', { level: 2 });
      await screen.findAllByText('INSP-2026-031');

      // when
      const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });

      // then (contrast needs a real layout: checked in the browser tests)
      expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${url}: ${violation.id}`)).toEqual([]);
      unmount();
    }
  }, 60_000);

  it('sends the inspector to file under the inspection', async () => {
    renderPage(`/inspections?open=${INSPECTION.id}`);
    fireEvent.click(await screen.findByRole('button', { name: 'File a problem under this inspection' }));
    expect(screen.getByLabelText('location').textContent).toBe(`/problems/new?inspection=${INSPECTION.id}`);
  });
});
