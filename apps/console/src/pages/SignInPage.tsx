import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, ApiError, unwrap } from '../api/client';
import { useSessionQuery, useSignIn } from '../auth/session';
import { useI18n } from '../i18n/i18n';

/** Username and password; a first sign-in with a password an admin chose goes on to choosing one's own. */
export default function SignInPage() {
  const { t } = useI18n();
  const signIn = useSignIn();
  const session = useSessionQuery();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const changing = params.get('change') === '1' || session.data?.user.mustChangePassword === true;
  const next = params.get('next') ?? '/';

  async function onSignIn(values: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const signedIn = await signIn(values.username, values.password);
      if (signedIn.user.mustChangePassword) navigate('/sign-in?change=1', { replace: true });
      else navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'AUTH.LOCKED') setError(t('signIn.locked'));
      else if (caught instanceof ApiError && caught.status === 401) setError(t('signIn.failed'));
      else setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  async function onChange(values: { currentPassword: string; newPassword: string }) {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/auth/password', { body: values }));
      await session.refetch();
      navigate('/', { replace: true });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main style={{ display: 'flex', justifyContent: 'center', padding: '10vh 16px' }}>
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 24 }}>
          {t('app.title')} · {changing ? t('signIn.changePassword') : t('signIn.title')}
        </Typography.Title>
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
        {changing ? (
          <Form layout="vertical" onFinish={onChange} requiredMark={false}>
            <Form.Item name="currentPassword" label={t('signIn.currentPassword')} rules={[{ required: true }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Form.Item name="newPassword" label={t('signIn.newPassword')} rules={[{ required: true, min: 10 }]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>
              {t('app.save')}
            </Button>
          </Form>
        ) : (
          <Form layout="vertical" onFinish={onSignIn} requiredMark={false}>
            <Form.Item name="username" label={t('signIn.username')} rules={[{ required: true }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>
              {t('signIn.submit')}
            </Button>
          </Form>
        )}
      </Card>
    </main>
  );
}
