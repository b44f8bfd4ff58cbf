import { Alert, Button, Card, Checkbox, Col, Form, Input, Radio, Row, Typography } from 'antd';
import { useState } from 'react';
import type { NotificationSettings } from '../../api/views';
import { useSession } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageLoading } from '../../components/PageLoading';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { showOnFields } from '../admin/form-errors';
import { NOTIFIABLE_EVENTS } from '../admin/notification-vocabulary';
import { useChangePassword, useNotificationSettings, useUpdateNotificationSettings } from './profile-queries';

/** My own settings: where and in which language I am told, what of, and my password. */
export default function ProfilePage() {
  const { t } = useI18n();
  const { user } = useSession();
  const settings = useNotificationSettings();
  return (
    <section>
      <Typography.Title level={2}>{t('profile.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {user.name} · {user.username}
      </Typography.Paragraph>
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={14}>
          {settings.error ? <ErrorNotice error={settings.error} /> : settings.data ? <SettingsForm settings={settings.data} /> : <PageLoading />}
        </Col>
        <Col xs={24} lg={10}>
          <PasswordForm />
        </Col>
      </Row>
    </section>
  );
}

interface SettingsValues {
  email?: string;
  mobile?: string;
  language: 'zh' | 'en';
  /** The events I am told of: every notifiable event but my opt-outs. */
  toldOf: string[];
}

export function SettingsForm({ settings }: { settings: NotificationSettings }) {
  const { t } = useI18n();
  const [form] = Form.useForm<SettingsValues>();
  const update = useUpdateNotificationSettings();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const mandatory = new Set(settings.mandatory);
  const initialValues: SettingsValues = {
    email: settings.email ?? '',
    mobile: settings.mobile ?? '',
    language: settings.language,
    toldOf: NOTIFIABLE_EVENTS.filter((event) => mandatory.has(event) || !settings.optOuts.includes(event)),
  };

  async function save(values: SettingsValues) {
    setError(null);
    setSaved(false);
    const told = new Set(values.toldOf);
    try {
      await update.mutateAsync({
        // An emptied field clears the address (null), rather than leaving the old one.
        email: values.email?.trim() ? values.email.trim() : null,
        mobile: values.mobile?.trim() ? values.mobile.trim() : null,
        language: values.language,
        optOuts: NOTIFIABLE_EVENTS.filter((event) => !mandatory.has(event) && !told.has(event)),
      });
      setSaved(true);
    } catch (caught) {
      if (!showOnFields(form, caught)) setError(caught);
    }
  }

  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('profile.notifications')}</Typography.Title>}>
      {error !== null && <ErrorNotice error={error} />}
      {saved && <Alert type="success" showIcon title={t('profile.saved')} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={save} onValuesChange={() => setSaved(false)}>
        <Form.Item name="email" label={t('profile.email')} rules={[{ type: 'email', max: 320 }]}>
          <Input type="email" autoComplete="email" maxLength={320} />
        </Form.Item>
        <Form.Item name="mobile" label={t('profile.mobile')} extra={t('profile.mobileHint')} rules={[{ pattern: /^\+?[0-9]{6,20}$/, message: t('profile.mobileInvalid') }]}>
          <Input type="tel" autoComplete="tel" maxLength={21} />
        </Form.Item>
        <Form.Item name="language" label={t('profile.language')}>
          <Radio.Group
            options={[
              { value: 'zh', label: '中文' },
              { value: 'en', label: 'English' },
            ]}
          />
        </Form.Item>
        <Form.Item name="toldOf" label={t('profile.toldOf')} extra={t('profile.mandatoryHint')}>
          <Checkbox.Group style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 4 }}>
            {NOTIFIABLE_EVENTS.map((event) => (
              <Checkbox key={event} value={event} disabled={mandatory.has(event)}>
                {t(dynamicKey('admin.domainEvent', event))}
                {mandatory.has(event) && ` (${t('profile.mandatory')})`}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={update.isPending}>
          {t('app.save')}
        </Button>
      </Form>
    </Card>
  );
}

function PasswordForm() {
  const { t } = useI18n();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; repeat: string }>();
  const change = useChangePassword();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  async function submit(values: { currentPassword: string; newPassword: string }) {
    setError(null);
    setDone(false);
    try {
      await change.mutateAsync({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      form.resetFields();
      setDone(true);
    } catch (caught) {
      if (!showOnFields(form, caught)) setError(caught);
    }
  }

  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('profile.password')}</Typography.Title>}>
      {error !== null && <ErrorNotice error={error} />}
      {done && <Alert type="success" showIcon title={t('profile.passwordChanged')} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="currentPassword" label={t('signIn.currentPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('signIn.newPassword')} extra={t('profile.passwordHint')} rules={[{ required: true, min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="repeat"
          label={t('profile.repeatPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_rule, value) => (value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('profile.passwordsDiffer')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('profile.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}
