import { lazy } from 'react';
import type { RouteObject } from 'react-router';

/** Every screen is its own chunk: the first load carries the shell and the sign-in page only. */
const page = (load: () => Promise<{ default: React.ComponentType }>) => {
  const Component = lazy(load);
  return <Component />;
};

export const SIGNED_IN_ROUTES: RouteObject[] = [
  { index: true, element: page(() => import('./pages/Home')) },
  // Problems: every role, each within its scope.
  { path: 'problems', element: page(() => import('./pages/problems/ProblemListPage')) },
  { path: 'problems/new', element: page(() => import('./pages/problems/FileProblemPage')) },
  { path: 'problems/:id', element: page(() => import('./pages/problems/ProblemPage')) },
  // The inspector's inspections; the department's inbox; the supervising office's instruments.
  { path: 'inspections', element: page(() => import('./pages/inspections/InspectionsPage')) },
  { path: 'inbox', element: page(() => import('./pages/department/InboxPage')) },
  { path: 'overview', element: page(() => import('./pages/supervision/OverviewPage')) },
  { path: 'notices', element: page(() => import('./pages/supervision/NoticesPage')) },
  { path: 'ledger', element: page(() => import('./pages/supervision/LedgerPage')) },
  // Administration.
  { path: 'admin/departments', element: page(() => import('./pages/admin/DepartmentsPage')) },
  { path: 'admin/users', element: page(() => import('./pages/admin/UsersPage')) },
  { path: 'admin/calendar', element: page(() => import('./pages/admin/CalendarPage')) },
  { path: 'admin/webhooks', element: page(() => import('./pages/admin/WebhooksPage')) },
  { path: 'admin/notifications', element: page(() => import('./pages/admin/NotificationsAdminPage')) },
  { path: 'profile', element: page(() => import('./pages/profile/ProfilePage')) },
  { path: '*', element: page(() => import('./pages/NotFound')) },
];
