import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LedgerRow } from '../../api/views';
import { fakeFetch, renderPage } from '../../../test/render';
import LedgerPage from './LedgerPage';

const row: LedgerRow = {
  id: '3f2c9a10-0000-4000-8000-000000000001',
  inspection: 'INS-7',
  title: 'Extinguisher out of date',
  location: 'Store',
  category: 'fire',
  severity: 'general',
  departmentId: 'dept-2',
  department: 'Maintenance',
  responsiblePerson: 'Wang',
  plannedCompletionDate: null,
  latestProgress: null,
  foundAt: '2026-02-01T01:00:00.000Z',
  originalDeadline: '2026-02-10T09:00:00.000Z',
  deadline: '2026-02-10T09:00:00.000Z',
  extensions: 0,
  state: 'rectifying',
  stateDetail: 'rectifying',
  light: 'green',
  daysOverdue: 3,
  highestEscalationLevel: 0,
  reworkRounds: 0,
  closedAt: null,
  completedAt: null,
  workingDaysToClose: null,
  outcome: 'open and overdue',
  repeatOf: null,
};

describe('LedgerPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads its filters from the URL, and the exports take the same filters', async () => {
    // given
    const fake = fakeFetch({
      'GET /ledger': () => ({ json: { items: [row], nextCursor: null } }),
      'GET /departments': () => ({ json: { items: [{ id: 'dept-2', name: 'Maintenance', parentId: null, active: true }] } }),
    });
    vi.stubGlobal('fetch', fake.fetch);

    // when
    renderPage(<LedgerPage />, { role: 'supervisor', path: '/ledger?state=rectifying&light=green&from=2026-02-01&to=2026-02-28' });

    // then
    // (role queries over the wide table are slow in jsdom: wait on the text, then ask by role)
    await screen.findByText('Extinguisher out of date', {}, { timeout: 15_000 });
    expect(screen.getByRole('link', { name: 'Extinguisher out of date' }).getAttribute('href')).toBe(`/problems/${row.id}`);
    expect(screen.getByText('● Open and overdue')).toBeTruthy();
    expect(screen.getByText('● Green')).toBeTruthy();
    expect(fake.calls.find((call) => call.path.startsWith('/ledger'))?.path).toBe('/ledger?state=rectifying&light=green&from=2026-02-01&to=2026-02-28&limit=100');
    expect(screen.getByRole('link', { name: 'Ledger as CSV' }).getAttribute('href')).toBe('/ledger?state=rectifying&light=green&from=2026-02-01&to=2026-02-28&format=csv&lang=en');
    expect(screen.getByRole('link', { name: 'Summary as Excel' }).getAttribute('href')).toBe(
      '/ledger/summary?state=rectifying&light=green&from=2026-02-01&to=2026-02-28&format=xlsx&lang=en',
    );
    expect((screen.getByLabelText('Found from') as HTMLInputElement).value).toBe('2026-02-01');
  }, 90_000);

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'GET /ledger': () => ({ json: { items: [row], nextCursor: null } }), 'GET /departments': () => ({ json: { items: [] } }) }).fetch);
    const { container } = renderPage(<LedgerPage />, { role: 'supervisor', path: '/ledger' });
    await screen.findByText('Extinguisher out of date', {}, { timeout: 15_000 });
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  }, 90_000);
});
