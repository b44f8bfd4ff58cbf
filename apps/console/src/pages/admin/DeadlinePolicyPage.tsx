import { Alert, App, Button, Card, Col, Descriptions, Form, type FormInstance, Input, InputNumber, Radio, Row, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import type { DeadlinePolicyDraft, PublishedPolicy, RankingThresholds } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { PageLoading } from '../../components/PageLoading';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { useDeadlinePolicy, useDeadlinePolicyPresets, useDeadlinePolicyVersions, usePublishDeadlinePolicy } from './admin-queries';
import { refusedFields } from './form-errors';

type Periods = DeadlinePolicyDraft['rectificationWorkingDays'];
type Recipients = DeadlinePolicyDraft['escalation'][number]['recipients'];
type LightRule = NonNullable<DeadlinePolicyDraft['lights']>;
type LightKind = LightRule['kind'];

const SEVERITIES = ['critical', 'major', 'general', 'minor'] as const satisfies ReadonlyArray<keyof Periods>;
const RECIPIENTS = ['departmentHead', 'supervisingOffice', 'leadership'] as const satisfies readonly Recipients[];
/** The policy's own limits (workflows/rectification/deadline.policy.ts POLICY_LIMITS); the server checks them again. */
const MAX_DAYS = 250;
const MAX_ROWS = 10;
const MAX_CATEGORIES = 200;
const MAX_LIST_COUNT = 100_000;
const MAX_STEP_NAME = 32;
const LIGHT_KINDS = ['timeLeft', 'progress'] as const satisfies readonly LightKind[];

const NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/**
 * The name a new ladder row starts with: 一级督办, 二级督办 … as the server names a step sent without one (the name
 * is the office's wording, so Chinese whatever the console's language).
 */
export function defaultStepName(level: number): string {
  return `${NUMERALS[level] ?? level}级督办`;
}

/** The draft as the form holds it: an escalation step's level is its row's number, so it is not a field. */
interface DraftForm {
  name: string;
  rectificationWorkingDays: Periods;
  categories: Array<{ category: string; rectificationWorkingDays: Periods }>;
  remindersBeforeWorkingDays: number[];
  /** A step's written response: working days, or empty (null) for none asked. */
  escalation: Array<{ name: string; workingDaysAfterDeadline: number; recipients: Recipients; responseWorkingDays: number | null }>;
  verificationWorkingDays: number;
  /**
   * The light rule (红黄绿灯), named as the server names its fields (`lights.redLagPoints`): the lags are kept while
   * the rule is by time left, and sent only for the rule by progress; black from 0 is never (the rule's null).
   */
  lights: { kind: LightKind; yellowLagPoints?: number; redLagPoints?: number; blackFromEscalationLevel: number };
  /** The list thresholds (红黄黑榜), rates in percent (0–100) as an admin reads them; the policy holds 0–1. */
  ranking: Omit<RankingThresholds, 'blackFromEscalated'> & { blackFromEscalated?: number };
  /** Whether escalations alone can put a department on the black list (the rule's blackFromEscalated not null). */
  blackByEscalations: boolean;
  note?: string;
}

/** 0.95 → 95 (to two decimals of a percent, so 0.955 stays 95.5 and no float noise shows). */
const toPercent = (rate: number) => Math.round(rate * 10_000) / 100;
const toRate = (percent: number) => Math.round(percent * 100) / 10_000;

/**
 * The form's values from a draft. A draft without list thresholds (a preset may leave them out) keeps those in
 * force when published: the form shows those, `inForce`, so what it publishes is what would stand anyway.
 */
function toForm(draft: DeadlinePolicyDraft, inForce: RankingThresholds, inForceLights: LightRule): DraftForm {
  const lists = draft.ranking ?? inForce;
  return {
    name: draft.name,
    rectificationWorkingDays: { ...draft.rectificationWorkingDays },
    categories: draft.categories.map((periods) => ({ category: periods.category, rectificationWorkingDays: { ...periods.rectificationWorkingDays } })),
    remindersBeforeWorkingDays: [...draft.remindersBeforeWorkingDays],
    escalation: draft.escalation.map(({ level, name, workingDaysAfterDeadline, recipients, responseWorkingDays }) => ({
      name: name ?? defaultStepName(level),
      workingDaysAfterDeadline,
      recipients,
      responseWorkingDays: responseWorkingDays ?? null,
    })),
    verificationWorkingDays: draft.verificationWorkingDays,
    lights: toLightsForm(draft.lights ?? inForceLights),
    ranking: {
      redFromOnTimeRate: toPercent(lists.redFromOnTimeRate),
      yellowBelowOnTimeRate: toPercent(lists.yellowBelowOnTimeRate),
      yellowFromOverdue: lists.yellowFromOverdue,
      blackBelowOnTimeRate: toPercent(lists.blackBelowOnTimeRate),
      blackFromEscalated: lists.blackFromEscalated ?? undefined,
    },
    blackByEscalations: lists.blackFromEscalated !== null,
    note: '',
  };
}

function toLightsForm(rule: LightRule): DraftForm['lights'] {
  return {
    kind: rule.kind,
    // (none by time left: the fields start empty when the admin switches to the rule by progress)
    yellowLagPoints: rule.kind === 'progress' ? rule.yellowLagPoints : undefined,
    redLagPoints: rule.kind === 'progress' ? rule.redLagPoints : undefined,
    blackFromEscalationLevel: rule.blackFromEscalationLevel ?? 0,
  };
}

function toLightRule(lights: DraftForm['lights']): LightRule {
  const blackFromEscalationLevel = lights.blackFromEscalationLevel > 0 ? lights.blackFromEscalationLevel : null;
  return lights.kind === 'progress'
    ? { kind: 'progress', yellowLagPoints: lights.yellowLagPoints, redLagPoints: lights.redLagPoints, blackFromEscalationLevel }
    : { kind: 'timeLeft', blackFromEscalationLevel };
}

/** What of a policy this form does not edit: sent back as it was loaded. */
type Kept = Omit<
  DeadlinePolicyDraft,
  'name' | 'rectificationWorkingDays' | 'categories' | 'remindersBeforeWorkingDays' | 'escalation' | 'verificationWorkingDays' | 'lights' | 'ranking'
>;

function keptOf(draft: DeadlinePolicyDraft): Kept {
  const { name: _n, rectificationWorkingDays: _r, categories: _c, remindersBeforeWorkingDays: _b, escalation: _e, verificationWorkingDays: _v, lights: _l, ranking: _k, ...kept } =
    draft;
  return kept;
}

function toDraft(values: DraftForm, kept: Kept): DeadlinePolicyDraft {
  return {
    ...kept,
    name: values.name.trim(),
    rectificationWorkingDays: values.rectificationWorkingDays,
    categories: (values.categories ?? []).map((periods) => ({ category: periods.category.trim(), rectificationWorkingDays: periods.rectificationWorkingDays })),
    remindersBeforeWorkingDays: values.remindersBeforeWorkingDays ?? [],
    escalation: (values.escalation ?? []).map((step, index) => ({
      level: index + 1,
      name: step.name.trim(),
      workingDaysAfterDeadline: step.workingDaysAfterDeadline,
      recipients: step.recipients,
      responseWorkingDays: step.responseWorkingDays ?? null,
    })),
    verificationWorkingDays: values.verificationWorkingDays,
    lights: toLightRule(values.lights),
    ranking: {
      redFromOnTimeRate: toRate(values.ranking.redFromOnTimeRate),
      yellowBelowOnTimeRate: toRate(values.ranking.yellowBelowOnTimeRate),
      yellowFromOverdue: values.ranking.yellowFromOverdue,
      blackBelowOnTimeRate: toRate(values.ranking.blackBelowOnTimeRate),
      blackFromEscalated: values.blackByEscalations ? (values.ranking.blackFromEscalated ?? null) : null,
    },
  };
}

const draftOf = ({ id: _id, version: _version, ...draft }: PublishedPolicy['policy']): DeadlinePolicyDraft => draft;

/**
 * A refusal put on the fields it names, Form.List rows included (`categories.0.category` is the field
 * ['categories', 0, 'category']); answers whether every field named was on the form or in `elsewhere` (names the
 * caller shows in a section of its own, as `ranking` for the list thresholds together), else the caller shows the
 * refusal above it too: a list as a whole, say, or a step's level, which is no field here.
 */
function showOnPolicyFields(form: FormInstance, error: unknown, elsewhere: readonly string[] = []): { shown: boolean; all: boolean } {
  const registered = new Set(form.getFieldsError().map((field) => field.name.join('.')));
  const refused = refusedFields(error);
  const known = refused.filter((field) => registered.has(field.field));
  form.setFields(known.map((field) => ({ name: field.field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)), errors: field.messages })));
  const placed = known.length + refused.filter((field) => elsewhere.includes(field.field)).length;
  return { shown: placed > 0, all: placed === refused.length };
}

/** The deadline policy (整改时限规定): the version in force, a draft of the next one, and every version published. */
export default function DeadlinePolicyPage() {
  const { t } = useI18n();
  const current = useDeadlinePolicy();
  return (
    <section>
      <Typography.Title level={2}>{t('admin.deadlinePolicy.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('admin.deadlinePolicy.intro')}</Typography.Paragraph>
      {current.error ? (
        <ErrorNotice error={current.error} />
      ) : !current.data ? (
        <PageLoading />
      ) : (
        <>
          <InForce published={current.data} />
          <DraftEditor loaded={current.data} />
          <History />
        </>
      )}
    </section>
  );
}

function InForce({ published }: { published: PublishedPolicy }) {
  const { t, language } = useI18n();
  const publication = published.publication;
  return (
    <Card size="small" style={{ marginBottom: 24 }} title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('admin.deadlinePolicy.inForce')}</Typography.Title>}>
      <Descriptions size="small" column={{ xs: 1, md: 2, lg: 3 }}>
        <Descriptions.Item label={t('admin.deadlinePolicy.name')}>{published.policy.name}</Descriptions.Item>
        <Descriptions.Item label={t('admin.deadlinePolicy.version')}>{t('admin.deadlinePolicy.versionN', { version: published.policy.version })}</Descriptions.Item>
        <Descriptions.Item label={t('admin.deadlinePolicy.publishedBy')}>{publication ? publication.actorName : t('admin.deadlinePolicy.builtIn')}</Descriptions.Item>
        <Descriptions.Item label={t('admin.deadlinePolicy.publishedAt')}>{publication ? formatInstant(publication.at, language) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('admin.deadlinePolicy.note')}>{publication?.note || '—'}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

const sectionTitle = (text: string) => (
  <Typography.Title level={4} style={{ fontSize: 15, marginTop: 8 }}>
    {text}
  </Typography.Title>
);

/**
 * The next version, edited from the one the form was loaded from (`basedOnVersion`): a version published by
 * someone else meanwhile is a 409, and the form is then reloaded rather than published over it.
 */
function DraftEditor({ loaded }: { loaded: PublishedPolicy }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const current = useDeadlinePolicy();
  const presets = useDeadlinePolicyPresets();
  const publish = usePublishDeadlinePolicy();
  const [form] = Form.useForm<DraftForm>();
  const [base, setBase] = useState(loaded.policy.version);
  const [kept, setKept] = useState(() => keptOf(draftOf(loaded.policy)));
  const [preset, setPreset] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The server's word on the list thresholds together (their order), shown under their section; so for the light rule.
  const [listsError, setListsError] = useState<string[]>([]);
  const [lightsError, setLightsError] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);
  const inForceLists = current.data?.policy.ranking ?? loaded.policy.ranking;
  const inForceLights = current.data?.policy.lights ?? loaded.policy.lights;
  const days = (min: number) => [
    { required: true, message: t('admin.deadlinePolicy.required') },
    { type: 'integer' as const, min, max: MAX_DAYS, message: t('admin.deadlinePolicy.days', { min, max: MAX_DAYS }) },
  ];

  const optionalDays = [{ type: 'integer' as const, min: 1, max: MAX_DAYS, message: t('admin.deadlinePolicy.days', { min: 1, max: MAX_DAYS }) }];

  const percent = [
    { required: true, message: t('admin.deadlinePolicy.required') },
    { type: 'number' as const, min: 0, max: 100, message: t('admin.deadlinePolicy.percent') },
  ];
  const count = [
    { required: true, message: t('admin.deadlinePolicy.required') },
    { type: 'integer' as const, min: 1, max: MAX_LIST_COUNT, message: t('admin.deadlinePolicy.count', { max: MAX_LIST_COUNT }) },
  ];
  const lagPoints = [
    { required: true, message: t('admin.deadlinePolicy.required') },
    { type: 'integer' as const, min: 1, max: 100, message: t('admin.deadlinePolicy.lagPoints') },
  ];
  // Red lags further behind the plan than yellow (the server says so too, on `lights.redLagPoints`).
  const redBeyondYellow = ({ getFieldValue }: Pick<FormInstance, 'getFieldValue'>) => ({
    validator(_: unknown, red: unknown) {
      const yellow: unknown = getFieldValue(['lights', 'yellowLagPoints']);
      if (typeof yellow !== 'number' || typeof red !== 'number' || red > yellow) return Promise.resolve();
      return Promise.reject(new Error(t('admin.deadlinePolicy.redBeyondYellow')));
    },
  });
  // A step's name is its own within the ladder (the server says so too, on `escalation.N.name`): the later of two
  // steps named alike is the one refused.
  const stepName = (index: number) => [
    { required: true, whitespace: true, message: t('admin.deadlinePolicy.required') },
    { max: MAX_STEP_NAME, message: t('admin.deadlinePolicy.stepNameLength', { max: MAX_STEP_NAME }) },
    ({ getFieldValue }: Pick<FormInstance, 'getFieldValue'>) => ({
      validator(_: unknown, name: unknown) {
        const steps: Array<{ name?: unknown } | undefined> = getFieldValue('escalation') ?? [];
        const mine = typeof name === 'string' ? name.trim() : '';
        const twice = mine !== '' && steps.some((step, other) => other < index && typeof step?.name === 'string' && step.name.trim() === mine);
        return twice ? Promise.reject(new Error(t('admin.deadlinePolicy.stepNameTwice'))) : Promise.resolve();
      },
    }),
  ];

  // The rates rise from the black list to the yellow to the red (the server says so too, on `ranking`).
  const rising = ({ getFieldValue }: Pick<FormInstance, 'getFieldValue'>) => ({
    validator(_: unknown, yellow: unknown) {
      const red: unknown = getFieldValue(['ranking', 'redFromOnTimeRate']);
      const black: unknown = getFieldValue(['ranking', 'blackBelowOnTimeRate']);
      if (typeof yellow !== 'number' || typeof red !== 'number' || typeof black !== 'number' || (black <= yellow && yellow <= red)) return Promise.resolve();
      return Promise.reject(new Error(t('admin.deadlinePolicy.rankingOrder')));
    },
  });

  function load(draft: DeadlinePolicyDraft, inForce: RankingThresholds = inForceLists, inForceRule: LightRule = inForceLights) {
    (form as FormInstance).setFields(form.getFieldsError().map((field) => ({ name: field.name, errors: [] })));
    form.setFieldsValue(toForm(draft, inForce, inForceRule));
    setKept(keptOf(draft));
    setError(null);
    setListsError([]);
    setLightsError([]);
  }

  function choosePreset(key: string) {
    const chosen = presets.data?.find((candidate) => candidate.key === key);
    if (!chosen) return;
    setPreset(key);
    load(chosen.draft);
  }

  async function reload() {
    const fresh = (await current.refetch()).data;
    if (!fresh) return;
    setBase(fresh.policy.version);
    setPreset(null);
    setConflict(false);
    load(draftOf(fresh.policy), fresh.policy.ranking, fresh.policy.lights);
  }

  async function submit(values: DraftForm) {
    setError(null);
    setListsError([]);
    setLightsError([]);
    setConflict(false);
    const note = values.note?.trim();
    try {
      const published = await publish.mutateAsync({ basedOnVersion: base, ...(note ? { note } : {}), policy: toDraft(values, kept) });
      if (published.policy.version === base) void message.info(t('admin.deadlinePolicy.unchanged', { version: base }));
      else void message.success(t('admin.deadlinePolicy.published', { version: published.policy.version }));
      setBase(published.policy.version);
      setPreset(null);
      load(draftOf(published.policy), published.policy.ranking, published.policy.lights);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'POLICY.VERSION_CONFLICT') {
        setConflict(true);
        return;
      }
      setListsError(refusedFields(caught).find((field) => field.field === 'ranking')?.messages ?? []);
      setLightsError(refusedFields(caught).find((field) => field.field === 'lights')?.messages ?? []);
      const { shown, all } = showOnPolicyFields(form, caught, ['ranking', 'lights']);
      if (!shown || !all) setError(caught);
    }
  }

  return (
    <Card
      size="small"
      style={{ marginBottom: 24 }}
      title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('admin.deadlinePolicy.draft')}</Typography.Title>}
      extra={<Typography.Text type="secondary">{t('admin.deadlinePolicy.draftBase', { version: base })}</Typography.Text>}
    >
      {/* Not a field of the draft: choosing one fills the draft's fields. */}
      <Form layout="vertical" component={false}>
        <Form.Item label={t('admin.deadlinePolicy.preset')} htmlFor="policy-preset" extra={t('admin.deadlinePolicy.presetHint')} style={{ maxWidth: 640 }}>
          <Select
            id="policy-preset"
            value={preset}
            onChange={choosePreset}
            loading={presets.isPending}
            options={(presets.data ?? []).map((candidate) => ({ value: candidate.key, label: `${candidate.draft.name} · ${candidate.description}` }))}
          />
        </Form.Item>
      </Form>

      <Form form={form} layout="vertical" initialValues={toForm(draftOf(loaded.policy), loaded.policy.ranking, loaded.policy.lights)} onFinish={submit}>
        <Form.Item name="name" label={t('admin.deadlinePolicy.name')} rules={[{ required: true, whitespace: true, max: 100, message: t('admin.deadlinePolicy.required') }]} style={{ maxWidth: 640 }}>
          <Input maxLength={100} />
        </Form.Item>

        {sectionTitle(t('admin.deadlinePolicy.periods'))}
        <Row gutter={16}>
          {SEVERITIES.map((severity) => (
            <Col key={severity} xs={12} md={6} lg={4}>
              <Form.Item name={['rectificationWorkingDays', severity]} label={t(dynamicKey('severity', severity))} rules={days(1)}>
                <InputNumber style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ))}
        </Row>

        {sectionTitle(t('admin.deadlinePolicy.categories'))}
        <Typography.Paragraph type="secondary">{t('admin.deadlinePolicy.categoriesIntro')}</Typography.Paragraph>
        <Form.List name="categories">
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.length > 0 && (
                <Row gutter={8} aria-hidden style={{ fontWeight: 600, marginBottom: 4 }}>
                  <Col xs={24} md={8}>{t('admin.deadlinePolicy.category')}</Col>
                  {SEVERITIES.map((severity) => (
                    <Col key={severity} xs={0} md={3}>
                      {t(dynamicKey('severity', severity))}
                    </Col>
                  ))}
                </Row>
              )}
              {fields.map((field, index) => (
                <Row key={field.key} gutter={8} align="top">
                  <Col xs={24} md={8}>
                    <Form.Item name={[field.name, 'category']} rules={[{ required: true, whitespace: true, max: 64, message: t('admin.deadlinePolicy.required') }]}>
                      <Input maxLength={64} aria-label={t('admin.deadlinePolicy.categoryName', { n: index + 1 })} />
                    </Form.Item>
                  </Col>
                  {SEVERITIES.map((severity) => (
                    <Col key={severity} xs={6} md={3}>
                      <Form.Item name={[field.name, 'rectificationWorkingDays', severity]} rules={days(1)}>
                        <InputNumber style={{ width: '100%' }} aria-label={t('admin.deadlinePolicy.categoryDays', { n: index + 1, severity: t(dynamicKey('severity', severity)) })} />
                      </Form.Item>
                    </Col>
                  ))}
                  <Col xs={24} md={4}>
                    <Button onClick={() => remove(field.name)}>{t('admin.deadlinePolicy.removeCategory', { n: index + 1 })}</Button>
                  </Col>
                </Row>
              ))}
              <Button
                onClick={() => add({ category: '', rectificationWorkingDays: { ...form.getFieldValue('rectificationWorkingDays') } })}
                disabled={fields.length >= MAX_CATEGORIES}
                style={{ marginBottom: 16 }}
              >
                {t('admin.deadlinePolicy.addCategory')}
              </Button>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>

        {sectionTitle(t('admin.deadlinePolicy.reminders'))}
        <Form.List name="remindersBeforeWorkingDays">
          {(fields, { add, remove }, { errors }) => (
            <>
              <Space wrap align="start">
                {fields.map((field, index) => (
                  <Space key={field.key} align="start">
                    <Form.Item name={field.name} rules={days(1)}>
                      <InputNumber aria-label={t('admin.deadlinePolicy.reminder', { n: index + 1 })} />
                    </Form.Item>
                    <Button onClick={() => remove(field.name)}>{t('admin.deadlinePolicy.removeReminder', { n: index + 1 })}</Button>
                  </Space>
                ))}
              </Space>
              <div>
                <Button onClick={() => add()} disabled={fields.length >= MAX_ROWS} style={{ marginBottom: 16 }}>
                  {t('admin.deadlinePolicy.addReminder')}
                </Button>
              </div>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>

        {sectionTitle(t('admin.deadlinePolicy.escalation'))}
        <Typography.Paragraph type="secondary">{t('admin.deadlinePolicy.escalationIntro')}</Typography.Paragraph>
        <Form.List name="escalation">
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.length > 0 && (
                <Row gutter={8} aria-hidden style={{ fontWeight: 600, marginBottom: 4 }}>
                  <Col xs={4} md={2}>{t('admin.deadlinePolicy.level')}</Col>
                  <Col xs={20} md={4}>{t('admin.deadlinePolicy.stepName')}</Col>
                  <Col xs={0} md={4}>{t('admin.deadlinePolicy.afterDeadline')}</Col>
                  <Col xs={0} md={5}>{t('admin.deadlinePolicy.recipients')}</Col>
                  <Col xs={0} md={4}>{t('admin.deadlinePolicy.responseDays')}</Col>
                </Row>
              )}
              {fields.map((field, index) => (
                <Row key={field.key} gutter={8} align="top">
                  <Col xs={4} md={2} style={{ paddingTop: 5 }}>
                    {t('admin.deadlinePolicy.levelN', { level: index + 1 })}
                  </Col>
                  <Col xs={20} md={4}>
                    <Form.Item name={[field.name, 'name']} rules={stepName(index)}>
                      <Input maxLength={MAX_STEP_NAME} aria-label={t('admin.deadlinePolicy.stepNameOf', { level: index + 1 })} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4}>
                    <Form.Item name={[field.name, 'workingDaysAfterDeadline']} rules={days(0)}>
                      <InputNumber style={{ width: '100%' }} aria-label={t('admin.deadlinePolicy.stepAfter', { level: index + 1 })} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={5}>
                    <Form.Item name={[field.name, 'recipients']} rules={[{ required: true, message: t('admin.deadlinePolicy.required') }]}>
                      <Select
                        aria-label={t('admin.deadlinePolicy.stepRecipients', { level: index + 1 })}
                        options={RECIPIENTS.map((value) => ({ value, label: t(dynamicKey('department.deadline.recipients', value)) }))}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4}>
                    <Form.Item name={[field.name, 'responseWorkingDays']} rules={optionalDays}>
                      <InputNumber
                        style={{ width: '100%' }}
                        placeholder={t('admin.deadlinePolicy.noResponse')}
                        aria-label={t('admin.deadlinePolicy.stepResponse', { level: index + 1 })}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={5}>
                    <Button onClick={() => remove(field.name)}>{t('admin.deadlinePolicy.removeStep', { level: index + 1 })}</Button>
                  </Col>
                </Row>
              ))}
              <Button onClick={() => add({ name: defaultStepName(fields.length + 1), recipients: 'leadership', responseWorkingDays: null })} disabled={fields.length >= MAX_ROWS} style={{ marginBottom: 16 }}>
                {t('admin.deadlinePolicy.addStep')}
              </Button>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>

        <Form.Item name="verificationWorkingDays" label={t('admin.deadlinePolicy.verification')} rules={days(1)}>
          <InputNumber />
        </Form.Item>

        {sectionTitle(t('admin.deadlinePolicy.lights'))}
        <Form.Item name={['lights', 'kind']} label={t('admin.deadlinePolicy.lightRule')}>
          <Radio.Group options={LIGHT_KINDS.map((kind) => ({ value: kind, label: t(dynamicKey('admin.deadlinePolicy.lightRule', kind)) }))} />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(before, after) => before.lights?.kind !== after.lights?.kind}>
          {() =>
            form.getFieldValue(['lights', 'kind']) === 'progress' ? (
              <>
                <Typography.Paragraph type="secondary">{t('admin.deadlinePolicy.lightsIntroProgress')}</Typography.Paragraph>
                <Row gutter={16}>
                  <Col xs={24} md={8}>
                    <Form.Item name={['lights', 'yellowLagPoints']} label={t('admin.deadlinePolicy.yellowLag')} rules={lagPoints}>
                      <InputNumber style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item
                      name={['lights', 'redLagPoints']}
                      label={t('admin.deadlinePolicy.redLag')}
                      rules={[...lagPoints, redBeyondYellow]}
                      dependencies={[['lights', 'yellowLagPoints']]}
                    >
                      <InputNumber style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                </Row>
              </>
            ) : (
              <Typography.Paragraph type="secondary">{t('admin.deadlinePolicy.lightsIntro')}</Typography.Paragraph>
            )
          }
        </Form.Item>
        {/* Each step by its level and name; redrawn as rows come and go and are renamed. */}
        <Form.Item noStyle shouldUpdate={(before, after) => JSON.stringify(before.escalation?.map((step: { name?: string } | undefined) => step?.name)) !== JSON.stringify(after.escalation?.map((step: { name?: string } | undefined) => step?.name))}>
          {() => (
            <Form.Item name={['lights', 'blackFromEscalationLevel']} label={t('admin.deadlinePolicy.blackFrom')} htmlFor="policy-black-from" style={{ maxWidth: 320 }}>
              <Select
                id="policy-black-from"
                options={[
                  { value: 0, label: t('admin.deadlinePolicy.blackNever') },
                  ...((form.getFieldValue('escalation') ?? []) as Array<{ name?: string } | undefined>).map((step, index) => {
                    const level = t('admin.deadlinePolicy.levelN', { level: index + 1 });
                    const name = step?.name?.trim();
                    return { value: index + 1, label: name ? `${level} · ${name}` : level };
                  }),
                ]}
              />
            </Form.Item>
          )}
        </Form.Item>
        <Form.ErrorList errors={lightsError} />

        {sectionTitle(t('admin.deadlinePolicy.ranking'))}
        <Typography.Paragraph type="secondary">{t('admin.deadlinePolicy.rankingIntro')}</Typography.Paragraph>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name={['ranking', 'redFromOnTimeRate']} label={t('admin.deadlinePolicy.redFrom')} rules={percent}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name={['ranking', 'yellowBelowOnTimeRate']}
              label={t('admin.deadlinePolicy.yellowBelow')}
              rules={[...percent, rising]}
              dependencies={[
                ['ranking', 'redFromOnTimeRate'],
                ['ranking', 'blackBelowOnTimeRate'],
              ]}
            >
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name={['ranking', 'yellowFromOverdue']} label={t('admin.deadlinePolicy.yellowFromOverdue')} rules={count}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name={['ranking', 'blackBelowOnTimeRate']} label={t('admin.deadlinePolicy.blackBelow')} rules={percent}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="blackByEscalations" label={t('admin.deadlinePolicy.blackByEscalations')} htmlFor="policy-black-by-escalations">
              <Select
                id="policy-black-by-escalations"
                options={[
                  { value: false, label: t('admin.deadlinePolicy.blackEscalationsNever') },
                  { value: true, label: t('admin.deadlinePolicy.blackEscalationsFrom') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            {/* Asked only when escalations count: "never" is the rule's null, not a number. */}
            <Form.Item noStyle shouldUpdate={(before, after) => before.blackByEscalations !== after.blackByEscalations}>
              {() =>
                form.getFieldValue('blackByEscalations') && (
                  <Form.Item name={['ranking', 'blackFromEscalated']} label={t('admin.deadlinePolicy.blackFromEscalated')} rules={count}>
                    <InputNumber style={{ width: '100%' }} />
                  </Form.Item>
                )
              }
            </Form.Item>
          </Col>
        </Row>
        <Form.ErrorList errors={listsError} />

        <Form.Item name="note" label={t('admin.deadlinePolicy.publishNote')} extra={t('admin.deadlinePolicy.publishNoteHint')} rules={[{ max: 500 }]} style={{ maxWidth: 640 }}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>

        {conflict && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('admin.deadlinePolicy.conflict')}
            action={<Button onClick={reload}>{t('admin.deadlinePolicy.reload')}</Button>}
          />
        )}
        {error !== null && (
          <div style={{ marginBottom: 16 }}>
            <ErrorNotice error={error} />
          </div>
        )}
        <Button type="primary" htmlType="submit" loading={publish.isPending}>
          {t('admin.deadlinePolicy.publish')}
        </Button>
      </Form>
    </Card>
  );
}

function History() {
  const { t, language } = useI18n();
  const versions = useDeadlinePolicyVersions();
  return (
    <Card size="small" title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('admin.deadlinePolicy.history')}</Typography.Title>}>
      {versions.error ? (
        <ErrorNotice error={versions.error} />
      ) : (
        <Table<PublishedPolicy>
          rowKey={(row) => row.policy.version}
          size="small"
          pagination={false}
          scroll={{ x: true }}
          loading={versions.isPending}
          dataSource={versions.data ?? []}
          columns={[
            { title: t('admin.deadlinePolicy.version'), key: 'version', render: (_: unknown, row) => t('admin.deadlinePolicy.versionN', { version: row.policy.version }) },
            { title: t('admin.deadlinePolicy.name'), key: 'name', render: (_: unknown, row) => row.policy.name },
            { title: t('admin.deadlinePolicy.publishedAt'), key: 'at', render: (_: unknown, row) => (row.publication ? formatInstant(row.publication.at, language) : '—') },
            { title: t('admin.deadlinePolicy.publishedBy'), key: 'by', render: (_: unknown, row) => row.publication?.actorName ?? t('admin.deadlinePolicy.builtIn') },
            { title: t('admin.deadlinePolicy.note'), key: 'note', render: (_: unknown, row) => row.publication?.note || '—' },
          ]}
        />
      )}
    </Card>
  );
}
