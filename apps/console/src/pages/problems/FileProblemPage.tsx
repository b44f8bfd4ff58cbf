import { Alert, Button, Card, Form, Input, Select, Typography, Upload, type UploadFile } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import type { InspectionView, NewProblem, ProblemView } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { useFilingInspections } from '../inspections/inspection-queries';
import { NewInspectionForm } from '../inspections/NewInspectionForm';
import { uploadEvidence } from './evidence-queries';

const SEVERITIES = ['critical', 'major', 'general', 'minor'];
/** The inspection last filed under, so a round of findings in the field needs no picking after the first. */
const LAST_INSPECTION_KEY = 'rk.lastInspection';

interface Values {
  inspectionId: string;
  title: string;
  description: string;
  category: string;
  severity: NewProblem['severity'];
  location: string;
  requirement: string;
  deadline?: string;
}

/** Refusals that name no field in details.fields but are about one: shown on it. */
const FIELD_OF_CODE: Record<string, keyof Values> = {
  'INSPECTION.NOT_FOUND': 'inspectionId',
  'INSPECTION.NOT_ON_TEAM': 'inspectionId',
  'INSPECTION.AMBIGUOUS_REFERENCE': 'inspectionId',
  'PROBLEM.DEADLINE_IN_PAST': 'deadline',
  'PROBLEM.DEADLINE_TOO_FAR': 'deadline',
};

/**
 * Filing in the field, phone first: the inspection (one of yours, or a new one created here), the finding, then
 * its photos from the camera, uploaded as `finding` evidence once the problem exists. If a photo fails, the problem
 * stays filed and only the photos not yet sent are sent again.
 */
export default function FileProblemPage() {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const inspections = useFilingInspections();
  const [created, setCreated] = useState<InspectionView[]>([]);
  const [creating, setCreating] = useState(false);
  const [photos, setPhotos] = useState<UploadFile[]>([]);
  const [sent, setSent] = useState<Set<string>>(new Set());
  const [filed, setFiled] = useState<ProblemView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // Created here and not yet in the refetched list: still offered.
  const choices = useMemo(() => {
    const listed = inspections.data ?? [];
    return [...created.filter((one) => !listed.some((inspection) => inspection.id === one.id)), ...listed];
  }, [inspections.data, created]);

  useEffect(() => {
    if (!inspections.data || form.getFieldValue('inspectionId')) return;
    const wanted = params.get('inspection') ?? localStorage.getItem(LAST_INSPECTION_KEY);
    const match = inspections.data.find((inspection) => inspection.id === wanted || inspection.reference === wanted);
    if (match) form.setFieldValue('inspectionId', match.id);
    else if (inspections.data.length === 0) setCreating(true);
  }, [inspections.data, params, form]);

  function inspectionCreated(inspection: InspectionView) {
    setCreated((current) => [inspection, ...current]);
    setCreating(false);
    form.setFields([{ name: 'inspectionId', value: inspection.id, errors: [] }]);
  }

  async function file(values: Values) {
    setBusy(true);
    setError(null);
    try {
      let problem = filed;
      if (!problem) {
        const { deadline, ...rest } = values;
        const body: NewProblem = { ...rest };
        // datetime-local is the phone's local time; the server takes an instant.
        if (deadline) body.deadline = new Date(deadline).toISOString();
        problem = await unwrap(api.POST('/problems', { body }));
        setFiled(problem);
        localStorage.setItem(LAST_INSPECTION_KEY, values.inspectionId);
      }
      const done = new Set(sent);
      for (const photo of photos) {
        if (done.has(photo.uid)) continue;
        await uploadEvidence(problem.id, 'finding', photo.originFileObj as Blob, photo.name);
        done.add(photo.uid);
        setSent(new Set(done));
      }
      navigate(`/problems/${problem.id}`);
    } catch (caught) {
      if (caught instanceof ApiError) {
        const onFields = caught.fields.map((field) => ({
          name: (field.field === 'inspectionRef' ? 'inspectionId' : field.field) as keyof Values,
          errors: field.messages,
        }));
        if (onFields.length === 0 && FIELD_OF_CODE[caught.code]) onFields.push({ name: FIELD_OF_CODE[caught.code], errors: [caught.message] });
        if (onFields.length > 0) form.setFields(onFields);
      }
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const text = (name: keyof Values, label: MessageKey, max: number, area = false) => (
    <Form.Item name={name} label={t(label)} rules={[{ required: true, whitespace: true }, { max }]}>
      {area ? <Input.TextArea rows={3} maxLength={max} /> : <Input maxLength={max} />}
    </Form.Item>
  );

  return (
    <section style={{ maxWidth: 640 }}>
      <Typography.Title level={2}>{t('problem.file')}</Typography.Title>
      {/* Only once a photo has failed: while they upload, the page is on its way to the filed problem. */}
      {filed && error !== null && !busy && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('inspections.file.photosPending')}
          description={<Link to={`/problems/${filed.id}`}>{t('inspections.file.openFiled', { title: filed.title })}</Link>}
        />
      )}
      {error !== null && <ErrorNotice error={error} />}
      <Form<Values> form={form} layout="vertical" onFinish={file} initialValues={{ severity: 'general' }} disabled={filed !== null} style={{ marginTop: 16 }}>
        <Form.Item
          name="inspectionId"
          label={t('inspections.picker')}
          extra={creating ? undefined : t('inspections.picker.help')}
          rules={[{ required: true, message: t('inspections.picker.placeholder') }]}
          hidden={creating}
        >
          <Select
            showSearch
            optionFilterProp="label"
            loading={inspections.isPending}
            placeholder={t('inspections.picker.placeholder')}
            notFoundContent={t('inspections.picker.none')}
            options={choices.map((inspection) => ({
              value: inspection.id,
              label: inspection.title === inspection.reference ? inspection.reference : `${inspection.reference} · ${inspection.title}`,
            }))}
          />
        </Form.Item>
        {inspections.error !== null && <ErrorNotice error={inspections.error} />}
        {creating ? (
          <Card size="small" style={{ marginBottom: 24 }} title={t('inspections.picker.new')}>
            <NewInspectionForm
              embedded
              onCreated={inspectionCreated}
              onCancel={choices.length > 0 ? () => setCreating(false) : undefined}
              cancelLabel={t('inspections.picker.useExisting')}
            />
          </Card>
        ) : (
          !filed && (
            <Button type="link" style={{ padding: 0, marginTop: -16, marginBottom: 16 }} onClick={() => setCreating(true)}>
              + {t('inspections.picker.new')}
            </Button>
          )
        )}
        {text('title', 'problem.title', 200)}
        {text('description', 'problem.description', 5000, true)}
        {text('category', 'problem.category', 100)}
        <Form.Item name="severity" label={t('problem.severity')} rules={[{ required: true }]}>
          <Select options={SEVERITIES.map((value) => ({ value, label: t(dynamicKey('severity', value)) }))} />
        </Form.Item>
        {text('location', 'problem.location', 200)}
        {text('requirement', 'problem.requirement', 5000, true)}
        <Form.Item name="deadline" label={t('problem.deadline')} extra={t('inspections.file.deadlineHelp')}>
          {/* The phone's own picker; a calendar popup with a time column is wider than a phone. */}
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item label={t('problem.photos')} extra={t('inspections.file.photosHelp')}>
          <Upload
            accept="image/jpeg,image/png"
            capture="environment"
            listType="picture"
            multiple
            disabled={false}
            fileList={photos}
            beforeUpload={() => false}
            onChange={({ fileList }) => setPhotos(fileList)}
            onRemove={(photo) => !sent.has(photo.uid)}
          >
            <Button disabled={false}>{t('problem.takePhoto')}</Button>
          </Upload>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} disabled={creating && !filed} block size="large">
          {filed ? t('inspections.file.retryPhotos') : t('app.submit')}
        </Button>
      </Form>
    </section>
  );
}
