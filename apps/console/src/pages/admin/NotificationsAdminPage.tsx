import { Alert, Button, Descriptions, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { ChannelTestResult, DepartmentNode, NotificationChannel } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { useChannelChanges, useChannels, useDepartmentTree } from './admin-queries';
import { ChannelForm } from './ChannelForm';
import { NotificationLog } from './NotificationLog';
import { RoutingEditor } from './RoutingEditor';

function flatten(nodes: DepartmentNode[]): DepartmentNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

/** Messages that reach people: the channels they go through, who is told of what, and what went out. */
export default function NotificationsAdminPage() {
  const { t } = useI18n();
  const channels = useChannels();
  return (
    <section>
      <Typography.Title level={2}>{t('admin.notifications.title')}</Typography.Title>
      <Tabs
        items={[
          { key: 'channels', label: t('admin.notifications.channels'), children: <Channels /> },
          { key: 'routing', label: t('admin.notifications.routing'), children: <RoutingEditor /> },
          { key: 'log', label: t('admin.notifications.log'), children: <NotificationLog channels={channels.data ?? []} /> },
        ]}
      />
    </section>
  );
}

function Channels() {
  const { t, language } = useI18n();
  const channels = useChannels();
  const tree = useDepartmentTree();
  const changes = useChannelChanges();
  const departments = useMemo(() => flatten(tree.data ?? []), [tree.data]);
  const departmentName = (id: string | null) => (id === null ? t('admin.channels.organisationWide') : (departments.find((d) => d.id === id)?.name ?? id));
  const [creating, setCreating] = useState(false);
  const [tested, setTested] = useState<{ channel: NotificationChannel; answer: ChannelTestResult } | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function act(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    }
  }

  const test = (channel: NotificationChannel) =>
    act(async () => {
      setTesting(channel.id);
      try {
        setTested({ channel, answer: await changes.test.mutateAsync(channel.id) });
      } finally {
        setTesting(null);
      }
    });

  const state = (channel: NotificationChannel) => (
    <Space wrap size={4}>
      {channel.active ? <Tag color="green">{t('admin.enabled')}</Tag> : <Tag color="red">{t('admin.disabled')}</Tag>}
      {channel.pausedUntil && Date.parse(channel.pausedUntil) > Date.now() && (
        <Tag color="orange">{t('admin.channels.pausedUntil', { until: formatInstant(channel.pausedUntil, language) })}</Tag>
      )}
    </Space>
  );

  return (
    <section>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('admin.channels.create')}
        </Button>
      </Space>
      {error !== null && (
        <div style={{ marginBottom: 16 }}>
          <ErrorNotice error={error} />
        </div>
      )}
      {channels.error ? (
        <ErrorNotice error={channels.error} />
      ) : (
        <Table<NotificationChannel>
          rowKey="id"
          loading={channels.isPending}
          dataSource={channels.data ?? []}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: t('admin.channels.name'), dataIndex: 'name' },
            { title: t('admin.channels.kind'), dataIndex: 'kind', render: (kind: string) => t(dynamicKey('admin.channels.kind', kind)) },
            { title: t('admin.channels.target'), dataIndex: 'target', render: (target: string) => <Typography.Text code>{target}</Typography.Text> },
            { title: t('admin.channels.department'), dataIndex: 'departmentId', render: departmentName },
            { title: t('admin.channels.dailyDigest'), dataIndex: 'dailyDigest', render: (value: boolean) => (value ? t('admin.yes') : t('admin.no')) },
            { title: t('admin.state'), key: 'state', render: (_: unknown, channel) => state(channel) },
            {
              title: t('app.actions'),
              key: 'actions',
              render: (_: unknown, channel) => (
                <Space wrap size="small">
                  <Button size="small" loading={testing === channel.id} onClick={() => test(channel)}>
                    {t('admin.channels.test')}
                  </Button>
                  <Button size="small" danger={channel.active} onClick={() => act(() => changes.update.mutateAsync({ channelId: channel.id, active: !channel.active }))}>
                    {channel.active ? t('admin.disable') : t('admin.enable')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      )}
      {creating && <ChannelForm departments={departments.filter((d) => d.active)} onClose={() => setCreating(false)} />}
      <Modal
        open={tested !== null}
        title={tested ? t('admin.channels.testOf', { name: tested.channel.name }) : ''}
        onCancel={() => setTested(null)}
        footer={<Button onClick={() => setTested(null)}>{t('admin.done')}</Button>}
      >
        {tested && <TestAnswer answer={tested.answer} />}
      </Modal>
    </section>
  );
}

/** What the vendor answered, in its own words (its code says what to fix: a wrong key, a bad 加签 signature…). */
function TestAnswer({ answer }: { answer: ChannelTestResult }) {
  const { t } = useI18n();
  const { result } = answer;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type={result.delivered ? 'success' : 'error'} showIcon title={result.delivered ? t('admin.channels.testDelivered') : t('admin.channels.testFailed')} />
      <Descriptions size="small" bordered column={1}>
        <Descriptions.Item label={t('admin.statusCode')}>{result.statusCode ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('admin.vendorCode')}>{result.vendorCode ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('admin.detail')}>{result.detail}</Descriptions.Item>
        <Descriptions.Item label={t('admin.duration')}>{t('admin.ms', { ms: result.durationMs })}</Descriptions.Item>
        {result.rateLimited && <Descriptions.Item label={t('admin.channels.rateLimited')}>{t('admin.yes')}</Descriptions.Item>}
      </Descriptions>
    </Space>
  );
}
