import { Button, Col, Form, Input, Row, Select, Space } from 'antd';
import { type KeyboardEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import type { InspectionView, NewInspection } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { useDepartments } from '../problems/problem-queries';
import { INSPECTION_KINDS, useCreateInspection } from './inspection-queries';

interface Values {
  reference: string;
  title?: string;
  kind: InspectionView['kind'];
  startsOn?: string;
  endsOn?: string;
  inspectedDepartmentIds?: string[];
}

/** Refusals that concern one field although the server names none in details.fields. */
const FIELD_OF_CODE: Record<string, keyof Values> = {
  'INSPECTION.REFERENCE_TAKEN': 'reference',
  'DEPARTMENT.UNKNOWN': 'inspectedDepartmentIds',
};

/**
 * Creating an inspection (you are on its team). `embedded` renders no <form> element of its own, so it can sit
 * inside the filing form on a phone without nesting forms; Enter then creates the inspection, not the problem.
 */
export function NewInspectionForm({
  embedded = false,
  onCreated,
  onCancel,
  cancelLabel,
}: {
  embedded?: boolean;
  onCreated(inspection: InspectionView): void;
  onCancel?(): void;
  cancelLabel?: string;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const create = useCreateInspection();
  const departments = useDepartments();
  const [error, setError] = useState<unknown>(null);

  async function submit(values: Values) {
    setError(null);
    const input: NewInspection = { reference: values.reference.trim(), kind: values.kind };
    if (values.title?.trim()) input.title = values.title.trim();
    if (values.startsOn) input.startsOn = values.startsOn;
    if (values.endsOn) input.endsOn = values.endsOn;
    if (values.inspectedDepartmentIds?.length) input.inspectedDepartmentIds = values.inspectedDepartmentIds;
    try {
      const created = await create.mutateAsync(input);
      form.resetFields();
      onCreated(created);
    } catch (caught) {
      if (caught instanceof ApiError && caught.fields.length > 0) {
        form.setFields(caught.fields.map((field) => ({ name: field.field as keyof Values, errors: field.messages })));
      } else if (caught instanceof ApiError && FIELD_OF_CODE[caught.code]) {
        form.setFields([{ name: FIELD_OF_CODE[caught.code], errors: [caught.message] }]);
      }
      setError(caught);
    }
  }

  function enterCreates(event: KeyboardEvent<HTMLDivElement>) {
    if (embedded && event.key === 'Enter' && event.target instanceof HTMLInputElement) {
      event.preventDefault();
      form.submit();
    }
  }

  return (
    <div onKeyDown={enterCreates}>
      {error !== null && <ErrorNotice error={error} />}
      <Form<Values> form={form} component={embedded ? false : undefined} layout="vertical" onFinish={submit} initialValues={{ kind: 'other' }}>
        <Form.Item
          name="reference"
          label={t('inspections.reference')}
          extra={t('inspections.reference.help')}
          rules={[{ required: true, whitespace: true }, { max: 100 }, { pattern: /^[^/\\]+$/ }]}
        >
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
        <Form.Item name="title" label={t('inspections.name')} extra={t('inspections.name.help')} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="kind" label={t('inspections.kind')} rules={[{ required: true }]}>
          <Select options={INSPECTION_KINDS.map((kind) => ({ value: kind, label: t(dynamicKey('inspections.kind', kind)) }))} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            {/* The phone's own date picker: no calendar popup wider than the screen. */}
            <Form.Item name="startsOn" label={t('inspections.startsOn')}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="endsOn"
              label={t('inspections.endsOn')}
              dependencies={['startsOn']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_rule, value?: string) => {
                    const startsOn = getFieldValue('startsOn') as string | undefined;
                    return !value || !startsOn || value >= startsOn ? Promise.resolve() : Promise.reject(new Error(t('inspections.endsOn.beforeStart')));
                  },
                }),
              ]}
            >
              <Input type="date" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="inspectedDepartmentIds" label={t('inspections.inspectedDepartments')}>
          <Select
            mode="multiple"
            allowClear
            optionFilterProp="label"
            loading={departments.isPending}
            options={(departments.data ?? []).filter((department) => department.active).map((department) => ({ value: department.id, label: department.name }))}
          />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType={embedded ? 'button' : 'submit'} onClick={embedded ? () => form.submit() : undefined} loading={create.isPending}>
            {t('inspections.create')}
          </Button>
          {onCancel && <Button onClick={onCancel}>{cancelLabel ?? t('app.cancel')}</Button>}
        </Space>
      </Form>
    </div>
  );
}
