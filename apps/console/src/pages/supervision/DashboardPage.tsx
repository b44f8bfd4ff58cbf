import { Card, Col, Empty, Form, Row, Select, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import type { EChartsCoreOption } from 'echarts/core';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { DashboardView, DepartmentLights, LadderStepCount, RankingList, RankingRow, TrendWeek } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatRate } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { DashboardChart } from './DashboardChart';
import { RankingListTag } from './RankingListTag';
import { DASHBOARD_WEEK_CHOICES, DEFAULT_DASHBOARD_WEEKS, problemsHref, useDashboard } from './dashboard-queries';
import { ledgerHref, useRanking } from './supervision-queries';

const LIGHTS = ['green', 'yellow', 'red', 'black'] as const;
const LIGHT_COLOURS: Record<(typeof LIGHTS)[number], string> = { green: '#52c41a', yellow: '#faad14', red: '#f5222d', black: '#262626' };
const DATE = 'YYYY-MM-DD';

/** The weeks asked for in the URL, when one the dashboard offers; else the default. */
function weeksOf(params: URLSearchParams): number {
  const weeks = Number(params.get('weeks'));
  return (DASHBOARD_WEEK_CHOICES as readonly number[]).includes(weeks) ? weeks : DEFAULT_DASHBOARD_WEEKS;
}

/**
 * The supervision dashboard (督办驾驶舱) for the supervising office and leadership: the traffic lights of each
 * responsible department, the open steps of the escalation ladder, found against closed per week, and this month's
 * ranking. Every number leads to the list behind it (the ledger or the problem list, with their own URL filters).
 */
export default function DashboardPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const weeks = weeksOf(params);
  const dashboard = useDashboard(weeks);

  return (
    <section>
      <Typography.Title level={2}>{t('nav.dashboard')}</Typography.Title>
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t('dashboard.weeks')} htmlFor="dashboard-weeks">
          <Select
            id="dashboard-weeks"
            value={weeks}
            style={{ width: 140 }}
            onChange={(value: number) => setParams(new URLSearchParams({ weeks: String(value) }))}
            options={DASHBOARD_WEEK_CHOICES.map((count) => ({ value: count, label: t('dashboard.weeksOption', { count }) }))}
          />
        </Form.Item>
      </Form>

      {dashboard.error ? (
        <ErrorNotice error={dashboard.error} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <LightsCard loading={dashboard.isPending} dashboard={dashboard.data} />
          </Col>
          <Col xs={24} xl={10}>
            <LadderCard loading={dashboard.isPending} ladder={dashboard.data?.ladder ?? []} />
          </Col>
          <Col xs={24}>
            <TrendCard loading={dashboard.isPending} dashboard={dashboard.data} weeks={weeks} />
          </Col>
        </Row>
      )}
      <div style={{ marginTop: 16 }}>
        <RankingCard />
      </div>
      {dashboard.data && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          {dashboard.data.definition}
        </Typography.Paragraph>
      )}
    </section>
  );
}

type LightsRow = DepartmentLights & { all?: true };

function LightsCard({ loading, dashboard }: { loading: boolean; dashboard: DashboardView | undefined }) {
  const { t } = useI18n();
  const rows: LightsRow[] = dashboard
    ? [...dashboard.lights.byDepartment, { departmentId: '', department: t('dashboard.lights.all'), lights: dashboard.lights.all, all: true }]
    : [];
  /** A count leading to the ledger rows lit so (every department's on the row of all). */
  const cell = (light: (typeof LIGHTS)[number] | 'total') => (_: unknown, row: LightsRow) => {
    const count = row.lights[light];
    const lights = light === 'total' ? LIGHTS.join(',') : light;
    const name = light === 'total' ? t('dashboard.lights.total') : t(dynamicKey('light', light));
    return (
      <Link
        to={ledgerHref({ department: row.all ? undefined : row.departmentId, light: lights })}
        aria-label={t('dashboard.lights.link', { department: row.department, light: name, count })}
      >
        {count}
      </Link>
    );
  };
  return (
    <Card title={t('dashboard.lights')}>
      <Table<LightsRow>
        rowKey={(row) => row.departmentId || 'all'}
        size="small"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty description={t('dashboard.lights.empty')} /> }}
        columns={[
          { title: t('problem.department'), dataIndex: 'department', render: (name: string, row) => (row.all ? <strong>{name}</strong> : name) },
          ...LIGHTS.map((light) => ({
            key: light,
            title: (
              <span>
                <span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: LIGHT_COLOURS[light], marginRight: 4 }} />
                {t(dynamicKey('light', light))}
              </span>
            ),
            align: 'right' as const,
            render: cell(light),
          })),
          { key: 'total', title: t('dashboard.lights.total'), align: 'right' as const, render: cell('total') },
        ]}
      />
    </Card>
  );
}

function LadderCard({ loading, ladder }: { loading: boolean; ladder: LadderStepCount[] }) {
  const { t } = useI18n();
  // The problem list filters by deadline state, not by step: each count leads to every escalated problem.
  const escalated = problemsHref({ deadlineState: 'escalated', sort: 'deadline' });
  return (
    <Card title={t('dashboard.ladder')}>
      <Table<LadderStepCount>
        rowKey="level"
        size="small"
        loading={loading}
        dataSource={ladder}
        pagination={false}
        columns={[
          {
            title: t('dashboard.ladder.step'),
            dataIndex: 'name',
            render: (name: string, step) => (
              <>
                {name} <Typography.Text type="secondary">{t('dashboard.ladder.level', { level: step.level })}</Typography.Text>
              </>
            ),
          },
          {
            title: t('dashboard.ladder.open'),
            dataIndex: 'open',
            align: 'right',
            render: (count: number, step) => (
              <Link to={escalated} aria-label={t('dashboard.ladder.link', { step: step.name, count })}>
                {count}
              </Link>
            ),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('dashboard.ladder.hint')}
      </Typography.Paragraph>
    </Card>
  );
}

/** The ledger of the problems found in the week, and of the closed ones found by its end (it filters found dates). */
const foundHref = (week: TrendWeek) => ledgerHref({ from: week.weekStart, to: week.weekEnd });
const closedHref = (week: TrendWeek) => ledgerHref({ state: 'closed', to: week.weekEnd });

function TrendCard({ loading, dashboard, weeks }: { loading: boolean; dashboard: DashboardView | undefined; weeks: number }) {
  const { t } = useI18n();
  const trend = useMemo(() => dashboard?.trend ?? [], [dashboard]);
  const weekName = (week: TrendWeek) => `${week.weekStart} – ${week.weekEnd}`;
  const found = t('dashboard.trend.found');
  const closed = t('dashboard.trend.closed');
  const option = useMemo<EChartsCoreOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [found, closed] },
      grid: { left: 40, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: trend.map((week) => dayjs(week.weekStart, DATE).format('MM-DD')) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: found, type: 'bar', data: trend.map((week) => week.found), itemStyle: { color: '#1677ff' } },
        { name: closed, type: 'line', data: trend.map((week) => week.closed), itemStyle: { color: '#52c41a' } },
      ],
    }),
    [trend, found, closed],
  );
  return (
    <Card title={t('dashboard.trend')}>
      {dashboard && trend.length > 0 && (
        <DashboardChart label={t('dashboard.trend.chart', { count: weeks })} option={option} links={[trend.map(foundHref), trend.map(closedHref)]} />
      )}
      <Table<TrendWeek>
        rowKey="weekStart"
        size="small"
        loading={loading}
        dataSource={[...trend].reverse()}
        pagination={false}
        scroll={{ y: 320 }}
        columns={[
          { title: t('dashboard.trend.week'), key: 'week', render: (_: unknown, week) => weekName(week) },
          {
            title: found,
            dataIndex: 'found',
            align: 'right',
            render: (count: number, week) => (
              <Link to={foundHref(week)} aria-label={t('dashboard.trend.foundLink', { week: weekName(week), count })}>
                {count}
              </Link>
            ),
          },
          {
            title: closed,
            dataIndex: 'closed',
            align: 'right',
            render: (count: number, week) => (
              <Link to={closedHref(week)} aria-label={t('dashboard.trend.closedLink', { week: weekName(week), count })}>
                {count}
              </Link>
            ),
          },
        ]}
      />
      {dashboard && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('dashboard.trend.hint', { zone: dashboard.timeZone, today: dashboard.today })}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

/** This month's ranking (GET /ledger/ranking, as the 部门排名 screen asks it), as a table and a chart. */
function RankingCard() {
  const { t } = useI18n();
  const period = { from: dayjs().startOf('month').format(DATE), to: dayjs().endOf('month').format(DATE) };
  const ranking = useRanking(period);
  const rows = useMemo(() => ranking.data?.departments ?? [], [ranking.data]);
  const rateName = t('supervision.ranking.rateOriginal');
  const option = useMemo<EChartsCoreOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value}%` },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: rows.map((row) => row.department), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: rateName,
          type: 'bar',
          data: rows.map((row) => ({
            value: row.onTimeRateOriginal === null ? null : Math.round(row.onTimeRateOriginal * 1000) / 10,
            itemStyle: { color: row.list === null ? '#8c8c8c' : row.list === 'red' ? '#f5222d' : row.list === 'yellow' ? '#faad14' : '#262626' },
          })),
        },
      ],
    }),
    [rows, rateName],
  );
  const figure = (figureKey: MessageKey, narrower: { state?: 'closed' } = {}) => (count: number, row: RankingRow) => (
    <Link
      to={ledgerHref({ department: row.departmentId, ...period, ...narrower })}
      aria-label={t('dashboard.ranking.link', { department: row.department, figure: t(figureKey), count })}
    >
      {count}
    </Link>
  );
  return (
    <Card
      title={t('dashboard.ranking')}
      extra={<Link to={`/ranking?from=${period.from}&to=${period.to}`}>{t('dashboard.ranking.more')}</Link>}
    >
      {ranking.error ? (
        <ErrorNotice error={ranking.error} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Table<RankingRow>
              rowKey="departmentId"
              size="small"
              loading={ranking.isPending}
              dataSource={rows}
              pagination={false}
              scroll={{ x: true }}
              locale={{ emptyText: <Empty description={t('supervision.ranking.empty')} /> }}
              columns={[
                { title: t('supervision.ranking.rank'), dataIndex: 'rank', align: 'right' },
                { title: t('problem.department'), dataIndex: 'department' },
                {
                  title: t('supervision.ranking.list'),
                  dataIndex: 'list',
                  render: (_: RankingList | null, row) => <RankingListTag row={row} />,
                },
                { title: rateName, dataIndex: 'onTimeRateOriginal', align: 'right', render: formatRate },
                { title: t('supervision.ranking.received'), dataIndex: 'received', align: 'right', render: figure('supervision.ranking.received') },
                { title: t('supervision.count.closed'), dataIndex: 'closed', align: 'right', render: figure('supervision.count.closed', { state: 'closed' }) },
                { title: t('supervision.count.overdue'), dataIndex: 'overdue', align: 'right', render: figure('supervision.count.overdue') },
              ]}
            />
          </Col>
          <Col xs={24} xl={12}>
            {rows.length > 0 && (
              <DashboardChart label={t('dashboard.ranking.chart')} option={option} links={[rows.map((row) => ledgerHref({ department: row.departmentId, ...period }))]} />
            )}
          </Col>
        </Row>
      )}
    </Card>
  );
}
