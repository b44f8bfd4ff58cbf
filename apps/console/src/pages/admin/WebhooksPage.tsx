import { Button, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { CreatedWebhook, DepartmentNode, WebhookAttempt, WebhookDelivery, WebhookSubscription } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { useDepartmentTree, useWebhookChanges, useWebhookDeliveries, useWebhookDelivery, useWebhooks } from './admin-queries';
import { showOnFields } from './form-errors';
import { WEBHOOK_EVENT_TYPES } from './notification-vocabulary';
import { ShowOnce } from './ShowOnce';

function flatten(nodes: DepartmentNode[]): DepartmentNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

/** Subscriptions of other systems to problem events: signed deliveries, their attempts, redelivery. */
export default function WebhooksPage() {
  const { t, language } = useI18n();
  const webhooks = useWebhooks();
  const tree = useDepartmentTree();
  const changes = useWebhookChanges();
  const departments = useMemo(() => flatten(tree.data ?? []), [tree.data]);
  const departmentName = (id: string | null) => (id === null ? t('admin.webhooks.allDepartments') : (departments.find((d) => d.id === id)?.name ?? id));
  const [creating, setCreating] = useState(false);
  const [deliveriesOf, setDeliveriesOf] = useState<WebhookSubscription | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  async function setActive(subscription: WebhookSubscription, active: boolean) {
    setActionError(null);
    try {
      await changes.setActive.mutateAsync({ subscriptionId: subscription.id, active });
    } catch (caught) {
      setActionError(caught);
    }
  }

  return (
    <section>
      <Typography.Title level={2}>{t('admin.webhooks.title')}</Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('admin.webhooks.create')}
        </Button>
      </Space>
      {actionError !== null && (
        <div style={{ marginBottom: 16 }}>
          <ErrorNotice error={actionError} />
        </div>
      )}
      {webhooks.error ? (
        <ErrorNotice error={webhooks.error} />
      ) : (
        <Table<WebhookSubscription>
          rowKey="id"
          loading={webhooks.isPending}
          dataSource={webhooks.data ?? []}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: t('admin.webhooks.url'), dataIndex: 'url', render: (url: string) => <Typography.Text style={{ wordBreak: 'break-all' }}>{url}</Typography.Text> },
            {
              title: t('admin.webhooks.eventTypes'),
              dataIndex: 'eventTypes',
              render: (types: string[]) =>
                types.length === 0 ? t('admin.webhooks.allEvents') : (
                  <Space wrap size={4}>
                    {types.map((type) => (
                      <Tag key={type}>{t(dynamicKey('admin.domainEvent', type))}</Tag>
                    ))}
                  </Space>
                ),
            },
            { title: t('admin.webhooks.department'), dataIndex: 'departmentId', render: departmentName },
            {
              title: t('admin.state'),
              key: 'state',
              render: (_: unknown, subscription) => (
                <Space wrap size={4}>
                  {subscription.active ? <Tag color="green">{t('admin.enabled')}</Tag> : <Tag color="red">{t('admin.disabled')}</Tag>}
                  {subscription.consecutiveFailures > 0 && <Tag color="orange">{t('admin.webhooks.failures', { count: subscription.consecutiveFailures })}</Tag>}
                </Space>
              ),
            },
            { title: t('admin.createdAt'), dataIndex: 'createdAt', render: (value: string) => formatInstant(value, language) },
            {
              title: t('app.actions'),
              key: 'actions',
              render: (_: unknown, subscription) => (
                <Space wrap size="small">
                  <Button size="small" onClick={() => setDeliveriesOf(subscription)}>
                    {t('admin.webhooks.deliveries')}
                  </Button>
                  {subscription.active ? (
                    <Popconfirm title={t('admin.webhooks.disableConfirm')} okText={t('admin.disable')} cancelText={t('app.cancel')} onConfirm={() => setActive(subscription, false)}>
                      <Button size="small" danger>
                        {t('admin.disable')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button size="small" onClick={() => setActive(subscription, true)}>
                      {t('admin.enable')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      {creating && <CreateWebhookDialog departments={departments.filter((d) => d.active)} onClose={() => setCreating(false)} />}
      {deliveriesOf && <DeliveriesDrawer subscription={deliveriesOf} onClose={() => setDeliveriesOf(null)} />}
    </section>
  );
}

function CreateWebhookDialog({ departments, onClose }: { departments: DepartmentNode[]; onClose(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ url: string; eventTypes?: string[]; departmentId?: string }>();
  const changes = useWebhookChanges();
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function submit() {
    // An invalid field shows its own message; nothing is sent.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setError(null);
    try {
      setCreated(
        await changes.create.mutateAsync({
          url: values.url.trim(),
          ...(values.eventTypes?.length ? { eventTypes: values.eventTypes as typeof WEBHOOK_EVENT_TYPES[number][] } : {}),
          ...(values.departmentId ? { departmentId: values.departmentId } : {}),
        }),
      );
    } catch (caught) {
      if (!showOnFields(form, caught)) setError(caught);
    }
  }

  if (created) {
    return (
      <Modal open title={t('admin.webhooks.created')} onCancel={onClose} footer={<Button onClick={onClose}>{t('admin.done')}</Button>}>
        <ShowOnce label={t('admin.webhooks.secret')} value={created.secret} note={t('admin.webhooks.secretNote')} />
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={t('admin.webhooks.create')}
      okText={t('app.save')}
      cancelText={t('app.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={changes.create.isPending}
      destroyOnHidden
    >
      {error !== null && <ErrorNotice error={error} />}
      <Form form={form} layout="vertical">
        <Form.Item name="url" label={t('admin.webhooks.url')} rules={[{ required: true, type: 'url', max: 2000 }]}>
          <Input placeholder="https://" maxLength={2000} />
        </Form.Item>
        <Form.Item name="eventTypes" label={t('admin.webhooks.eventTypes')} extra={t('admin.webhooks.eventTypesHint')}>
          <Select mode="multiple" allowClear optionFilterProp="label" options={WEBHOOK_EVENT_TYPES.map((value) => ({ value, label: t(dynamicKey('admin.domainEvent', value)) }))} />
        </Form.Item>
        <Form.Item name="departmentId" label={t('admin.webhooks.department')} extra={t('admin.webhooks.departmentHint')}>
          <Select allowClear showSearch optionFilterProp="label" options={departments.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DeliveriesDrawer({ subscription, onClose }: { subscription: WebhookSubscription; onClose(): void }) {
  const { t, language } = useI18n();
  const deliveries = useWebhookDeliveries(subscription.id);
  const changes = useWebhookChanges();
  const [error, setError] = useState<unknown>(null);

  async function redeliver(delivery: WebhookDelivery) {
    setError(null);
    try {
      await changes.redeliver.mutateAsync(delivery.id);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <Drawer open onClose={onClose} size="large" title={t('admin.webhooks.deliveriesOf', { url: subscription.url })}>
      {error !== null && <ErrorNotice error={error} />}
      {deliveries.error ? (
        <ErrorNotice error={deliveries.error} />
      ) : (
        <Table<WebhookDelivery>
          rowKey="id"
          size="small"
          loading={deliveries.isPending}
          dataSource={deliveries.data ?? []}
          pagination={false}
          scroll={{ x: true }}
          expandable={{ expandedRowRender: (delivery) => <AttemptLog deliveryId={delivery.id} /> }}
          columns={[
            { title: t('admin.webhooks.eventType'), dataIndex: 'eventType', render: (type: string) => t(dynamicKey('admin.domainEvent', type)) },
            {
              title: t('admin.state'),
              dataIndex: 'status',
              render: (status: string) => <Tag color={status === 'delivered' ? 'green' : 'orange'}>{t(dynamicKey('admin.webhooks.status', status))}</Tag>,
            },
            { title: t('admin.attempts'), dataIndex: 'attempts' },
            { title: t('admin.webhooks.nextAttemptAt'), dataIndex: 'nextAttemptAt', render: (value: string | null) => formatInstant(value, language) },
            { title: t('admin.webhooks.deliveredAt'), dataIndex: 'deliveredAt', render: (value: string | null) => formatInstant(value, language) },
            {
              title: t('app.actions'),
              key: 'actions',
              render: (_: unknown, delivery) => (
                <Button size="small" onClick={() => redeliver(delivery)}>
                  {t('admin.redeliver')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Drawer>
  );
}

/** Every attempt of one delivery: the receiver's status or the error, and how long it took. */
function AttemptLog({ deliveryId }: { deliveryId: string }) {
  const { t, language } = useI18n();
  const delivery = useWebhookDelivery(deliveryId);
  if (delivery.error) return <ErrorNotice error={delivery.error} />;
  return (
    <Table<WebhookAttempt>
      rowKey="id"
      size="small"
      loading={delivery.isPending}
      dataSource={delivery.data?.log ?? []}
      pagination={false}
      locale={{ emptyText: t('admin.noAttempts') }}
      columns={[
        { title: t('admin.attemptedAt'), dataIndex: 'attemptedAt', render: (value: string) => formatInstant(value, language) },
        {
          title: t('admin.outcome'),
          dataIndex: 'succeeded',
          render: (succeeded: boolean) => (succeeded ? <Tag color="green">{t('admin.succeeded')}</Tag> : <Tag color="red">{t('admin.failed')}</Tag>),
        },
        { title: t('admin.statusCode'), dataIndex: 'statusCode', render: (value: number | null) => value ?? '—' },
        { title: t('admin.detail'), dataIndex: 'error', render: (value: string | null) => value ?? '—' },
        { title: t('admin.duration'), dataIndex: 'durationMs', render: (value: number) => t('admin.ms', { ms: value }) },
      ]}
    />
  );
}
