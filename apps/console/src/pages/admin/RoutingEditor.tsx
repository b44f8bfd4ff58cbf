import { Alert, Button, Checkbox, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { RoutingRule } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { useReplaceRouting, useRouting } from './admin-queries';
import { refusedFields } from './form-errors';
import { type Audience, AUDIENCES, type NotifiableEvent, NOTIFIABLE_EVENTS, ROUTES } from './notification-vocabulary';

type Row = Omit<RoutingRule, 'id'> & { key: number };

let nextKey = 0;
const toRows = (rules: RoutingRule[]): Row[] => rules.map(({ id: _id, ...rule }) => ({ ...rule, key: nextKey++ }));

/** Who is told of what, by which route: edited as a whole and saved with one PUT (escalations stay mandatory). */
export function RoutingEditor() {
  const { t } = useI18n();
  const routing = useRouting();
  const replace = useReplaceRouting();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (routing.data && rows === null) setRows(toRows(routing.data.rules));
  }, [routing.data, rows]);

  if (routing.error) return <ErrorNotice error={routing.error} />;
  if (!routing.data || rows === null) return <Table loading columns={[]} />;

  const change = (key: number, patch: Partial<Row>) => {
    setSaved(false);
    setRows(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  };

  async function save() {
    setError(null);
    setSaved(false);
    try {
      const table = await replace.mutateAsync(rows!.map(({ key: _key, ...rule }) => rule));
      setRows(toRows(table.rules));
      setSaved(true);
    } catch (caught) {
      setError(caught);
    }
  }

  // Validation names a row's field as `rules.3.audience`: the row shows it.
  const rowErrors = new Map<number, string[]>();
  for (const { field, messages } of refusedFields(error)) {
    const index = /^rules\.(\d+)\./.exec(field)?.[1];
    if (index !== undefined) rowErrors.set(Number(index), [...(rowErrors.get(Number(index)) ?? []), ...messages]);
  }

  return (
    <section>
      <Space wrap style={{ marginBottom: 16 }}>
        {routing.data.isDefault && <Tag color="blue">{t('admin.routing.isDefault')}</Tag>}
        <Typography.Text type="secondary">{t('admin.routing.intro')}</Typography.Text>
      </Space>
      {error !== null && <ErrorNotice error={error} />}
      {saved && <Alert type="success" showIcon title={t('admin.routing.saved')} style={{ marginBottom: 16 }} />}
      <Table<Row>
        rowKey="key"
        size="small"
        dataSource={rows}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          {
            title: t('admin.routing.event'),
            dataIndex: 'event',
            render: (event: NotifiableEvent, row, index) => (
              <Space orientation="vertical" size={2}>
                <Select
                  aria-label={t('admin.routing.eventOfRow', { row: index + 1 })}
                  value={event}
                  style={{ minWidth: 180 }}
                  onChange={(value: NotifiableEvent) => change(row.key, { event: value, ...(value === 'problem.escalated' ? {} : { level: null }) })}
                  options={NOTIFIABLE_EVENTS.map((value) => ({ value, label: t(dynamicKey('admin.domainEvent', value)) }))}
                />
                {rowErrors.get(index)?.map((message) => (
                  <Typography.Text key={message} type="danger">
                    {message}
                  </Typography.Text>
                ))}
              </Space>
            ),
          },
          {
            title: t('admin.routing.level'),
            dataIndex: 'level',
            render: (level: number | null, row, index) =>
              row.event === 'problem.escalated' ? (
                <InputNumber
                  aria-label={t('admin.routing.levelOfRow', { row: index + 1 })}
                  min={1}
                  max={10}
                  value={level}
                  placeholder={t('admin.routing.everyLevel')}
                  onChange={(value) => change(row.key, { level: value ?? null })}
                />
              ) : (
                '—'
              ),
          },
          {
            title: t('admin.routing.audience'),
            dataIndex: 'audience',
            render: (audience: Audience, row, index) => (
              <Select
                aria-label={t('admin.routing.audienceOfRow', { row: index + 1 })}
                value={audience}
                style={{ minWidth: 160 }}
                onChange={(value: Audience) => change(row.key, { audience: value })}
                options={AUDIENCES.map((value) => ({ value, label: t(dynamicKey('admin.audience', value)) }))}
              />
            ),
          },
          {
            title: t('admin.routing.route'),
            dataIndex: 'route',
            render: (route: 'email' | 'robot', row, index) => (
              <Select
                aria-label={t('admin.routing.routeOfRow', { row: index + 1 })}
                value={route}
                onChange={(value: 'email' | 'robot') => change(row.key, { route: value })}
                options={ROUTES.map((value) => ({ value, label: t(dynamicKey('admin.route', value)) }))}
              />
            ),
          },
          {
            title: t('admin.routing.mandatory'),
            dataIndex: 'mandatory',
            render: (mandatory: boolean, row, index) => (
              <Checkbox aria-label={t('admin.routing.mandatoryOfRow', { row: index + 1 })} checked={mandatory} onChange={(event) => change(row.key, { mandatory: event.target.checked })}>
                {t('admin.routing.mandatoryShort')}
              </Checkbox>
            ),
          },
          {
            title: t('app.actions'),
            key: 'actions',
            render: (_: unknown, row) => (
              <Button size="small" danger onClick={() => (setSaved(false), setRows(rows.filter((other) => other.key !== row.key)))}>
                {t('admin.remove')}
              </Button>
            ),
          },
        ]}
      />
      <Space wrap style={{ marginTop: 16 }}>
        <Button
          onClick={() => {
            setSaved(false);
            setRows([...rows, { key: nextKey++, event: 'problem.filed', level: null, audience: 'officeSupervisors', route: 'email', mandatory: false }]);
          }}
        >
          {t('admin.routing.addRule')}
        </Button>
        <Button onClick={() => (setSaved(false), setError(null), setRows(toRows(routing.data!.rules)))}>{t('admin.routing.discard')}</Button>
        <Button type="primary" onClick={save} loading={replace.isPending}>
          {t('admin.routing.save')}
        </Button>
      </Space>
    </section>
  );
}
