import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../api/client';
import type { SupervisionNotice } from '../../api/views';
import { fakeFetch, renderPage } from '../../../test/render';
import NoticesPage from './NoticesPage';

const PROBLEM = '3f2c9a10-0000-4000-8000-000000000001';

const notice = (id: string, acknowledgedAt: string | null): SupervisionNotice => ({
  id,
  problemId: PROBLEM,
  problemTitle: 'Blocked fire exit',
  problemVersion: 4,
  kind: 'escalation',
  level: 2,
  recipientDepartmentId: 'dept-1',
  recipientUserId: null,
  createdAt: '2026-03-03T01:00:00.000Z',
  acknowledgedAt,
  acknowledgedBy: acknowledgedAt ? 'user-supervisor' : null,
});

describe('NoticesPage', () => {
  beforeEach(() => setCsrfToken('csrf-token'));
  afterEach(() => {
    setCsrfToken(null);
    vi.unstubAllGlobals();
  });

  it('acknowledges a notice: the POST carries the CSRF token, and the notice shows when instead of the button', async () => {
    // given one notice waiting and one acknowledged earlier
    let acknowledged: string | null = null;
    const fake = fakeFetch({
      'GET /me/notices': () => ({ json: { items: [notice('n-1', acknowledged), notice('n-2', '2026-03-01T02:00:00.000Z')] } }),
      'POST /me/notices/n-1/acknowledge': () => {
        acknowledged = '2026-03-04T06:30:00.000Z';
        return { json: notice('n-1', acknowledged) };
      },
      'GET /departments': () => ({ json: { items: [{ id: 'dept-1', name: 'Supervising office', parentId: null, active: true }] } }),
    });
    vi.stubGlobal('fetch', fake.fetch);
    renderPage(<NoticesPage />, { role: 'supervisor' });

    // then the waiting one comes first, with its button
    expect(await screen.findByText('1 not acknowledged', {}, { timeout: 15_000 })).toBeTruthy();
    const rows = screen.getAllByRole('row').slice(1);
    expect(within(rows[0]).getByText('● Not acknowledged')).toBeTruthy();
    expect(within(rows[0]).getByText('2 (supervising office)')).toBeTruthy();
    expect(within(rows[0]).getByRole('link', { name: 'Blocked fire exit' }).getAttribute('href')).toBe(`/problems/${PROBLEM}`);
    await waitFor(() => expect(within(rows[0]).getByText('Supervising office')).toBeTruthy());
    expect(screen.getAllByRole('button', { name: 'Acknowledge' })).toHaveLength(1);

    // when
    fireEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));

    // then
    expect(await screen.findByText('Notice acknowledged')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull());
    expect(screen.getByText('0 not acknowledged')).toBeTruthy();
    expect(screen.getByText('Acknowledged 04/03/2026, 14:30')).toBeTruthy();
    const post = fake.calls.find((call) => call.method === 'POST');
    expect(post).toMatchObject({ path: '/me/notices/n-1/acknowledge', headers: { 'x-csrf-token': 'csrf-token' } });
    // the inbox is read again after the acknowledgement
    expect(fake.calls.filter((call) => call.method === 'GET' && call.path === '/me/notices')).toHaveLength(2);
  });

  it("shows the server's refusal when the notice is not the caller's", async () => {
    // given
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /me/notices': () => ({ json: { items: [notice('n-1', null)] } }),
        'POST /me/notices/n-1/acknowledge': () => ({ status: 404, json: { code: 'NOTICE.NOT_FOUND', message: 'No notice n-1 is addressed to you or your department.' } }),
        'GET /departments': () => ({ json: { items: [] } }),
      }).fetch,
    );
    renderPage(<NoticesPage />, { role: 'supervisor' });

    // when
    fireEvent.click(await screen.findByRole('button', { name: 'Acknowledge' }));

    // then
    expect(await screen.findByText('No notice n-1 is addressed to you or your department. (NOTICE.NOT_FOUND)')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Acknowledge' })).toBeTruthy();
  });

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /me/notices': () => ({ json: { items: [notice('n-1', null), notice('n-2', '2026-03-01T02:00:00.000Z')] } }),
        'GET /departments': () => ({ json: { items: [] } }),
      }).fetch,
    );
    const { container } = renderPage(<NoticesPage />, { role: 'supervisor' });
    await screen.findByRole('button', { name: 'Acknowledge' });
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  }, 90_000);
});
