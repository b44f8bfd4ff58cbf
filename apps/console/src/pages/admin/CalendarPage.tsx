import { Alert, Button, Card, Col, DatePicker, Descriptions, Form, Input, Popconfirm, Radio, Row, Space, Table, Typography } from 'antd';
import type dayjs from 'dayjs';
import { type ChangeEvent, useState } from 'react';
import type { CalendarImport, CalendarYear } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { useCalendarChanges, useCalendarSummary, useCalendarYear, useHealth } from './admin-queries';
import { type DayKind, type GridDay, monthGrid } from './calendar-grid';
import { showOnFields } from './form-errors';

/** Each special day has a mark in text as well as a colour (colour is never the only signal). */
const MARKS: Record<DayKind, { mark: MessageKey | null; background: string; colour: string }> = {
  holiday: { mark: 'admin.calendar.mark.holiday', background: '#fff1f0', colour: '#a8071a' },
  makeUpWorkday: { mark: 'admin.calendar.mark.makeUpWorkday', background: '#e6f4ff', colour: '#003eb3' },
  closure: { mark: 'admin.calendar.mark.closure', background: '#fff7e6', colour: '#873800' },
  weekend: { mark: null, background: '#fafafa', colour: '#595959' },
  workday: { mark: null, background: 'transparent', colour: 'inherit' },
};
const KIND_LABEL: Record<DayKind, MessageKey> = {
  holiday: 'admin.calendar.holiday',
  makeUpWorkday: 'admin.calendar.makeUpWorkday',
  closure: 'admin.calendar.closure',
  weekend: 'admin.calendar.weekend',
  workday: 'admin.calendar.workday',
};
const WEEKDAYS: MessageKey[] = ['admin.calendar.mon', 'admin.calendar.tue', 'admin.calendar.wed', 'admin.calendar.thu', 'admin.calendar.fri', 'admin.calendar.sat', 'admin.calendar.sun'];

/** The organisation's working calendar: a year at a glance, its closures, and .ics imports. */
export default function CalendarPage() {
  const { t } = useI18n();
  const summary = useCalendarSummary();
  const health = useHealth();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const days = useCalendarYear(year);
  const warning = health.data?.calendar.coverageWarning;

  return (
    <section>
      <Typography.Title level={2}>{t('admin.calendar.title')}</Typography.Title>
      {warning && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('admin.calendar.coverageWarning', { endsOn: warning.endsOn })} description={warning.message} />}
      {summary.error ? (
        <ErrorNotice error={summary.error} />
      ) : (
        summary.data && (
          <Descriptions size="small" bordered column={{ xs: 1, md: 2, lg: 3 }} style={{ marginBottom: 24 }}>
            <Descriptions.Item label={t('admin.calendar.name')}>{summary.data.name}</Descriptions.Item>
            <Descriptions.Item label={t('admin.calendar.version')}>{summary.data.version}</Descriptions.Item>
            <Descriptions.Item label={t('admin.calendar.timeZone')}>{summary.data.timeZone}</Descriptions.Item>
            <Descriptions.Item label={t('admin.calendar.workingHours')}>
              {summary.data.workingHours.start}–{summary.data.workingHours.end}
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.calendar.coverage')}>
              {summary.data.holidayCoverage ? `${summary.data.holidayCoverage.from} – ${summary.data.holidayCoverage.to}` : t('app.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.calendar.source')}>{summary.data.source ?? '—'}</Descriptions.Item>
          </Descriptions>
        )
      )}

      <Space align="center" wrap style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('admin.calendar.year', { year })}
        </Typography.Title>
        <Button onClick={() => setYear(year - 1)}>{t('admin.calendar.previousYear')}</Button>
        <Button onClick={() => setYear(year + 1)}>{t('admin.calendar.nextYear')}</Button>
      </Space>
      <Legend />
      {days.error ? <ErrorNotice error={days.error} /> : days.data && <YearView days={days.data} />}

      <Row gutter={[24, 24]} style={{ marginTop: 24 }}>
        <Col xs={24} lg={12}>
          <Closures closures={summary.data?.closures ?? {}} />
        </Col>
        <Col xs={24} lg={12}>
          <IcsImport />
        </Col>
      </Row>
    </section>
  );
}

function Legend() {
  const { t } = useI18n();
  return (
    <ul aria-label={t('admin.calendar.legend')} style={{ display: 'flex', flexWrap: 'wrap', gap: 16, listStyle: 'none', padding: 0, margin: '0 0 16px' }}>
      {(['holiday', 'makeUpWorkday', 'closure'] as const).map((kind) => (
        <li key={kind}>
          <span style={{ background: MARKS[kind].background, color: MARKS[kind].colour, border: '1px solid #d9d9d9', padding: '0 6px', marginRight: 6 }}>
            {t(MARKS[kind].mark!)}
          </span>
          {t(KIND_LABEL[kind])}
        </li>
      ))}
    </ul>
  );
}

export function YearView({ days }: { days: CalendarYear }) {
  return (
    <Row gutter={[16, 16]}>
      {Array.from({ length: 12 }, (_, index) => (
        <Col key={index} xs={24} sm={12} md={8} xl={6}>
          <MonthTable days={days} month={index + 1} />
        </Col>
      ))}
    </Row>
  );
}

export function MonthTable({ days, month }: { days: CalendarYear; month: number }) {
  const { t } = useI18n();
  const weeks = monthGrid(days, month);
  const cell = (day: GridDay) => {
    const style = MARKS[day.kind];
    const label = `${day.date} ${t(KIND_LABEL[day.kind])}${day.note ? `: ${day.note}` : ''}`;
    return (
      <td key={day.date} title={label} aria-label={label} data-day-kind={day.kind} style={{ background: style.background, color: style.colour, textAlign: 'center', padding: 2 }}>
        <div>{day.day}</div>
        {style.mark && <div style={{ fontSize: 10, lineHeight: 1 }}>{t(style.mark)}</div>}
      </td>
    );
  };
  return (
    <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 12, tableLayout: 'fixed' }}>
      <caption style={{ textAlign: 'left', fontWeight: 600, paddingBottom: 4 }}>{t('admin.calendar.month', { year: days.year, month })}</caption>
      <thead>
        <tr>
          {WEEKDAYS.map((weekday) => (
            <th key={weekday} scope="col" style={{ fontWeight: 400, color: '#595959' }}>
              {t(weekday)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week, index) => (
          <tr key={index}>{week.map((day, column) => (day ? cell(day) : <td key={`empty-${column}`} />))}</tr>
        ))}
      </tbody>
    </table>
  );
}

function Closures({ closures }: { closures: Record<string, string> }) {
  const { t } = useI18n();
  const changes = useCalendarChanges();
  const [form] = Form.useForm<{ date: dayjs.Dayjs; reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const rows = Object.entries(closures)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, reason]) => ({ date, reason }));

  async function add(values: { date: dayjs.Dayjs; reason: string }) {
    setError(null);
    try {
      await changes.addClosure.mutateAsync({ date: values.date.format('YYYY-MM-DD'), reason: values.reason });
      form.resetFields();
    } catch (caught) {
      if (!showOnFields(form, caught)) setError(caught);
    }
  }

  async function remove(date: string) {
    setError(null);
    try {
      await changes.removeClosure.mutateAsync(date);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('admin.calendar.closures')}</Typography.Title>}>
      <Typography.Paragraph type="secondary">{t('admin.calendar.closuresIntro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={add}>
        <Form.Item name="date" label={t('admin.calendar.date')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label={t('admin.calendar.reason')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={changes.addClosure.isPending}>
          {t('admin.calendar.addClosure')}
        </Button>
      </Form>
      {error !== null && (
        <div style={{ marginTop: 16 }}>
          <ErrorNotice error={error} />
        </div>
      )}
      <Table
        style={{ marginTop: 16 }}
        rowKey="date"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t('admin.calendar.date'), dataIndex: 'date' },
          { title: t('admin.calendar.reason'), dataIndex: 'reason' },
          {
            title: t('app.actions'),
            key: 'actions',
            render: (_: unknown, row: { date: string }) => (
              <Popconfirm title={t('admin.calendar.removeConfirm', { date: row.date })} okText={t('admin.remove')} cancelText={t('app.cancel')} onConfirm={() => remove(row.date)}>
                <Button size="small" danger>
                  {t('admin.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}

interface ImportValues {
  ics: string;
  as: 'holiday' | 'closure';
  coverageUntil?: dayjs.Dayjs;
  recurUntil?: dayjs.Dayjs;
}

/** An iCalendar file (pasted or picked): all-day events become holidays or closures; coverageUntil extends the holiday coverage. */
function IcsImport() {
  const { t } = useI18n();
  const changes = useCalendarChanges();
  const [form] = Form.useForm<ImportValues>();
  const as = Form.useWatch('as', form);
  const [result, setResult] = useState<CalendarImport | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function pick(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) form.setFieldValue('ics', await file.text());
  }

  async function submit(values: ImportValues) {
    setError(null);
    setResult(null);
    try {
      setResult(
        await changes.importIcs.mutateAsync({
          ics: values.ics,
          as: values.as,
          ...(values.recurUntil ? { recurUntil: values.recurUntil.format('YYYY-MM-DD') } : {}),
          ...(values.as === 'holiday' && values.coverageUntil ? { coverageUntil: values.coverageUntil.format('YYYY-MM-DD') } : {}),
        }),
      );
    } catch (caught) {
      if (!showOnFields(form, caught)) setError(caught);
    }
  }

  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('admin.calendar.import')}</Typography.Title>}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ as: 'holiday' }}>
        <Form.Item label={t('admin.calendar.icsFile')} htmlFor="ics-file">
          <input id="ics-file" type="file" accept=".ics,text/calendar" onChange={pick} />
        </Form.Item>
        <Form.Item name="ics" label={t('admin.calendar.icsText')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={6} maxLength={200_000} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="as" label={t('admin.calendar.importAs')}>
          <Radio.Group
            options={[
              { value: 'holiday', label: t('admin.calendar.holiday') },
              { value: 'closure', label: t('admin.calendar.closure') },
            ]}
          />
        </Form.Item>
        {as !== 'closure' && (
          <Form.Item name="coverageUntil" label={t('admin.calendar.coverageUntil')} extra={t('admin.calendar.coverageUntilHint')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="recurUntil" label={t('admin.calendar.recurUntil')} extra={t('admin.calendar.recurUntilHint')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={changes.importIcs.isPending}>
          {t('admin.calendar.importSubmit')}
        </Button>
      </Form>
      {error !== null && (
        <div style={{ marginTop: 16 }}>
          <ErrorNotice error={error} />
        </div>
      )}
      {result && (
        <Alert
          style={{ marginTop: 16 }}
          type="success"
          showIcon
          title={t('admin.calendar.imported', { imported: result.imported.length, skipped: result.skipped.length, version: result.version })}
        />
      )}
    </Card>
  );
}
