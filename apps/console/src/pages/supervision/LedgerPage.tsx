import { Button, DatePicker, Empty, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useSearchParams } from 'react-router';
import type { LedgerOutcome, LedgerRow } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TRAFFIC_LIGHTS, TrafficLight } from '../../components/TrafficLight';
import { formatInstant } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { useDepartments } from '../problems/problem-queries';
import { exportHref, LEDGER_FILTER_KEYS, type LedgerFilters, useLedger } from './supervision-queries';

const STATES = ['found', 'assigned', 'rectifying', 'verified', 'closed', 'cancelled'];
const SEVERITIES = ['critical', 'major', 'general', 'minor'];
const DATE = 'YYYY-MM-DD';

const OUTCOMES: Record<LedgerOutcome, MessageKey> = {
  'on time': 'supervision.outcome.onTime',
  'on time after extension': 'supervision.outcome.onTimeAfterExtension',
  late: 'supervision.outcome.late',
  'open and overdue': 'supervision.outcome.openOverdue',
  open: 'supervision.outcome.open',
  cancelled: 'supervision.outcome.cancelled',
};

type FormValues = Omit<LedgerFilters, 'from' | 'to'> & { from?: Dayjs | null; to?: Dayjs | null };

/**
 * The rectification ledger (台账): one row per problem in my scope. Its filters and page cursor live in the URL;
 * the exports take the same filters and hold every row, downloaded by the browser itself.
 */
export default function LedgerPage() {
  const { t, language } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(LEDGER_FILTER_KEYS.map((key) => [key, params.get(key) ?? undefined])) as LedgerFilters;
  const cursor = params.get('cursor') ?? undefined;
  const ledger = useLedger(filters, cursor);
  const departments = useDepartments();

  function apply(values: FormValues) {
    const next = new URLSearchParams();
    for (const key of LEDGER_FILTER_KEYS) {
      const value = values[key];
      const text = dayjs.isDayjs(value) ? value.format(DATE) : value;
      if (text) next.set(key, text);
    }
    setParams(next);
  }

  const initialValues: FormValues = {
    ...filters,
    from: filters.from ? dayjs(filters.from, DATE) : undefined,
    to: filters.to ? dayjs(filters.to, DATE) : undefined,
  };

  return (
    <section>
      <Typography.Title level={2}>{t('nav.ledger')}</Typography.Title>
      <Form<FormValues> layout="inline" initialValues={initialValues} onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }} key={params.toString()}>
        <Form.Item name="text" label={t('app.search')}>
          <Input placeholder={t('problem.filter.text')} allowClear />
        </Form.Item>
        <Form.Item name="state" label={t('problem.state')}>
          <Select allowClear style={{ width: 120 }} options={STATES.map((value) => ({ value, label: t(dynamicKey('state', value)) }))} />
        </Form.Item>
        <Form.Item name="light" label={t('light')}>
          <Select allowClear style={{ width: 100 }} options={TRAFFIC_LIGHTS.map((value) => ({ value, label: t(dynamicKey('light', value)) }))} />
        </Form.Item>
        <Form.Item name="severity" label={t('problem.severity')}>
          <Select allowClear style={{ width: 110 }} options={SEVERITIES.map((value) => ({ value, label: t(dynamicKey('severity', value)) }))} />
        </Form.Item>
        <Form.Item name="department" label={t('problem.department')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 160 }}
            options={(departments.data ?? []).map((department) => ({ value: department.id, label: department.name }))}
          />
        </Form.Item>
        <Form.Item name="inspection" label={t('problem.inspectionRef')}>
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="from" label={t('supervision.ledger.from')}>
          <DatePicker format={DATE} />
        </Form.Item>
        <Form.Item name="to" label={t('supervision.ledger.to')}>
          <DatePicker format={DATE} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('app.search')}
          </Button>
          <Button onClick={() => setParams(new URLSearchParams())}>{t('app.reset')}</Button>
        </Space>
      </Form>

      <Space wrap style={{ marginBottom: 16 }} role="group" aria-label={t('supervision.ledger.downloads')}>
        <Button href={exportHref('ledger', 'csv', filters, language)}>{t('supervision.ledger.csv')}</Button>
        <Button href={exportHref('ledger', 'xlsx', filters, language)}>{t('supervision.ledger.xlsx')}</Button>
        <Button href={exportHref('summary', 'csv', filters, language)}>{t('supervision.ledger.summaryCsv')}</Button>
        <Button href={exportHref('summary', 'xlsx', filters, language)}>{t('supervision.ledger.summaryXlsx')}</Button>
      </Space>

      {ledger.error ? (
        <ErrorNotice error={ledger.error} />
      ) : (
        <Table<LedgerRow>
          rowKey="id"
          size="small"
          loading={ledger.isPending}
          dataSource={ledger.data?.items ?? []}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty description={t('supervision.ledger.empty')} /> }}
          columns={[
            { title: t('problem.inspectionRef'), dataIndex: 'inspection' },
            { title: t('problem.title'), dataIndex: 'title', render: (title: string, row) => <Link to={`/problems/${row.id}`}>{title}</Link> },
            { title: t('problem.severity'), dataIndex: 'severity', render: (value: string) => t(dynamicKey('severity', value)) },
            { title: t('problem.department'), dataIndex: 'department', render: (name: string | null) => name ?? '—' },
            { title: t('supervision.ledger.responsiblePerson'), dataIndex: 'responsiblePerson', render: (name: string | null) => name ?? '—' },
            { title: t('supervision.ledger.foundAt'), dataIndex: 'foundAt', render: (at: string) => formatInstant(at, language) },
            { title: t('problem.deadline'), dataIndex: 'deadline', render: (at: string | null) => formatInstant(at, language) },
            { title: t('supervision.ledger.extensions'), dataIndex: 'extensions', align: 'right' },
            { title: t('problem.state'), dataIndex: 'state', render: (value: string) => t(dynamicKey('state', value)) },
            { title: t('light'), dataIndex: 'light', render: (value: string | null) => <TrafficLight light={value} /> },
            { title: t('supervision.ledger.daysOverdue'), dataIndex: 'daysOverdue', align: 'right', render: (days: number | null) => days ?? '—' },
            { title: t('supervision.ledger.closedAt'), dataIndex: 'closedAt', render: (at: string | null) => formatInstant(at, language) },
            {
              title: t('supervision.ledger.outcome'),
              dataIndex: 'outcome',
              // The ledger's outcome in words; an open and overdue row is also marked red.
              render: (outcome: LedgerOutcome) => {
                const words = t(OUTCOMES[outcome] ?? dynamicKey('supervision.outcome', outcome));
                return outcome === 'open and overdue' ? <Tag color="red">● {words}</Tag> : words;
              },
            },
          ]}
        />
      )}
      <Space style={{ marginTop: 16 }}>
        {cursor && <Button onClick={() => setParams((current) => (current.delete('cursor'), current))}>{t('supervision.ledger.firstPage')}</Button>}
        {ledger.data?.nextCursor && (
          <Button onClick={() => setParams((current) => (current.set('cursor', ledger.data!.nextCursor!), current))}>{t('supervision.ledger.nextPage')}</Button>
        )}
      </Space>
    </section>
  );
}
