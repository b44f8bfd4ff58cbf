import { Button, Empty, Form, Input, Select, Space, Table, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import type { ProblemView } from '../../api/views';
import { DeadlineLight } from '../../components/DeadlineLight';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TRAFFIC_LIGHTS, TrafficLight } from '../../components/TrafficLight';
import { formatInstant } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { type ProblemFilters, useDepartments, useProblemList } from './problem-queries';

const STATES = ['found', 'assigned', 'rectifying', 'verified', 'closed', 'cancelled'];
const SEVERITIES = ['critical', 'major', 'general', 'minor'];
const FILTER_KEYS = ['state', 'light', 'deadlineState', 'pendingRequest', 'department', 'severity', 'inspection', 'text', 'sort'] as const;
const PENDING_REQUESTS = ['any', 'extension', 'suspension'];
const DEADLINE_STATES = ['onTrack', 'dueSoon', 'overdue', 'escalated', 'verifying', 'verificationOverdue', 'suspended', 'notSet'];

/** Problems in the caller's scope: filters and the page cursor live in the URL, paging is the server's. */
export default function ProblemListPage() {
  const { t, language } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries([...FILTER_KEYS, 'cursor'].map((key) => [key, params.get(key) ?? undefined])) as ProblemFilters;
  const list = useProblemList(filters);
  const departments = useDepartments();
  const departmentName = (id: string | null) => departments.data?.find((department) => department.id === id)?.name ?? '—';

  function apply(values: Record<string, string | undefined>) {
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) if (values[key]) next.set(key, values[key]!);
    setParams(next);
  }

  return (
    <section>
      <Typography.Title level={2}>{t('nav.problems')}</Typography.Title>
      <Form layout="inline" initialValues={filters} onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }} key={params.toString()}>
        <Form.Item name="text" label={t('app.search')}>
          <Input placeholder={t('problem.filter.text')} allowClear />
        </Form.Item>
        <Form.Item name="state" label={t('problem.state')}>
          <Select allowClear style={{ width: 120 }} options={STATES.map((value) => ({ value, label: t(dynamicKey('state', value)) }))} />
        </Form.Item>
        <Form.Item name="light" label={t('light')}>
          <Select allowClear style={{ width: 100 }} options={TRAFFIC_LIGHTS.map((value) => ({ value, label: t(dynamicKey('light', value)) }))} />
        </Form.Item>
        <Form.Item name="deadlineState" label={t('problem.deadlineState')}>
          <Select allowClear style={{ width: 130 }} options={DEADLINE_STATES.map((value) => ({ value, label: t(dynamicKey('deadline', value)) }))} />
        </Form.Item>
        <Form.Item name="pendingRequest" label={t('problem.pendingRequest')}>
          <Select allowClear style={{ width: 150 }} options={PENDING_REQUESTS.map((value) => ({ value, label: t(dynamicKey('problem.pendingRequest', value)) }))} />
        </Form.Item>
        <Form.Item name="severity" label={t('problem.severity')}>
          <Select allowClear style={{ width: 110 }} options={SEVERITIES.map((value) => ({ value, label: t(dynamicKey('severity', value)) }))} />
        </Form.Item>
        <Form.Item name="department" label={t('problem.department')}>
          <Select allowClear style={{ width: 160 }} options={(departments.data ?? []).map((department) => ({ value: department.id, label: department.name }))} />
        </Form.Item>
        <Form.Item name="inspection" label={t('problem.inspectionRef')}>
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="sort" label={t('problem.sort')}>
          <Select
            allowClear
            style={{ width: 130 }}
            options={[
              { value: 'newest', label: t('problem.sort.newest') },
              { value: 'deadline', label: t('problem.sort.deadline') },
            ]}
          />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('app.search')}
          </Button>
          <Button onClick={() => setParams(new URLSearchParams())}>{t('app.reset')}</Button>
        </Space>
      </Form>
      {list.error ? (
        <ErrorNotice error={list.error} />
      ) : (
        <Table<ProblemView>
          rowKey="id"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty description={t('problem.list.empty')} /> }}
          columns={[
            { title: t('problem.title'), dataIndex: 'title', render: (title: string, row) => <Link to={`/problems/${row.id}`}>{title}</Link> },
            { title: t('problem.severity'), dataIndex: 'severity', render: (value: string) => t(dynamicKey('severity', value)) },
            { title: t('problem.state'), dataIndex: 'state', render: (value: string) => t(dynamicKey('state', value)) },
            { title: t('light'), dataIndex: 'light', render: (value: string | null) => <TrafficLight light={value} /> },
            { title: t('problem.deadlineState'), dataIndex: 'deadlineState', render: (value: string) => <DeadlineLight state={value} /> },
            { title: t('problem.deadline'), dataIndex: 'deadline', render: (value: string | null) => formatInstant(value, language) },
            { title: t('problem.department'), dataIndex: 'departmentId', render: departmentName },
            { title: t('problem.inspectionRef'), dataIndex: 'inspectionRef' },
          ]}
        />
      )}
      <Space style={{ marginTop: 16 }}>
        {filters.cursor && <Button onClick={() => setParams((current) => (current.delete('cursor'), current))}>↺</Button>}
        {list.data?.nextCursor && (
          <Button onClick={() => setParams((current) => (current.set('cursor', list.data!.nextCursor!), current))}>→</Button>
        )}
      </Space>
    </section>
  );
}
