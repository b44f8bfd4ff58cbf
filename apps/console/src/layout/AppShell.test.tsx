import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderPage } from '../../test/render';
import { AppShell, NAVIGATION } from './AppShell';

describe('AppShell', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    ['department', ['To rectify', 'Supervision notices', 'Problems', 'My settings']],
    ['inspector', ['My problems', 'File a problem', 'Inspections', 'Problems', 'My settings']],
  ] as const)('shows a %s the screens of their job and no others', (role, expected) => {
    vi.stubGlobal('fetch', fakeFetch({}).fetch);
    renderPage(<AppShell>{null}</AppShell>, { role });
    const links = screen.getAllByRole('link').map((link) => link.textContent);
    expect(links).toEqual(expected);
  });

  it('gives every screen at least one role, and administration only to admins', () => {
    expect(NAVIGATION.every((item) => item.roles.length > 0)).toBe(true);
    expect(NAVIGATION.filter((item) => item.path.startsWith('/admin')).every((item) => item.roles.join() === 'admin')).toBe(true);
  });
});
