import { fireEvent, screen, waitFor } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderPage } from '../../../test/render';
import ProfilePage from './ProfilePage';

const SETTINGS = { email: 'li.na@example.org', mobile: null, language: 'en', optOuts: ['problem.closed'], mandatory: ['problem.escalated', 'problem.verification_overdue'] };

function api() {
  return fakeFetch({
    'GET /me/notification-settings': () => ({ json: SETTINGS }),
    'PUT /me/notification-settings': (body) => ({ json: { ...SETTINGS, ...(body as object) } }),
    'POST /auth/password': () => ({ status: 422, json: { code: 'AUTH.INVALID_CREDENTIALS', message: 'The current password is wrong.', details: { field: 'currentPassword' } } }),
  });
}

describe('ProfilePage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the mandatory events ticked and disabled, and saves opt-outs as the events left unticked', async () => {
    // given
    const fake = api();
    vi.stubGlobal('fetch', fake.fetch);
    renderPage(<ProfilePage />, { role: 'department' });
    const escalated = (await screen.findByRole('checkbox', { name: /Escalated \(督办\)/ })) as HTMLInputElement;
    expect(escalated.checked).toBe(true);
    expect(escalated.disabled).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Closed out (销号)' }) as HTMLInputElement).checked).toBe(false);

    // when the person stops the daily digest and clears their email
    fireEvent.click(screen.getByRole('checkbox', { name: 'Daily digest' }));
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: '' } });
    fireEvent.click(screen.getAllByRole('button', { name: 'Save' })[0]);

    // then
    await waitFor(() =>
      expect(fake.calls.find((call) => call.method === 'PUT')?.body).toEqual({ email: null, mobile: null, language: 'en', optOuts: ['problem.closed', 'daily.digest'] }),
    );
    expect(await screen.findByText('Settings saved')).toBeTruthy();
  });

  it("puts a wrong current password on its field", async () => {
    vi.stubGlobal('fetch', api().fetch);
    renderPage(<ProfilePage />, { role: 'department' });
    fireEvent.change(await screen.findByLabelText('Current password'), { target: { value: 'not-my-password' } });
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'a much better passphrase' } });
    fireEvent.change(screen.getByLabelText('Repeat the new password'), { target: { value: 'a much better passphrase' } });
    fireEvent.click(screen.getAllByRole('button', { name: 'Change password' }).find((button) => button.getAttribute('type') === 'submit')!);

    const message = await screen.findByText('The current password is wrong.');
    expect(message.closest('.ant-form-item')?.querySelector('input')?.id).toBe('currentPassword');
  });

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal('fetch', api().fetch);
    const { container } = renderPage(<ProfilePage />, { role: 'department' });
    await screen.findByLabelText('Email');
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  });
});
