import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderPage } from '../../../test/render';
import type { AdminUser, DepartmentNode } from '../../api/views';
import UsersPage from './UsersPage';

const FACILITIES: DepartmentNode = {
  id: '0190a000-0000-7000-8000-000000000001',
  name: 'Facilities',
  parentId: null,
  headUserId: null,
  active: true,
  createdAt: '2026-01-05T01:00:00.000Z',
  children: [],
};

const user = (overrides: Partial<AdminUser>): AdminUser => ({
  id: '0190a000-0000-7000-8000-0000000000aa',
  name: 'Li Na',
  username: 'li.na',
  role: 'inspector',
  departmentId: null,
  active: true,
  mustChangePassword: false,
  createdAt: '2026-01-05T01:00:00.000Z',
  ...overrides,
});

/** The admin API as far as these screens use it: users are kept, creation answers the first token once. */
function adminApi() {
  const users: AdminUser[] = [user({})];
  return fakeFetch({
    'GET /admin/users': () => ({ json: { items: users } }),
    'GET /admin/departments': () => ({ json: { items: [FACILITIES] } }),
    'POST /admin/users': (body) => {
      const input = body as { name: string; username?: string; role: AdminUser['role']; departmentId?: string };
      if (input.username === 'li.na') {
        return { status: 409, json: { code: 'USER.USERNAME_TAKEN', message: 'The username li.na is taken; choose another.', details: { field: 'username' } } };
      }
      const created = user({ id: '0190a000-0000-7000-8000-0000000000bb', name: input.name, username: input.username ?? 'wang.fang', role: input.role, departmentId: input.departmentId ?? null });
      users.push(created);
      return { status: 201, json: { user: created, token: { id: 'tok-1', userId: created.id, label: 'initial', createdAt: created.createdAt, expiresAt: null, revokedAt: null, lastUsedAt: null, token: 'rk_live_first-token-secret' } } };
    },
    'POST /admin/users/0190a000-0000-7000-8000-0000000000bb/invitation': () => ({
      status: 201,
      json: { userId: '0190a000-0000-7000-8000-0000000000bb', username: 'wang.fang', code: 'invite-code-shown-once', expiresAt: '2026-01-12T01:00:00.000Z' },
    }),
    'POST /admin/users/0190a000-0000-7000-8000-0000000000bb/password': () => ({ json: user({ id: '0190a000-0000-7000-8000-0000000000bb', mustChangePassword: true }) }),
  });
}

async function openCreate() {
  fireEvent.click(await screen.findByRole('button', { name: 'New user' }));
  return screen.findByRole('dialog');
}

function pick(dialog: HTMLElement, label: string, option: string) {
  fireEvent.mouseDown(within(dialog).getByLabelText(label));
  fireEvent.click(screen.getAllByText(option).find((element) => element.closest('.ant-select-item-option'))!);
}

describe('UsersPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('creates a department user, shows the first token once, and goes on to an invitation', async () => {
    // given
    const api = adminApi();
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<UsersPage />, { role: 'admin' });
    expect(await screen.findByText('li.na')).toBeTruthy();

    // when the admin fills in name, role and department
    const dialog = await openCreate();
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Wang Fang' } });
    pick(dialog, 'Role', 'Department');
    pick(dialog, 'Department', 'Facilities');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    // then the server got exactly those fields, and the token is shown once
    await waitFor(() => expect(api.calls.find((call) => call.method === 'POST' && call.path === '/admin/users')?.body).toEqual({ name: 'Wang Fang', role: 'department', departmentId: FACILITIES.id }));
    expect(await screen.findByText('rk_live_first-token-secret')).toBeTruthy();
    expect(screen.getByText(/shown only this once/)).toBeTruthy();

    // when the admin asks for an invitation
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Create an invitation' }));

    // then the code is shown, and the list has the new user
    expect(await screen.findByText('invite-code-shown-once')).toBeTruthy();
    expect(api.calls.some((call) => call.method === 'POST' && call.path.endsWith('/invitation'))).toBe(true);
    await waitFor(() => expect(screen.getAllByText('wang.fang').length).toBeGreaterThan(0));
  }, 60_000);

  it('asks for a department before sending a department user', async () => {
    const api = adminApi();
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<UsersPage />, { role: 'admin' });

    const dialog = await openCreate();
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Zhao Lei' } });
    pick(dialog, 'Role', 'Supervisor');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await within(dialog).findByText('Department and supervisor users must belong to a department')).toBeTruthy();
    expect(api.calls.some((call) => call.method === 'POST')).toBe(false);
  });

  it("puts the server's refusal on the field it names (a username taken)", async () => {
    vi.stubGlobal('fetch', adminApi().fetch);
    renderPage(<UsersPage />, { role: 'admin' });

    const dialog = await openCreate();
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Li Na' } });
    fireEvent.change(within(dialog).getByLabelText('Username'), { target: { value: 'li.na' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    const message = await within(dialog).findByText('The username li.na is taken; choose another.');
    expect(message.closest('.ant-form-item')?.querySelector('input')?.id).toBe('username');
  });

  it('sets a first password the user must change', async () => {
    const api = adminApi();
    vi.stubGlobal('fetch', api.fetch);
    renderPage(<UsersPage />, { role: 'admin' });
    const dialog = await openCreate();
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Wang Fang' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await screen.findByText('rk_live_first-token-secret');
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Set a password' }));

    const passwordDialog = await screen.findByRole('dialog', { name: 'Set a password for Wang Fang' });
    fireEvent.change(within(passwordDialog).getByLabelText('Initial password'), { target: { value: 'correct horse battery' } });
    fireEvent.click(within(passwordDialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(api.calls.find((call) => call.path.endsWith('/password'))?.body).toEqual({ password: 'correct horse battery' }),
    );
  });

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal('fetch', adminApi().fetch);
    const { container } = renderPage(<UsersPage />, { role: 'admin' });
    await screen.findByText('li.na');
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  });
});
