import { Card, Col, Empty, Row, Statistic, Table, Typography } from 'antd';
import { Link } from 'react-router';
import type { LedgerSummaryGroup, ProblemView } from '../../api/views';
import { DeadlineLight } from '../../components/DeadlineLight';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TRAFFIC_LIGHTS, TrafficLight } from '../../components/TrafficLight';
import { formatInstant, formatRate } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { OVERVIEW_LIST_SIZE, useDepartmentNames, useLedgerSummary, usePendingRequests, useProblemCounts, useProblemsInDeadlineState } from './supervision-queries';

const STATES = ['found', 'assigned', 'rectifying', 'verified', 'closed', 'cancelled'] as const;

const CARD_SPAN = { xs: 12, sm: 8, md: 6, xl: 3 } as const;
const DEADLINE_CARD_SPAN = { xs: 12, md: 8, xl: 4 } as const;

/**
 * The supervising office's overview (督办总览): counts per state, the deadline picture, the overdue and escalated
 * problems (earliest deadline first) and each department's figures. The counts and lists are asked at once; the
 * ledger summary, which walks every problem in scope (seconds at 100,000, `npm run bench`), once they are answered,
 * so they do not queue behind it on the server: its cards and the department table fill in after.
 */
export default function OverviewPage() {
  const { t } = useI18n();
  const counts = useProblemCounts();
  const overdue = useProblemsInDeadlineState('overdue', OVERVIEW_LIST_SIZE);
  const escalated = useProblemsInDeadlineState('escalated', OVERVIEW_LIST_SIZE);
  const pending = usePendingRequests(OVERVIEW_LIST_SIZE);
  const summary = useLedgerSummary({}, { enabled: !counts.isPending && !overdue.isPending && !escalated.isPending });

  // A list that has another page holds at least OVERVIEW_LIST_SIZE problems: say "20+", not a wrong exact number.
  const listed = (page: typeof overdue) =>
    page.data ? (page.data.nextCursor ? t('supervision.overview.atLeast', { count: page.data.items.length }) : page.data.items.length) : undefined;
  const rate = summary.data?.all.onTimeRate;

  return (
    <section>
      <Typography.Title level={2}>{t('nav.overview')}</Typography.Title>

      <Typography.Title level={3}>{t('supervision.overview.byState')}</Typography.Title>
      {counts.error ? (
        <ErrorNotice error={counts.error} />
      ) : (
        <Row gutter={[16, 16]} style={{ marginBottom: 24 }}>
          <Col {...CARD_SPAN}>
            <Card loading={counts.isPending}>
              <Statistic title={<Link to="/problems">{t('supervision.overview.total')}</Link>} value={counts.data?.total} />
            </Card>
          </Col>
          {STATES.map((state) => (
            <Col key={state} {...CARD_SPAN}>
              <Card loading={counts.isPending}>
                <Statistic title={<Link to={`/problems?state=${state}`}>{t(dynamicKey('state', state))}</Link>} value={counts.data?.byState[state]} />
              </Card>
            </Col>
          ))}
        </Row>
      )}

      <Typography.Title level={3}>{t('supervision.overview.byLight')}</Typography.Title>
      {!counts.error && (
        <Row gutter={[16, 16]} style={{ marginBottom: 24 }}>
          {TRAFFIC_LIGHTS.map((light) => (
            <Col key={light} {...DEADLINE_CARD_SPAN}>
              <Card loading={counts.isPending}>
                <Statistic
                  title={
                    <Link to={`/problems?light=${light}&sort=deadline`} aria-label={t(dynamicKey('light', light))}>
                      <TrafficLight light={light} />
                    </Link>
                  }
                  value={counts.data?.byLight[light]}
                />
              </Card>
            </Col>
          ))}
        </Row>
      )}

      <Typography.Title level={3}>{t('supervision.overview.byDeadline')}</Typography.Title>
      <Row gutter={[16, 16]} style={{ marginBottom: 24 }}>
        <Col {...DEADLINE_CARD_SPAN}>
          <Card loading={overdue.isPending}>
            <Statistic title={<Link to="/problems?deadlineState=overdue&sort=deadline">{t('deadline.overdue')}</Link>} value={listed(overdue)} />
          </Card>
        </Col>
        <Col {...DEADLINE_CARD_SPAN}>
          <Card loading={escalated.isPending}>
            <Statistic title={<Link to="/problems?deadlineState=escalated&sort=deadline">{t('deadline.escalated')}</Link>} value={listed(escalated)} />
          </Card>
        </Col>
        <Col {...DEADLINE_CARD_SPAN}>
          <Card loading={summary.isPending}>
            <Statistic title={t('supervision.overview.openOverdue')} value={summary.data?.all.overdue} />
          </Card>
        </Col>
        <Col {...DEADLINE_CARD_SPAN}>
          <Card loading={pending.isPending}>
            <Statistic title={<Link to="/problems?pendingRequest=any">{t('supervision.overview.pendingRequests')}</Link>} value={listed(pending)} />
          </Card>
        </Col>
        <Col {...DEADLINE_CARD_SPAN}>
          <Card loading={summary.isPending}>
            <Statistic title={t('supervision.overview.onTimeRate')} value={percent(rate)} />
            <Typography.Text type="secondary">{t('supervision.overview.onTimeRateHint')}</Typography.Text>
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]} style={{ marginBottom: 24 }}>
        <Col xs={24} lg={12}>
          <DeadlineList titleKey="supervision.overview.overdueList" page={overdue} />
        </Col>
        <Col xs={24} lg={12}>
          <DeadlineList titleKey="supervision.overview.escalatedList" page={escalated} />
        </Col>
      </Row>

      <Typography.Title level={3}>{t('supervision.overview.byDepartment')}</Typography.Title>
      {summary.error ? <ErrorNotice error={summary.error} /> : <DepartmentTable loading={summary.isPending} groups={summary.data?.byDepartment ?? []} />}
    </section>
  );
}

function percent(rate: number | null | undefined): string | undefined {
  return rate === undefined ? undefined : formatRate(rate);
}

function DeadlineList({ titleKey, page }: { titleKey: 'supervision.overview.overdueList' | 'supervision.overview.escalatedList'; page: ReturnType<typeof useProblemsInDeadlineState> }) {
  const { t, language } = useI18n();
  const departmentName = useDepartmentNames();
  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t(titleKey)}</Typography.Title>}>
      {page.error ? (
        <ErrorNotice error={page.error} />
      ) : (
        <>
          <Table<ProblemView>
            rowKey="id"
            size="small"
            loading={page.isPending}
            dataSource={page.data?.items ?? []}
            pagination={false}
            scroll={{ x: true }}
            locale={{ emptyText: <Empty description={t('supervision.overview.listEmpty')} /> }}
            columns={[
              { title: t('problem.title'), dataIndex: 'title', render: (title: string, row) => <Link to={`/problems/${row.id}`}>{title}</Link> },
              { title: t('problem.department'), dataIndex: 'departmentId', render: departmentName },
              { title: t('problem.deadline'), dataIndex: 'deadline', render: (value: string | null) => formatInstant(value, language) },
              { title: t('problem.deadlineState'), dataIndex: 'deadlineState', render: (value: string) => <DeadlineLight state={value} /> },
              { title: t('problem.severity'), dataIndex: 'severity', render: (value: string) => t(dynamicKey('severity', value)) },
            ]}
          />
          {page.data?.nextCursor && <Typography.Text type="secondary">{t('supervision.overview.more', { count: page.data.items.length })}</Typography.Text>}
        </>
      )}
    </Card>
  );
}

function DepartmentTable({ loading, groups }: { loading: boolean; groups: LedgerSummaryGroup[] }) {
  const { t } = useI18n();
  return (
    <Table<LedgerSummaryGroup>
      rowKey={(group) => group.key ?? 'unassigned'}
      loading={loading}
      dataSource={groups}
      pagination={false}
      scroll={{ x: true }}
      locale={{ emptyText: <Empty description={t('supervision.overview.departmentEmpty')} /> }}
      columns={[
        {
          title: t('problem.department'),
          dataIndex: 'name',
          render: (name: string, group) =>
            group.key === null ? t('supervision.overview.unassigned') : <Link to={`/problems?department=${encodeURIComponent(group.key)}`}>{name}</Link>,
        },
        { title: t('supervision.count.total'), dataIndex: 'total', align: 'right' },
        { title: t('supervision.count.open'), dataIndex: 'open', align: 'right' },
        { title: t('supervision.count.overdue'), dataIndex: 'overdue', align: 'right' },
        {
          title: t('supervision.count.closed'),
          dataIndex: 'closed',
          align: 'right',
          render: (closed: number, group) =>
            group.key === null || closed === 0 ? closed : <Link to={`/problems?department=${encodeURIComponent(group.key)}&state=closed`}>{closed}</Link>,
        },
        { title: t('supervision.count.onTimeRate'), dataIndex: 'onTimeRate', align: 'right', render: (rate: number | null) => percent(rate) },
        {
          title: t('supervision.count.averageDays'),
          dataIndex: 'averageWorkingDaysToClose',
          align: 'right',
          render: (days: number | null) => (days === null ? '—' : days.toFixed(1)),
        },
      ]}
    />
  );
}
