import { Button, Empty, Form, InputNumber, Select, Space, Table, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import type { SheetResponseState, SupervisionSheet } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { sheetPdfPath, sheetVerifyRoute, useSheetRegister } from '../problems/sheet-queries';
import { ResponseState } from '../problems/SupervisionSheets';

const RESPONSE_STATES: SheetResponseState[] = ['due', 'overdue', 'given', 'late', 'notAsked'];

/**
 * The sheets' registry (督办单台账) of the supervising office: every numbered sheet issued for the problems in scope,
 * newest first, with where its written response stands; filtered (in the URL) by that and by year, so "overdue
 * responses" is a link to pass on.
 */
export default function SheetsPage() {
  const { t, language } = useI18n();
  const [params, setParams] = useSearchParams();
  const response = RESPONSE_STATES.find((state) => state === params.get('response'));
  const yearParam = Number(params.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 2000 && yearParam <= 9999 ? yearParam : undefined;
  const register = useSheetRegister({ ...(response ? { response } : {}), ...(year ? { year } : {}) });
  const rows = register.data?.pages.flatMap((page) => page.items) ?? [];
  const setFilter = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <section>
      <Typography.Title level={2}>{t('nav.sheets')}</Typography.Title>
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t('sheets.response')} htmlFor="sheets-response">
          <Select<SheetResponseState | 'any'>
            id="sheets-response"
            style={{ minWidth: 160 }}
            value={response ?? 'any'}
            onChange={(value) => setFilter('response', value === 'any' ? null : value)}
            options={[
              { value: 'any', label: t('sheets.register.anyResponse') },
              ...RESPONSE_STATES.map((state) => ({ value: state, label: t(dynamicKey('sheets.register.response', state)) })),
            ]}
          />
        </Form.Item>
        <Form.Item label={t('sheets.register.year')} htmlFor="sheets-year">
          <InputNumber id="sheets-year" min={2000} max={9999} value={year ?? null} onChange={(value) => setFilter('year', value ? String(value) : null)} />
        </Form.Item>
      </Form>
      {register.error ? (
        <ErrorNotice error={register.error} />
      ) : (
        <Table<SupervisionSheet>
          rowKey="id"
          loading={register.isPending}
          dataSource={rows}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty description={t('sheets.register.empty')} /> }}
          columns={[
            { title: t('sheets.number'), dataIndex: 'number', render: (number: string, sheet) => <Link to={sheetVerifyRoute(sheet)}>{number}</Link> },
            { title: t('sheets.verify.problem'), key: 'problem', render: (_: unknown, sheet) => <Link to={`/problems/${sheet.problemId}`}>{sheet.facts.problem.title}</Link> },
            { title: t('sheets.verify.department'), key: 'department', render: (_: unknown, sheet) => sheet.facts.responsibleDepartment.name },
            { title: t('sheets.step'), key: 'step', render: (_: unknown, sheet) => sheet.facts.stepName },
            { title: t('sheets.issuedAt'), dataIndex: 'issuedAt', render: (at: string) => formatInstant(at, language) },
            { title: t('sheets.response'), key: 'response', render: (_: unknown, sheet) => <ResponseState sheet={sheet} /> },
            {
              title: t('app.actions'),
              key: 'actions',
              render: (_: unknown, sheet) => (
                <Space>
                  <a href={sheetPdfPath(sheet)} download aria-label={t('sheets.downloadLabel', { number: sheet.number })}>
                    {t('sheets.download')}
                  </a>
                </Space>
              ),
            },
          ]}
        />
      )}
      {register.hasNextPage && (
        <Button style={{ marginTop: 16 }} block onClick={() => void register.fetchNextPage()} loading={register.isFetchingNextPage}>
          {t('sheets.register.more')}
        </Button>
      )}
    </section>
  );
}
