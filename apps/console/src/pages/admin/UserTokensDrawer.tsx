import { Button, DatePicker, Drawer, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type dayjs from 'dayjs';
import { useState } from 'react';
import type { AdminUser, IssuedToken, TokenSummary } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { useI18n } from '../../i18n/i18n';
import { useTokenChanges, useTokens } from './admin-queries';
import { showOnFields } from './form-errors';
import { ShowOnce } from './ShowOnce';

/** A user's API tokens: label and use, never the token; a new one is shown once; revoking ends its next use. */
export function UserTokensDrawer({ user, onClose }: { user: AdminUser; onClose(): void }) {
  const { t, language } = useI18n();
  const tokens = useTokens(user.id);
  const changes = useTokenChanges(user.id);
  const [form] = Form.useForm<{ label: string; expiresAt?: dayjs.Dayjs }>();
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function issue(values: { label: string; expiresAt?: dayjs.Dayjs }) {
    setError(null);
    setIssued(null);
    try {
      setIssued(await changes.issue.mutateAsync({ label: values.label, ...(values.expiresAt ? { expiresAt: values.expiresAt.toISOString() } : {}) }));
      form.resetFields();
    } catch (caught) {
      if (!showOnFields(form, caught)) setError(caught);
    }
  }

  async function revoke(token: TokenSummary) {
    setError(null);
    try {
      await changes.revoke.mutateAsync(token.id);
    } catch (caught) {
      setError(caught);
    }
  }

  const state = (token: TokenSummary) => {
    if (token.revokedAt) return <Tag>{t('admin.tokens.revoked')}</Tag>;
    if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) return <Tag color="orange">{t('admin.tokens.expired')}</Tag>;
    return <Tag color="green">{t('admin.active')}</Tag>;
  };

  return (
    <Drawer open onClose={onClose} size="large" title={t('admin.tokens.title', { name: user.name })}>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {t('admin.tokens.issue')}
      </Typography.Title>
      <Form form={form} layout="vertical" onFinish={issue}>
        <Form.Item name="label" label={t('admin.tokens.label')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('admin.tokens.expiresAt')} extra={t('admin.tokens.expiresHint')}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={changes.issue.isPending}>
          {t('admin.tokens.issue')}
        </Button>
      </Form>
      <Space orientation="vertical" style={{ width: '100%', margin: '16px 0' }}>
        {issued && <ShowOnce label={t('admin.tokens.token')} value={issued.token} />}
        {error !== null && <ErrorNotice error={error} />}
      </Space>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {t('admin.tokens.list')}
      </Typography.Title>
      {tokens.error ? (
        <ErrorNotice error={tokens.error} />
      ) : (
        <Table<TokenSummary>
          rowKey="id"
          size="small"
          loading={tokens.isPending}
          dataSource={tokens.data ?? []}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: t('admin.tokens.label'), dataIndex: 'label' },
            { title: t('admin.state'), key: 'state', render: (_: unknown, token) => state(token) },
            { title: t('admin.createdAt'), dataIndex: 'createdAt', render: (value: string) => formatInstant(value, language) },
            { title: t('admin.tokens.expiresAt'), dataIndex: 'expiresAt', render: (value: string | null) => (value ? formatInstant(value, language) : t('admin.tokens.never')) },
            { title: t('admin.tokens.lastUsedAt'), dataIndex: 'lastUsedAt', render: (value: string | null) => formatInstant(value, language) },
            {
              title: t('app.actions'),
              key: 'actions',
              render: (_: unknown, token) =>
                !token.revokedAt && (
                  <Popconfirm
                    title={t('admin.tokens.revokeConfirm', { label: token.label })}
                    okText={t('admin.tokens.revoke')}
                    cancelText={t('app.cancel')}
                    onConfirm={() => revoke(token)}
                  >
                    <Button size="small" danger>
                      {t('admin.tokens.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
    </Drawer>
  );
}
