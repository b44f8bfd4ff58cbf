import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SupervisionSheet } from '../../api/views';
import { fakeFetch, renderPage } from '../../../test/render';
import { SupervisionSheets } from './SupervisionSheets';

/** A sheet addressed to dept-1 (the test session's department), asking for a written response. */
const asking = (response: SupervisionSheet['response'] = null): SupervisionSheet => ({
  id: 'sheet-1',
  number: '督〔2026〕3号',
  year: 2026,
  sequence: 3,
  organisationId: 'org-1',
  problemId: 'problem-1',
  problemVersion: 7,
  historyHash: 'a'.repeat(64),
  issuedAt: '2026-03-20T10:00:01.000Z',
  pdfSha256: null,
  facts: {
    stepName: 'Supervision notice',
    level: 1,
    problem: { id: 'problem-1', title: 'Distribution box unlocked', description: '', category: 'electrical', severity: 'major', inspectionRef: 'INSP-1', foundAt: '2026-03-02T01:00:00.000Z' },
    deadline: '2026-03-20T10:00:00.000Z',
    responsibleDepartment: { id: 'dept-1', name: 'Facilities' },
    leader: null,
    issuingOffice: { id: 'dept-o', name: 'Safety Office' },
    requirement: 'Rectify at once and report in writing by 25 March.',
    responseDue: '2099-03-25T10:00:00.000Z',
  },
  response,
});

describe('SupervisionSheets', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists the sheets with their PDF and verification links, and lets the department respond in writing once', async () => {
    // given
    let given: SupervisionSheet['response'] = null;
    const fake = fakeFetch({
      'GET /problems/problem-1/sheets': () => ({ json: { items: [asking(given)] } }),
      'POST /sheets/2026-3/response': (body) => {
        given = { text: (body as { text: string }).text, at: '2026-03-24T02:00:00.000Z', by: { id: 'user-department', name: 'A department' }, late: false };
        return { json: asking(given) };
      },
    });
    vi.stubGlobal('fetch', fake.fetch);

    // when
    renderPage(<SupervisionSheets problemId="problem-1" version={7} />, { role: 'department' });

    // then the row: its number, step, office, response due, and its links
    const row = (await screen.findByRole('cell', { name: '督〔2026〕3号' }, { timeout: 15_000 })).closest('tr')!;
    expect(within(row).getByText('Supervision notice')).toBeTruthy();
    expect(within(row).getByText(/^due by /)).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Download PDF: sheet 督〔2026〕3号' }).getAttribute('href')).toBe('/sheets/2026-3?format=pdf&organisation=org-1');
    expect(within(row).getByRole('link', { name: 'Verify: sheet 督〔2026〕3号' }).getAttribute('href')).toBe('/sheets/2026-3/verify?organisation=org-1');

    // when the department writes its response
    fireEvent.click(within(row).getByRole('button', { name: 'Respond in writing' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByRole('textbox'), { target: { value: 'Locked and signposted.' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send the response' }));

    // then it is sent for that sheet of that organisation, and the row says it was given
    await waitFor(() => expect(fake.calls.some((call) => call.method === 'POST')).toBe(true));
    const posted = fake.calls.find((call) => call.method === 'POST')!;
    expect(posted).toMatchObject({ path: '/sheets/2026-3/response?organisation=org-1', body: { text: 'Locked and signposted.' } });
    await screen.findByText(/^given /);
    expect(screen.queryByRole('button', { name: 'Respond in writing' })).toBeNull();
  });

  it('offers no response to anyone outside the department, and shows nothing before a sheet is issued', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'GET /problems/problem-1/sheets': () => ({ json: { items: [asking()] } }) }).fetch);
    renderPage(<SupervisionSheets problemId="problem-1" version={7} />, { role: 'supervisor' });
    await screen.findByRole('cell', { name: '督〔2026〕3号' }, { timeout: 15_000 });
    expect(screen.queryByRole('button', { name: 'Respond in writing' })).toBeNull();

    vi.stubGlobal('fetch', fakeFetch({ 'GET /problems/problem-2/sheets': () => ({ json: { items: [] } }) }).fetch);
    const { container } = renderPage(<SupervisionSheets problemId="problem-2" version={1} />, { role: 'supervisor' });
    await waitFor(() => expect(container.textContent).toBe(''));
  });
});
