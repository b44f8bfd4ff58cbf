import { Button, Layout, Menu, Select, Space, Typography } from 'antd';
import { type ReactNode, Suspense, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useSession, useSignOut, type Role } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { PageLoading } from '../components/PageLoading';

interface NavItem {
  path: string;
  label: MessageKey;
  roles: Role[];
}

/** The menu: each role sees the screens of its job, in the order it does it. */
export const NAVIGATION: NavItem[] = [
  { path: '/', label: 'nav.myProblems', roles: ['inspector'] },
  { path: '/problems/new', label: 'nav.fileProblem', roles: ['inspector', 'supervisor'] },
  { path: '/inspections', label: 'nav.inspections', roles: ['inspector', 'supervisor'] },
  { path: '/inbox', label: 'nav.inbox', roles: ['department'] },
  { path: '/overview', label: 'nav.overview', roles: ['supervisor', 'admin'] },
  { path: '/dashboard', label: 'nav.dashboard', roles: ['supervisor', 'admin'] },
  { path: '/notices', label: 'nav.notices', roles: ['supervisor', 'department'] },
  { path: '/sheets', label: 'nav.sheets', roles: ['supervisor', 'admin'] },
  { path: '/problems', label: 'nav.problems', roles: ['inspector', 'department', 'supervisor', 'admin'] },
  { path: '/ledger', label: 'nav.ledger', roles: ['supervisor', 'admin'] },
  { path: '/ranking', label: 'nav.ranking', roles: ['supervisor', 'admin'] },
  { path: '/admin/departments', label: 'nav.departments', roles: ['admin'] },
  { path: '/admin/users', label: 'nav.users', roles: ['admin'] },
  { path: '/admin/calendar', label: 'nav.calendar', roles: ['admin'] },
  { path: '/admin/deadline-policy', label: 'nav.deadlinePolicy', roles: ['admin'] },
  { path: '/admin/webhooks', label: 'nav.webhooks', roles: ['admin'] },
  { path: '/admin/notifications', label: 'nav.notifications', roles: ['admin'] },
  { path: '/profile', label: 'nav.profile', roles: ['inspector', 'department', 'supervisor', 'admin'] },
];

export function AppShell({ children }: { children?: ReactNode }) {
  const { user } = useSession();
  const { t, language, setLanguage } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  // On a phone the menu folds away behind a labelled button in the header (antd's own trigger has no name).
  const [narrow, setNarrow] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const items = NAVIGATION.filter((item) => item.roles.includes(user.role)).map((item) => ({
    key: item.path,
    label: <Link to={item.path}>{t(item.label)}</Link>,
  }));
  const selected = items
    .map((item) => item.key)
    .filter((path) => (path === '/' ? location.pathname === '/' : location.pathname === path || location.pathname.startsWith(`${path}/`)))
    .sort((a, b) => b.length - a.length)
    .slice(0, 1);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        breakpoint="md"
        collapsedWidth={0}
        collapsed={narrow && !menuOpen}
        trigger={null}
        onBreakpoint={(broken) => {
          setNarrow(broken);
          setMenuOpen(false);
        }}
        theme="light"
        width={200}
        id="main-menu"
      >
        <Typography.Title level={4} style={{ padding: '16px 16px 0' }}>
          {t('app.title')}
        </Typography.Title>
        <nav aria-label={t('app.title')}>
          <Menu mode="inline" selectedKeys={selected} items={items} onClick={() => setMenuOpen(false)} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: 'transparent', display: 'flex', justifyContent: 'space-between', alignItems: 'center', paddingInline: 16 }}>
          {narrow ? (
            <Button aria-controls="main-menu" aria-expanded={menuOpen} onClick={() => setMenuOpen((open) => !open)}>
              ☰ {t('app.menu')}
            </Button>
          ) : (
            <span />
          )}
          <Space wrap>
            <Typography.Text>
              {user.name} · {t(`role.${user.role}` as MessageKey)}
            </Typography.Text>
            <Select
              aria-label={t('app.language')}
              value={language}
              onChange={setLanguage}
              options={[
                { value: 'zh', label: '中文' },
                { value: 'en', label: 'English' },
              ]}
              style={{ width: 100 }}
            />
            <Button
              onClick={async () => {
                await signOut();
                navigate('/sign-in');
              }}
            >
              {t('app.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        {/* Layout.Content is the page's <main> landmark (one per page). */}
        <Layout.Content style={{ padding: 16 }}>
          <Suspense fallback={<PageLoading />}>{children ?? <Outlet />}</Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
