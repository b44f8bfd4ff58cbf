import { DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { EVENT_FIELDS, type EventField } from './event-forms';
import { useDepartments } from './problem-queries';

/**
 * The form of one event. The server's refusals land on the field they name (`details.fields`); a refusal of the
 * whole event shows above the form.
 */
export function EventDialog({
  type,
  open,
  onCancel,
  onSend,
}: {
  type: string;
  open: boolean;
  onCancel(): void;
  onSend(body: Record<string, unknown>): Promise<void>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const departments = useDepartments();
  const fields = EVENT_FIELDS[type] ?? [];

  async function submit() {
    let values: Record<string, unknown>;
    try {
      values = (await form.validateFields()) as Record<string, unknown>;
    } catch {
      return; // the form shows what is missing
    }
    const body: Record<string, unknown> = {};
    for (const field of fields) {
      const value = values[field.name];
      if (value === undefined || value === null || value === '') continue;
      body[field.name] = field.kind === 'instant' ? (value as dayjs.Dayjs).toISOString() : field.kind === 'date' ? (value as dayjs.Dayjs).format('YYYY-MM-DD') : value;
    }
    setBusy(true);
    setError(null);
    try {
      await onSend(body);
      form.resetFields();
    } catch (caught) {
      if (caught instanceof ApiError && caught.fields.length > 0) {
        form.setFields(caught.fields.map((field) => ({ name: field.field, errors: field.messages })));
      }
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const input = (field: EventField) => {
    switch (field.kind) {
      case 'textarea':
        return <Input.TextArea rows={3} maxLength={5000} />;
      case 'instant':
        return <DatePicker showTime style={{ width: '100%' }} />;
      case 'date':
        return <DatePicker style={{ width: '100%' }} />;
      case 'percent':
        return <InputNumber min={0} max={100} style={{ width: '100%' }} />;
      case 'department':
        return <Select showSearch optionFilterProp="label" options={(departments.data ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))} />;
      default:
        return <Input maxLength={100} />;
    }
  };

  return (
    <Modal open={open} title={t(dynamicKey('event', type))} okText={t('event.send')} cancelText={t('app.cancel')} onOk={submit} onCancel={onCancel} confirmLoading={busy} destroyOnHidden>
      {error !== null && !(error instanceof ApiError && error.fields.length > 0) && <ErrorNotice error={error} />}
      <Form form={form} layout="vertical" preserve={false}>
        {fields.map((field) => (
          <Form.Item key={field.name} name={field.name} label={t(dynamicKey('event.field', field.name))} rules={field.required ? [{ required: true }] : []}>
            {input(field)}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
