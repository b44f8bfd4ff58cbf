import { Form, Input, Modal, Select, Switch } from 'antd';
import { useState } from 'react';
import type { ChannelKind } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import type { NewChannel } from '../../api/views';
import { useChannelChanges } from './admin-queries';
import { showOnFields } from './form-errors';
import { CHANNEL_KINDS } from './notification-vocabulary';

interface ChannelValues {
  kind: ChannelKind;
  name: string;
  departmentId?: string;
  dailyDigest?: boolean;
  webhookUrl?: string;
  secret?: string;
  smtpUrl?: string;
  from?: string;
}

type TargetField = 'webhookUrl' | 'secret' | 'smtpUrl' | 'from';

/**
 * What each kind needs, as the vendors define it: the SMTP server a URL with its credentials and a From address;
 * a robot its webhook URL, and DingTalk and Feishu the 加签 secret when signing is on (WeCom robots do not sign).
 */
export const TARGET_FIELDS: Record<ChannelKind, Array<{ name: TargetField; required: boolean }>> = {
  email: [
    { name: 'smtpUrl', required: true },
    { name: 'from', required: true },
  ],
  dingtalk: [
    { name: 'webhookUrl', required: true },
    { name: 'secret', required: false },
  ],
  feishu: [
    { name: 'webhookUrl', required: true },
    { name: 'secret', required: false },
  ],
  wecom: [{ name: 'webhookUrl', required: true }],
};

const FIELD_LABEL: Record<TargetField, MessageKey> = {
  webhookUrl: 'admin.channels.webhookUrl',
  secret: 'admin.channels.secret',
  smtpUrl: 'admin.channels.smtpUrl',
  from: 'admin.channels.from',
};
const FIELD_HINT: Record<TargetField, MessageKey> = {
  webhookUrl: 'admin.channels.webhookUrlHint',
  secret: 'admin.channels.secretHint',
  smtpUrl: 'admin.channels.smtpUrlHint',
  from: 'admin.channels.fromHint',
};

/** The body for the kind chosen: only its own fields, so a field left from another kind is never sent. */
export function channelBody(values: ChannelValues): NewChannel {
  const body: NewChannel = { kind: values.kind, name: values.name.trim() };
  if (values.departmentId) body.departmentId = values.departmentId;
  if (values.dailyDigest !== undefined) body.dailyDigest = values.dailyDigest;
  for (const { name } of TARGET_FIELDS[values.kind]) {
    const value = values[name]?.trim();
    if (value) body[name] = value;
  }
  return body;
}

/** Adds a channel; its URL, secret and password are sealed by the server and never shown again. */
export function ChannelForm({ departments, onClose }: { departments: Array<{ id: string; name: string }>; onClose(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<ChannelValues>();
  const kind = (Form.useWatch('kind', form) ?? 'email') as ChannelKind;
  const changes = useChannelChanges();
  const [error, setError] = useState<unknown>(null);

  async function submit() {
    // An invalid field shows its own message; nothing is sent.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setError(null);
    try {
      await changes.create.mutateAsync(channelBody(values));
      onClose();
    } catch (caught) {
      if (!showOnFields(form, caught)) setError(caught);
    }
  }

  return (
    <Modal
      open
      title={t('admin.channels.create')}
      okText={t('app.save')}
      cancelText={t('app.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={changes.create.isPending}
      destroyOnHidden
    >
      {error !== null && <ErrorNotice error={error} />}
      <Form form={form} layout="vertical" initialValues={{ kind: 'email', dailyDigest: false }}>
        <Form.Item name="kind" label={t('admin.channels.kind')} rules={[{ required: true }]}>
          <Select
            options={CHANNEL_KINDS.map((value) => ({ value, label: t(dynamicKey('admin.channels.kind', value)) }))}
            // The server's default: robots take part in their department's daily digest, the SMTP server does not.
            onChange={(value: ChannelKind) => form.setFieldValue('dailyDigest', value !== 'email')}
          />
        </Form.Item>
        <Form.Item name="name" label={t('admin.channels.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        {TARGET_FIELDS[kind].map((field) => (
          <Form.Item key={`${kind}-${field.name}`} name={field.name} label={t(FIELD_LABEL[field.name])} extra={t(FIELD_HINT[field.name])} rules={[{ required: field.required, whitespace: true }]}>
            {field.name === 'secret' || field.name === 'smtpUrl' ? <Input.Password autoComplete="off" maxLength={2000} /> : <Input autoComplete="off" maxLength={2000} />}
          </Form.Item>
        ))}
        {kind !== 'email' && (
          <Form.Item name="departmentId" label={t('admin.channels.department')} extra={t('admin.channels.departmentHint')}>
            <Select allowClear showSearch optionFilterProp="label" options={departments.map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
        )}
        <Form.Item name="dailyDigest" label={t('admin.channels.dailyDigest')} valuePropName="checked" extra={t('admin.channels.dailyDigestHint')}>
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
