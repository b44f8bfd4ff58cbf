import type { QueryClient } from '@tanstack/react-query';
import { lazy } from 'react';
import { matchRoutes, type RouteObject } from 'react-router';
import { sessionQuery } from './auth/session';
import { preloadInbox } from './pages/department/inbox-queries';
import { preloadOverview } from './pages/supervision/supervision-queries';

type PageModule = { default: React.ComponentType };

interface Screen {
  path?: string;
  index?: true;
  load: () => Promise<PageModule>;
  /** The first answers the screen shows, asked for while its code and the session are still on their way. */
  preload?: (client: QueryClient, params: URLSearchParams) => void;
}

/** Every screen is its own chunk: the first load carries the shell and the sign-in page only. */
const SCREENS: Screen[] = [
  { index: true, load: () => import('./pages/Home') },
  // Problems: every role, each within its scope.
  { path: 'problems', load: () => import('./pages/problems/ProblemListPage') },
  { path: 'problems/new', load: () => import('./pages/problems/FileProblemPage') },
  { path: 'problems/:id', load: () => import('./pages/problems/ProblemPage') },
  // The inspector's inspections; the department's inbox; the supervising office's instruments.
  { path: 'inspections', load: () => import('./pages/inspections/InspectionsPage') },
  { path: 'inbox', load: () => import('./pages/department/InboxPage'), preload: preloadInbox },
  { path: 'overview', load: () => import('./pages/supervision/OverviewPage'), preload: preloadOverview },
  { path: 'notices', load: () => import('./pages/supervision/NoticesPage') },
  { path: 'sheets', load: () => import('./pages/supervision/SheetsPage') },
  { path: 'sheets/:number/verify', load: () => import('./pages/supervision/SheetVerifyPage') },
  { path: 'ledger', load: () => import('./pages/supervision/LedgerPage') },
  { path: 'ranking', load: () => import('./pages/supervision/RankingPage') },
  { path: 'dashboard', load: () => import('./pages/supervision/DashboardPage') },
  // Administration.
  { path: 'admin/departments', load: () => import('./pages/admin/DepartmentsPage') },
  { path: 'admin/users', load: () => import('./pages/admin/UsersPage') },
  { path: 'admin/calendar', load: () => import('./pages/admin/CalendarPage') },
  { path: 'admin/deadline-policy', load: () => import('./pages/admin/DeadlinePolicyPage') },
  { path: 'admin/webhooks', load: () => import('./pages/admin/WebhooksPage') },
  { path: 'admin/notifications', load: () => import('./pages/admin/NotificationsAdminPage') },
  { path: 'profile', load: () => import('./pages/profile/ProfilePage') },
  { path: '*', load: () => import('./pages/NotFound') },
];

/** The screens as routes, in the order of SCREENS (a matched route is the screen at its place). */
export const SIGNED_IN_ROUTES: RouteObject[] = SCREENS.map(({ path, index, load }) => {
  const Component = lazy(load);
  return index ? { index, element: <Component /> } : { path, element: <Component /> };
});

/**
 * At start, before React renders: the session, the screen's code and its first answers are asked for at once,
 * instead of one after the other (session, then the shell, then the screen's chunk, then its requests). Nobody
 * signed in: the answers are refusals, and the console goes to sign-in as it would have anyway.
 */
export function preloadScreen(client: QueryClient, location: { pathname: string; search: string }): void {
  if (location.pathname === '/sign-in') return;
  void client.prefetchQuery(sessionQuery);
  const matched = matchRoutes(SIGNED_IN_ROUTES, location.pathname);
  const screen = matched && SCREENS[SIGNED_IN_ROUTES.indexOf(matched[matched.length - 1].route)];
  if (!screen) return;
  void screen.load();
  screen.preload?.(client, new URLSearchParams(location.search));
}
