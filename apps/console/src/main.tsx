import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useRoutes } from 'react-router';
import { ApiError } from './api/client';
import { SESSION_KEY, SessionProvider, useSessionQuery } from './auth/session';
import { PageLoading } from './components/PageLoading';
import { I18nProvider, useI18n } from './i18n/i18n';
import { AppShell } from './layout/AppShell';
import SignInPage from './pages/SignInPage';
import { preloadScreen, SIGNED_IN_ROUTES } from './routes';

/** A session that ended (idle, signed out elsewhere, deactivated) sends the person back to sign in. */
function onRefused(error: unknown) {
  if (error instanceof ApiError && error.status === 401) queryClient.setQueryData(SESSION_KEY, null);
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onRefused }),
  mutationCache: new MutationCache({ onError: onRefused }),
  defaultOptions: {
    queries: {
      // A refusal will not change by asking again; a lost connection may.
      retry: (count, error) => !(error instanceof ApiError) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

function SignedIn() {
  const session = useSessionQuery();
  const location = useLocation();
  const routes = useRoutes([{ path: '/', element: <AppShell />, children: SIGNED_IN_ROUTES }]);
  if (session.isPending) return <PageLoading />;
  if (!session.data) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (session.data.user.mustChangePassword) return <Navigate to="/sign-in?change=1" replace />;
  return <SessionProvider session={session.data}>{routes}</SessionProvider>;
}

/**
 * Contrast to WCAG AA's 4.5:1 (axe: color-contrast, serious), which several of Ant Design's defaults miss on white:
 * the primary blue #1677ff (white button text, links: 4.1:1) and the error red #ff4d4f (danger buttons: 3.3:1)
 * take their next darker step of the same palette (6.2:1, 5.6:1); grey text at 45% (field help, description
 * labels: 3.4:1) goes to 65%, as secondary text already is (7:1). Links follow colorLink, not the primary colour.
 * Coloured tags write their text in the palette's 7th shade on its 1st, under 4.5:1 for the lighter hues: their
 * text takes the 8th shade of the same hue (5:1 or more), the 9th for gold and lime.
 */
const THEME = {
  token: {
    colorPrimary: '#0958d9',
    colorLink: '#0958d9',
    colorError: '#cf1322',
    colorTextTertiary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    ...darkerTagText({ volcano: '#ad2102', orange: '#ad4e00', gold: '#874d00', lime: '#3f6600', green: '#237804', cyan: '#006d75' }),
  },
};

/** A palette's 7th shade under both of its token names (`green7`, `green-7`: both become the CSS variable --ant-green-7). */
function darkerTagText(text: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(text).flatMap(([hue, colour]) => [[`${hue}7`, colour], [`${hue}-7`, colour]]));
}

function Localised() {
  const { language } = useI18n();
  return (
    <ConfigProvider locale={language === 'zh' ? zhCN : enUS} theme={THEME}>
      <AntApp>
        <BrowserRouter>
          <Routes>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/*" element={<SignedIn />} />
          </Routes>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

preloadScreen(queryClient, window.location);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Localised />
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
