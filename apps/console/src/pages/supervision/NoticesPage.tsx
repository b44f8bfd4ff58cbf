import { App, Button, Empty, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { SupervisionNotice } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { useAcknowledgeNotice, useDepartmentNames, useNotices } from './supervision-queries';

/**
 * The supervision notices inbox (督办单): escalations and overdue verifications addressed to me or my
 * department, the unacknowledged first. Acknowledging (签收) records who and when; the problem page is where the
 * work happens.
 */
export default function NoticesPage() {
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const notices = useNotices();
  const acknowledge = useAcknowledgeNotice();
  const departmentName = useDepartmentNames();

  // The server sends them unacknowledged first; kept so after an acknowledgement until the list is read again.
  const items = [...(notices.data ?? [])].sort((a, b) => Number(a.acknowledgedAt !== null) - Number(b.acknowledgedAt !== null));
  const waiting = items.filter((notice) => notice.acknowledgedAt === null).length;

  return (
    <section>
      <Space align="baseline" wrap>
        <Typography.Title level={2}>{t('nav.notices')}</Typography.Title>
        {notices.data && <Typography.Text>{t('supervision.notices.unacknowledgedCount', { count: waiting })}</Typography.Text>}
      </Space>
      {acknowledge.error && <ErrorNotice error={acknowledge.error} />}
      {notices.error ? (
        <ErrorNotice error={notices.error} />
      ) : (
        <Table<SupervisionNotice>
          rowKey="id"
          loading={notices.isPending}
          dataSource={items}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty description={t('supervision.notices.empty')} /> }}
          columns={[
            {
              title: t('supervision.notices.status'),
              dataIndex: 'acknowledgedAt',
              render: (at: string | null) =>
                at === null ? (
                  <Tag color="red">● {t('supervision.notices.unacknowledged')}</Tag>
                ) : (
                  <Tag>{t('supervision.notices.acknowledgedAt', { at: formatInstant(at, language) })}</Tag>
                ),
            },
            { title: t('supervision.notices.kind'), dataIndex: 'kind', render: (kind: string) => t(dynamicKey('supervision.notices.kind', kind)) },
            { title: t('supervision.notices.level'), dataIndex: 'level', render: (level: number) => t(dynamicKey('supervision.notices.level', String(level))) },
            {
              title: t('supervision.notices.problem'),
              dataIndex: 'problemTitle',
              render: (title: string, notice) => <Link to={`/problems/${notice.problemId}`}>{title}</Link>,
            },
            { title: t('supervision.notices.recipient'), dataIndex: 'recipientDepartmentId', render: departmentName },
            { title: t('supervision.notices.issuedAt'), dataIndex: 'createdAt', render: (at: string) => formatInstant(at, language) },
            {
              title: t('app.actions'),
              key: 'actions',
              render: (_: unknown, notice) =>
                notice.acknowledgedAt === null && (
                  <Button
                    type="primary"
                    loading={acknowledge.isPending && acknowledge.variables === notice.id}
                    onClick={() => acknowledge.mutate(notice.id, { onSuccess: () => void message.success(t('supervision.notices.acknowledged')) })}
                  >
                    {t('supervision.notices.acknowledge')}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </section>
  );
}
