import { Button, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { NotificationAttempt, NotificationChannel, NotificationMessage } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { type LogFilters, useNotification, useNotificationLog, useRedeliverNotification } from './admin-queries';
import { NOTIFICATION_STATUSES } from './notification-vocabulary';

const STATUS_COLOUR: Record<string, string> = { pending: 'blue', sent: 'green', folded: 'default', failed: 'orange', undeliverable: 'red' };

/** The delivery log, newest first: filters, each message's attempts, and sending one again. */
export function NotificationLog({ channels }: { channels: NotificationChannel[] }) {
  const { t, language } = useI18n();
  const [filters, setFilters] = useState<LogFilters>({});
  // Pages are `after` the last message seen; the trail lets one go back.
  const [trail, setTrail] = useState<string[]>([]);
  const log = useNotificationLog({ ...filters, after: trail[trail.length - 1] });
  const redeliver = useRedeliverNotification();
  const [error, setError] = useState<unknown>(null);
  const channelName = (id: string) => channels.find((channel) => channel.id === id)?.name ?? id;

  async function again(message: NotificationMessage) {
    setError(null);
    try {
      await redeliver.mutateAsync(message.id);
    } catch (caught) {
      setError(caught);
    }
  }

  const items = log.data ?? [];
  return (
    <section>
      <Form<LogFilters>
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(values) => {
          setTrail([]);
          setFilters(Object.fromEntries(Object.entries(values).filter(([, value]) => value)) as LogFilters);
        }}
      >
        <Form.Item name="status" label={t('admin.log.status')}>
          <Select allowClear style={{ width: 140 }} options={NOTIFICATION_STATUSES.map((value) => ({ value, label: t(dynamicKey('admin.log.status', value)) }))} />
        </Form.Item>
        <Form.Item name="channelId" label={t('admin.log.channel')}>
          <Select allowClear style={{ width: 180 }} options={channels.map((channel) => ({ value: channel.id, label: channel.name }))} />
        </Form.Item>
        <Form.Item name="problemId" label={t('admin.log.problemId')} rules={[{ pattern: /^[0-9a-f-]{36}$/i, message: t('admin.log.problemIdHint') }]}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('app.search')}
        </Button>
      </Form>
      {error !== null && <ErrorNotice error={error} />}
      {log.error ? (
        <ErrorNotice error={log.error} />
      ) : (
        <Table<NotificationMessage>
          rowKey="id"
          size="small"
          loading={log.isPending}
          dataSource={items}
          pagination={false}
          scroll={{ x: true }}
          expandable={{ expandedRowRender: (message) => <AttemptLog notificationId={message.id} /> }}
          columns={[
            { title: t('admin.createdAt'), dataIndex: 'createdAt', render: (value: string) => formatInstant(value, language) },
            { title: t('admin.log.event'), dataIndex: 'eventType', render: (type: string) => t(dynamicKey('admin.domainEvent', type)) },
            { title: t('admin.log.title'), dataIndex: 'title' },
            { title: t('admin.log.channel'), dataIndex: 'channelId', render: channelName },
            { title: t('admin.log.recipient'), dataIndex: 'address', render: (address: string) => address || t('admin.log.group') },
            {
              title: t('admin.log.status'),
              dataIndex: 'status',
              render: (status: string, message) => (
                <Space orientation="vertical" size={2}>
                  <Tag color={STATUS_COLOUR[status] ?? 'default'}>{t(dynamicKey('admin.log.status', status))}</Tag>
                  {message.lastError && <Typography.Text type="danger">{message.lastError}</Typography.Text>}
                </Space>
              ),
            },
            { title: t('admin.attempts'), dataIndex: 'attempts' },
            { title: t('admin.log.sentAt'), dataIndex: 'sentAt', render: (value: string | null) => formatInstant(value, language) },
            {
              title: t('app.actions'),
              key: 'actions',
              render: (_: unknown, message) => (
                <Button size="small" onClick={() => again(message)}>
                  {t('admin.redeliver')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <Space style={{ marginTop: 16 }}>
        {trail.length > 0 && <Button onClick={() => setTrail(trail.slice(0, -1))}>{t('admin.log.newer')}</Button>}
        {items.length === 50 && <Button onClick={() => setTrail([...trail, items[items.length - 1].id])}>{t('admin.log.older')}</Button>}
      </Space>
    </section>
  );
}

/** One message's attempts: the vendor's status and code, what it said, and how long it took. */
function AttemptLog({ notificationId }: { notificationId: string }) {
  const { t, language } = useI18n();
  const message = useNotification(notificationId);
  if (message.error) return <ErrorNotice error={message.error} />;
  return (
    <Table<NotificationAttempt>
      rowKey="id"
      size="small"
      loading={message.isPending}
      dataSource={message.data?.log ?? []}
      pagination={false}
      locale={{ emptyText: t('admin.noAttempts') }}
      columns={[
        { title: t('admin.attemptedAt'), dataIndex: 'attemptedAt', render: (value: string) => formatInstant(value, language) },
        {
          title: t('admin.outcome'),
          dataIndex: 'delivered',
          render: (delivered: boolean) => (delivered ? <Tag color="green">{t('admin.succeeded')}</Tag> : <Tag color="red">{t('admin.failed')}</Tag>),
        },
        { title: t('admin.statusCode'), dataIndex: 'statusCode', render: (value: number | null) => value ?? '—' },
        { title: t('admin.vendorCode'), dataIndex: 'vendorCode', render: (value: string | null) => value ?? '—' },
        { title: t('admin.detail'), dataIndex: 'detail' },
        { title: t('admin.duration'), dataIndex: 'durationMs', render: (value: number) => t('admin.ms', { ms: value }) },
      ]}
    />
  );
}
