import { Button, Empty, Segmented, Space, Table, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import type { ProblemView } from '../../api/views';
import { DeadlineLight } from '../../components/DeadlineLight';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { INBOX_FILTERS, type InboxFilter, inboxView, useInbox } from './inbox-queries';

/**
 * The department's inbox (待整改): its problems, earliest deadline first, each with its light. The tab and the
 * page cursor live in the URL, so a view can be bookmarked; changing the tab starts again at the first page.
 */
export default function InboxPage() {
  const { t, language } = useI18n();
  const [params, setParams] = useSearchParams();
  const { filter, cursor } = inboxView(params);
  const inbox = useInbox(filter, cursor);

  function show(next: InboxFilter) {
    setParams(next === 'all' ? new URLSearchParams() : new URLSearchParams({ deadline: next }));
  }

  function page(nextCursor: string | null) {
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (nextCursor) next.set('cursor', nextCursor);
      else next.delete('cursor');
      return next;
    });
  }

  return (
    <section>
      <Typography.Title level={2}>{t('department.inbox.title')}</Typography.Title>
      <Segmented<InboxFilter>
        aria-label={t('department.inbox.filter')}
        value={filter}
        onChange={show}
        options={INBOX_FILTERS.map((value) => ({ value, label: t(dynamicKey('department.inbox.filter', value)) }))}
        style={{ marginBottom: 16, maxWidth: '100%', overflowX: 'auto' }}
      />
      {inbox.error ? (
        <ErrorNotice error={inbox.error} />
      ) : (
        <Table<ProblemView>
          rowKey="id"
          loading={inbox.isPending}
          dataSource={inbox.data?.items ?? []}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty description={t(dynamicKey('department.inbox.empty', filter))} /> }}
          columns={[
            { title: t('department.inbox.deadlineState'), dataIndex: 'deadlineState', render: (value: string) => <DeadlineLight state={value} /> },
            { title: t('problem.severity'), dataIndex: 'severity', render: (value: string) => t(dynamicKey('severity', value)) },
            { title: t('problem.title'), dataIndex: 'title', render: (title: string, row) => <Link to={`/problems/${row.id}`}>{title}</Link> },
            { title: t('problem.deadline'), dataIndex: 'deadline', render: (value: string | null) => formatInstant(value, language) },
            { title: t('problem.state'), dataIndex: 'state', render: (value: string) => t(dynamicKey('state', value)) },
          ]}
        />
      )}
      <Space style={{ marginTop: 16 }}>
        {cursor && <Button onClick={() => page(null)}>{t('department.inbox.firstPage')}</Button>}
        {inbox.data?.nextCursor && <Button onClick={() => page(inbox.data.nextCursor)}>{t('department.inbox.nextPage')}</Button>}
      </Space>
    </section>
  );
}
