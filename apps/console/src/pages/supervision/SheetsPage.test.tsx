import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SupervisionSheet } from '../../api/views';
import { fakeFetch, renderPage } from '../../../test/render';
import SheetsPage from './SheetsPage';

const sheet = (sequence: number, department: string, title: string): SupervisionSheet => ({
  id: `sheet-${sequence}`,
  number: `督〔2026〕${sequence}号`,
  year: 2026,
  sequence,
  organisationId: 'org-1',
  problemId: `problem-${sequence}`,
  problemVersion: 5,
  historyHash: 'a'.repeat(64),
  issuedAt: '2026-03-20T10:00:01.000Z',
  pdfSha256: null,
  facts: {
    stepName: 'Supervision notice',
    level: 1,
    problem: { id: `problem-${sequence}`, title, description: '', category: 'fire', severity: 'major', inspectionRef: 'INSP-1', foundAt: '2026-03-02T01:00:00.000Z' },
    deadline: '2026-03-20T10:00:00.000Z',
    responsibleDepartment: { id: `dept-${department}`, name: department },
    leader: null,
    issuingOffice: { id: 'dept-o', name: 'Safety Office' },
    requirement: 'Report in writing.',
    responseDue: '2026-03-25T10:00:00.000Z',
  },
  response: null,
});

describe('SheetsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists the sheets the filters in the URL ask for, links each to its verification and its problem, and pages on', async () => {
    // given two pages of overdue responses
    const fake = fakeFetch({
      'GET /sheets': () => {
        const asked = new URLSearchParams(fake.calls.at(-1)!.path.split('?')[1]);
        return asked.get('after')
          ? { json: { items: [sheet(1, 'Production', 'Forklift unlicensed')], nextCursor: null } }
          : { json: { items: [sheet(2, 'Facilities', 'Distribution box unlocked')], nextCursor: 'sheet-2' } };
      },
    });
    vi.stubGlobal('fetch', fake.fetch);

    // when
    renderPage(<SheetsPage />, { role: 'supervisor', path: '/sheets?response=overdue&year=2026' });

    // then
    const row = (await screen.findByRole('link', { name: '督〔2026〕2号' }, { timeout: 15_000 })).closest('tr')!;
    expect(fake.calls[0].path).toBe('/sheets?response=overdue&year=2026');
    expect(within(row).getByRole('link', { name: '督〔2026〕2号' }).getAttribute('href')).toBe('/sheets/2026-2/verify?organisation=org-1');
    expect(within(row).getByRole('link', { name: 'Distribution box unlocked' }).getAttribute('href')).toBe('/problems/problem-2');
    expect(within(row).getByText('Facilities')).toBeTruthy();
    expect(within(row).getByText(/^overdue \(due by /)).toBeTruthy();

    // when the next page is asked for
    fireEvent.click(screen.getByRole('button', { name: 'More' }));

    // then it follows the cursor with the same filters
    await screen.findByRole('link', { name: '督〔2026〕1号' });
    expect(fake.calls[1].path).toBe('/sheets?response=overdue&year=2026&after=sheet-2');
    expect(screen.queryByRole('button', { name: 'More' })).toBeNull();
  });
});
