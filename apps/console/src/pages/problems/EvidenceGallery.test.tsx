import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EvidenceItem, ProblemView } from '../../api/views';
import { fakeFetch, renderPage } from '../../../test/render';
import { EvidenceGallery } from './EvidenceGallery';

const PROBLEM_ID = '00000000-0000-4000-8000-000000000007';

const file = (n: number, kind: EvidenceItem['kind'], fields: Partial<EvidenceItem> = {}): EvidenceItem => ({
  id: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
  problemId: PROBLEM_ID,
  kind,
  sha256: 'ab'.repeat(32),
  size: 1024,
  mediaType: 'image/jpeg',
  originalName: `photo-${n}.jpg`,
  uploadedBy: 'user-x',
  uploadedAt: '2026-03-02T02:00:00.000Z',
  submittedInVersion: null,
  ...fields,
});

const rectifying: Pick<ProblemView, 'id' | 'state' | 'departmentId'> = { id: PROBLEM_ID, state: 'rectifying', departmentId: 'dept-1' };

function server(items: EvidenceItem[]) {
  const stored = [...items];
  const fake = fakeFetch({
    [`GET /problems/${PROBLEM_ID}/evidence`]: () => ({ json: { items: stored } }),
    [`POST /problems/${PROBLEM_ID}/evidence`]: (body) => {
      const form = body as FormData;
      const uploaded = file(99, form.get('kind') as EvidenceItem['kind'], { originalName: (form.get('file') as File).name });
      stored.push(uploaded);
      return { status: 201, json: uploaded };
    },
  });
  return fake;
}

const section = (name: string) => screen.getByRole('region', { name });

describe('EvidenceGallery', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('puts finding files under before and rectification files under after, images shown from their content', async () => {
    // given evidence in upload order, kinds mixed
    vi.stubGlobal(
      'fetch',
      server([
        file(1, 'finding'),
        file(2, 'rectification', { submittedInVersion: 5 }),
        file(3, 'finding', { mediaType: 'image/png', originalName: 'photo-3.png' }),
        file(4, 'rectification', { mediaType: 'application/pdf', originalName: 'report.pdf' }),
      ]).fetch,
    );

    // when
    renderPage(<EvidenceGallery problem={rectifying} />, { role: 'inspector' });

    // then
    await screen.findByRole('img', { name: 'photo-1.jpg' });
    const before = section('Before');
    const after = section('After');
    expect(within(before).getAllByRole('img').map((img) => img.getAttribute('alt'))).toEqual(['photo-1.jpg', 'photo-3.png']);
    expect(within(after).getAllByRole('img').map((img) => img.getAttribute('alt'))).toEqual(['photo-2.jpg']);
    expect(within(before).getByRole('img', { name: 'photo-1.jpg' }).getAttribute('src')).toBe(
      `/problems/${PROBLEM_ID}/evidence/00000000-0000-4000-9000-000000000001/content`,
    );
    // a PDF is a link to its file, by name
    const pdf = within(after).getByRole('link', { name: /report\.pdf/ });
    expect(pdf.getAttribute('href')).toBe(`/problems/${PROBLEM_ID}/evidence/00000000-0000-4000-9000-000000000004/content`);
    expect(within(after).getByText(/submitted/)).toBeTruthy();
    // the inspector adds no after evidence
    expect(screen.queryByRole('button', { name: 'Upload an after photo / PDF' })).toBeNull();
  });

  it('says when a side has nothing yet', async () => {
    vi.stubGlobal('fetch', server([file(1, 'finding')]).fetch);
    renderPage(<EvidenceGallery problem={rectifying} />, { role: 'inspector' });
    await screen.findByRole('img', { name: 'photo-1.jpg' });
    expect(within(section('After')).getByText('No files yet')).toBeTruthy();
    expect(within(section('Before')).queryByText('No files yet')).toBeNull();
  });

  it.each([
    ['the responsible department while it rectifies', 'department', rectifying, true],
    ['another department', 'department', { ...rectifying, departmentId: 'dept-2' }, false],
    ['the responsible department before it starts', 'department', { ...rectifying, state: 'assigned' as const }, false],
    ['the responsible department once closed', 'department', { ...rectifying, state: 'closed' as const }, false],
    ['a supervisor', 'supervisor', rectifying, false],
  ] as const)('offers the after upload to %s: %s', async (_who, role, problem, offered) => {
    vi.stubGlobal('fetch', server([file(1, 'finding')]).fetch);
    renderPage(<EvidenceGallery problem={problem} />, { role });
    await screen.findByRole('img', { name: 'photo-1.jpg' });
    expect(screen.queryByRole('button', { name: 'Upload an after photo / PDF' }) !== null).toBe(offered);
  });

  it('uploads a chosen photo as rectification evidence (camera first) and shows it under after', async () => {
    // given
    const fake = server([file(1, 'finding')]);
    vi.stubGlobal('fetch', fake.fetch);
    const { container } = renderPage(<EvidenceGallery problem={rectifying} />, { role: 'department' });
    await screen.findByRole('button', { name: 'Upload an after photo / PDF' });
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    expect(input.getAttribute('accept')).toBe('image/*,application/pdf');
    expect(input.getAttribute('capture')).toBe('environment');

    // when
    fireEvent.change(input, { target: { files: [new File(['jpeg bytes'], 'after.jpg', { type: 'image/jpeg' })] } });

    // then
    await waitFor(() => expect(fake.calls.some((call) => call.method === 'POST')).toBe(true));
    const sent = fake.calls.find((call) => call.method === 'POST')!.body as FormData;
    expect(sent.get('kind')).toBe('rectification');
    expect((sent.get('file') as File).name).toBe('after.jpg');
    expect(await within(section('After')).findByRole('img', { name: 'after.jpg' })).toBeTruthy();
  });

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal('fetch', server([file(1, 'finding'), file(2, 'rectification')]).fetch);
    const { container } = renderPage(<EvidenceGallery problem={rectifying} />, { role: 'department' });
    await screen.findByRole('img', { name: 'photo-2.jpg' });
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  });
});
