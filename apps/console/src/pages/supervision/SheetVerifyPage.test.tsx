import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SheetVerification, SupervisionSheet } from '../../api/views';
import { fakeFetch, renderPage } from '../../../test/render';
import SheetVerifyPage from './SheetVerifyPage';

const SHEET: SupervisionSheet = {
  id: 'sheet-1',
  number: '督〔2026〕17号',
  year: 2026,
  sequence: 17,
  organisationId: 'org-1',
  problemId: 'problem-1',
  problemVersion: 7,
  historyHash: 'a'.repeat(64),
  issuedAt: '2026-03-20T10:00:01.000Z',
  pdfSha256: 'b'.repeat(64),
  facts: {
    stepName: 'Supervision notice',
    level: 1,
    problem: { id: 'problem-1', title: 'Distribution box unlocked', description: 'Unlocked', category: 'electrical', severity: 'major', inspectionRef: 'INSP-1', foundAt: '2026-03-02T01:00:00.000Z' },
    deadline: '2026-03-20T10:00:00.000Z',
    responsibleDepartment: { id: 'dept-f', name: 'Facilities' },
    leader: { id: 'user-w', name: 'Wang Fang' },
    issuingOffice: { id: 'dept-o', name: 'Safety Office' },
    requirement: 'Rectify at once and report in writing.',
    responseDue: '2026-03-25T10:00:00.000Z',
  },
  response: { text: 'Locked and signposted.', at: '2026-03-24T02:00:00.000Z', by: { id: 'user-w', name: 'Wang Fang' }, late: false },
};
const intact: SheetVerification = { number: SHEET.number, valid: true, historyRow: 'matches', chainIntact: true, pdf: 'notChecked', problems: [] };
const forged: SheetVerification = { ...intact, valid: false, pdf: 'differs', problems: ['The PDF presented is not the sheet as issued.'] };

function renderAt(path: string) {
  return renderPage(
    <Routes>
      <Route path="/sheets/:number/verify" element={<SheetVerifyPage />} />
    </Routes>,
    { role: 'supervisor', path },
  );
}

describe('SheetVerifyPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('says whether the sheet the QR code names matches the history, shows what it says, and checks an uploaded copy', async () => {
    // given
    const fake = fakeFetch({
      'GET /sheets/2026-17': () => ({ json: SHEET }),
      'GET /sheets/2026-17/verify': () => ({ json: intact }),
      'POST /sheets/2026-17/verify': () => ({ json: forged }),
    });
    vi.stubGlobal('fetch', fake.fetch);

    // when
    renderAt('/sheets/2026-17/verify?organisation=org-1');

    // then the verdict, each check, and the sheet's facts
    await screen.findByText('Valid: it matches the recorded history', undefined, { timeout: 15_000 });
    expect(fake.calls.map((call) => call.path).sort()).toEqual(['/sheets/2026-17/verify?organisation=org-1', '/sheets/2026-17?organisation=org-1']);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Verify a supervision sheet · 督〔2026〕17号');
    expect(screen.getByText('matches')).toBeTruthy();
    expect(screen.getByText('not checked (upload a copy to check it)')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Distribution box unlocked' }).getAttribute('href')).toBe('/problems/problem-1');
    for (const printed of ['Facilities', 'Wang Fang', 'Safety Office', 'Rectify at once and report in writing.', 'a'.repeat(64)]) expect(screen.getByText(printed)).toBeTruthy();
    // and the department's written response, on time
    expect(screen.getByText(/^given /)).toBeTruthy();
    expect(screen.getByText('Locked and signposted. —— Wang Fang')).toBeTruthy();

    // when a copy that is not the file issued is uploaded
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['%PDF-1.7 forged'], 'copy.pdf', { type: 'application/pdf' })] } });

    // then it is sent as the multipart `file` and the verdict turns
    await screen.findByText('Not valid: it does not match the recorded history');
    expect(screen.getByText('not the file issued')).toBeTruthy();
    expect(screen.getByText('The PDF presented is not the sheet as issued.')).toBeTruthy();
    const posted = fake.calls.find((call) => call.method === 'POST')!;
    expect(posted.path).toBe('/sheets/2026-17/verify?organisation=org-1');
    await waitFor(() => expect((posted.body as FormData).get('file')).toBeInstanceOf(File));
  });

  it('answers a sheet the caller may not see as the server words it', async () => {
    // given
    const refusal = { status: 404, json: { code: 'SHEET.NOT_FOUND', message: 'No supervision sheet 2026-99 that you may see.', correlationId: 'c' } };
    vi.stubGlobal('fetch', fakeFetch({ 'GET /sheets/2026-99': () => refusal, 'GET /sheets/2026-99/verify': () => refusal }).fetch);

    // when
    renderAt('/sheets/2026-99/verify');

    // then
    await screen.findByText(/No supervision sheet 2026-99 that you may see\./, undefined, { timeout: 15_000 });
  });
});
