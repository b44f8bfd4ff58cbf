import { DEFAULT_RANKING_THRESHOLDS, type DepartmentTree, type RankingThresholds, SEVERITIES, type Severity, type TreeDepartment } from '#domain';
import type { DeadlineBasis } from './rectification.events.js';
import type { LightRule } from './traffic-light.js';

/** Who an escalation level is addressed to, along the department tree. */
export type EscalationRecipients = 'departmentHead' | 'supervisingOffice' | 'leadership';

export interface EscalationStep {
  level: number;
  /** What the office calls the step (督办通知书, 提醒书, 告诫书, 约谈, 问责 …): its notices and messages say it. */
  name: string;
  /** Working days after the rectification deadline. */
  workingDaysAfterDeadline: number;
  recipients: EscalationRecipients;
  /**
   * Whether the step's sheet asks the department for a written response (书面回复), and within how many working days
   * of its issue; null: none asked.
   */
  responseWorkingDays: number | null;
}

/**
 * The deadline policy, as data: how many working days each severity gets to be rectified, when reminders go
 * out and how an overdue problem climbs the supervising chain. An explicit deadline given at ASSIGN (or at
 * filing) overrides the rectification period.
 */
export interface DeadlinePolicy {
  id: string;
  version: number;
  /** What the organisation calls it (e.g. 安全检查整改时限). */
  name: string;
  rectificationWorkingDays: Record<Severity, number>;
  /** Kinds of matter (problem categories) with periods of their own; the severity's period for any other. */
  categories: CategoryPeriods[];
  /** Reminders to the responsible department, in working days before the deadline. */
  remindersBeforeWorkingDays: number[];
  /** Escalation ladder (listed supervision, 挂牌督办, at the top). */
  escalation: EscalationStep[];
  /** A submitted rectification not verified within this many working days escalates on the verifying side. */
  verificationWorkingDays: number;
  /** How its problems are lit (红黄绿灯). */
  lights: LightRule;
  /** What puts a department on the red, yellow or black list (红黄黑榜); the ranking reads the version in force. */
  ranking: RankingThresholds;
}

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  id: 'default',
  version: 1,
  name: '默认整改时限',
  categories: [],
  rectificationWorkingDays: { critical: 3, major: 10, general: 20, minor: 30 },
  remindersBeforeWorkingDays: [3, 1],
  escalation: [
    { level: 1, name: '一级督办', workingDaysAfterDeadline: 0, recipients: 'departmentHead', responseWorkingDays: null },
    { level: 2, name: '二级督办', workingDaysAfterDeadline: 3, recipients: 'supervisingOffice', responseWorkingDays: null },
    { level: 3, name: '挂牌督办', workingDaysAfterDeadline: 10, recipients: 'leadership', responseWorkingDays: null },
  ],
  verificationWorkingDays: 5,
  // Black at listed supervision (挂牌督办), the top of the ladder.
  lights: { kind: 'timeLeft', blackFromEscalationLevel: 3 },
  ranking: DEFAULT_RANKING_THRESHOLDS,
};

/**
 * A version as stored: versions published before a part of the policy existed get that part from the built-in
 * policy (the ranking's thresholds), so every version in memory is complete.
 */
export function completePolicy(stored: StoredPolicy): DeadlinePolicy {
  return {
    ...stored,
    escalation: namedSteps(stored.escalation),
    ranking: stored.ranking ?? DEFAULT_DEADLINE_POLICY.ranking,
  };
}

/** A version as an earlier release stored it: without the ranking's thresholds, its steps without names. */
export type StoredPolicy = Omit<DeadlinePolicy, 'ranking' | 'escalation'> &
  Partial<Pick<DeadlinePolicy, 'ranking'>> & { escalation: UnnamedStep[] };

const CHINESE_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 二级 for level 2; levels past ten (not configured in practice) in digits. */
export function chineseLevel(level: number): string {
  return `${CHINESE_NUMERALS[level - 1] ?? String(level)}级`;
}

/** A step as sent or stored before its parts existed: without a name, without a written response. */
export type UnnamedStep = Omit<EscalationStep, 'name' | 'responseWorkingDays'> & { name?: string; responseWorkingDays?: number | null };

/** The ladder complete: a step nobody named is named by its level; one that says nothing asks for no written response. */
export function namedSteps(steps: readonly UnnamedStep[]): EscalationStep[] {
  return steps.map((step) => ({ ...step, name: step.name ?? defaultStepName(step.level), responseWorkingDays: step.responseWorkingDays ?? null }));
}

/** The name of a step nobody named: 一级督办, 二级督办 … */
export function defaultStepName(level: number): string {
  return `${chineseLevel(level)}督办`;
}

/**
 * The department an escalation addresses: the department itself (`departmentHead`), the office above it
 * (`supervisingOffice`; the department itself at the top) or the top of its tree (`leadership`).
 */
export function escalationDepartment<T extends TreeDepartment>(tree: DepartmentTree<T>, departmentId: string, recipients: EscalationRecipients): T | null {
  const chain = tree.chain(departmentId);
  if (chain.length === 0) return null;
  if (recipients === 'departmentHead') return chain[0];
  if (recipients === 'supervisingOffice') return chain[1] ?? chain[0];
  return chain[chain.length - 1];
}

/** Which policy version a problem runs under, as its deadline basis records it. */
export interface PolicyStamp {
  policyId: string;
  policyVersion: number;
}

/** A kind of matter (the problem's category) with rectification periods of its own. */
export interface CategoryPeriods {
  category: string;
  rectificationWorkingDays: Record<Severity, number>;
}

/**
 * The versions of the deadline policy an organisation has published: new assignments run under the current one, a
 * problem already assigned under the version it was stamped with (until a supervisor recounts it).
 */
export interface DeadlinePolicyBook {
  current(): DeadlinePolicy;
  /** A published version; null when this process does not know it (yet). */
  find(stamp: PolicyStamp): DeadlinePolicy | null;
}

/** A book of one version: the built-in policy, for tests and tools that run without a database. */
export function singlePolicyBook(policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY): DeadlinePolicyBook {
  return {
    current: () => policy,
    find: (stamp) => (stamp.policyId === policy.id && stamp.policyVersion === policy.version ? policy : null),
  };
}

/** The stamp a deadline basis carries; null for an unstamped one, which runs under the built-in version 1. */
export function policyStampOf(basis: DeadlineBasis | null): PolicyStamp | null {
  if (basis === null) return null;
  if (basis.kind === 'policy') return { policyId: basis.policyId, policyVersion: basis.policyVersion };
  return basis.policyId === undefined || basis.policyVersion === undefined ? null : { policyId: basis.policyId, policyVersion: basis.policyVersion };
}

/** The stamp of a policy version. */
export function stampOfPolicy(policy: DeadlinePolicy): PolicyStamp {
  return { policyId: policy.id, policyVersion: policy.version };
}

/**
 * The policy a problem runs under: the version its deadline basis was stamped with. Problems assigned before policies
 * were stamped ran under the built-in version 1 and keep it. A stamp this book does not know is a defect of the
 * caller, which must load it first (DeadlinePolicyProvider.ensure).
 */
export function policyOf(book: DeadlinePolicyBook, basis: DeadlineBasis | null): DeadlinePolicy {
  const stamp = policyStampOf(basis) ?? stampOfPolicy(DEFAULT_DEADLINE_POLICY);
  const policy = book.find(stamp);
  if (policy) return policy;
  if (stamp.policyId === DEFAULT_DEADLINE_POLICY.id && stamp.policyVersion === DEFAULT_DEADLINE_POLICY.version) return DEFAULT_DEADLINE_POLICY;
  throw new Error(`Deadline policy ${stamp.policyId} version ${stamp.policyVersion} is not loaded`);
}

/** Whether this is the built-in version 1, the one an unstamped deadline runs under. */
export function isBuiltInPolicy(policy: DeadlinePolicy): boolean {
  return policy.id === DEFAULT_DEADLINE_POLICY.id && policy.version === DEFAULT_DEADLINE_POLICY.version;
}

/** The rectification period a problem of this severity and category gets: its category's, else the severity's. */
export function rectificationWorkingDaysFor(policy: DeadlinePolicy, severity: Severity, category: string | null): number {
  const periods = category === null ? undefined : policy.categories.find((candidate) => candidate.category === category);
  return (periods ?? policy).rectificationWorkingDays[severity];
}

/** A policy as an admin writes it: the next version gets its id and number when published. */
export type DeadlinePolicyDraft = Omit<DeadlinePolicy, 'id' | 'version'>;

/** Bounds of a policy an admin may publish: a year has about 250 working days. */
export const POLICY_LIMITS = {
  maxWorkingDays: 250,
  maxReminders: 10,
  maxEscalationSteps: 10,
  maxCategories: 200,
  maxNameLength: 100,
  maxCategoryLength: 64,
  maxStepNameLength: 32,
  /** Problems that put a department on a list: more than any department has in a period. */
  maxListCount: 100_000,
} as const;

const RECIPIENTS: readonly EscalationRecipients[] = ['departmentHead', 'supervisingOffice', 'leadership'];

/**
 * What is wrong with a draft, field by field (empty: it may be published). The shape is checked by the HTTP layer;
 * this checks what a person can get wrong: ranges, order, duplicates. Pure.
 */
export function policyDraftProblems(draft: DeadlinePolicyDraft): Array<{ field: string; messages: string[] }> {
  const problems: Array<{ field: string; messages: string[] }> = [];
  const add = (field: string, message: string) => problems.push({ field, messages: [message] });
  const days = (field: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min || value > POLICY_LIMITS.maxWorkingDays) {
      add(field, `${field} must be a whole number of working days from ${min} to ${POLICY_LIMITS.maxWorkingDays}.`);
    }
  };
  if (draft.name.trim().length === 0 || draft.name.length > POLICY_LIMITS.maxNameLength) {
    add('name', `name must be 1 to ${POLICY_LIMITS.maxNameLength} characters.`);
  }
  for (const severity of SEVERITIES) days(`rectificationWorkingDays.${severity}`, draft.rectificationWorkingDays[severity], 1);
  days('verificationWorkingDays', draft.verificationWorkingDays, 1);
  const reminders = draft.remindersBeforeWorkingDays;
  if (reminders.length > POLICY_LIMITS.maxReminders) add('remindersBeforeWorkingDays', `At most ${POLICY_LIMITS.maxReminders} reminders.`);
  reminders.forEach((before, index) => days(`remindersBeforeWorkingDays.${index}`, before, 1));
  if (new Set(reminders).size !== reminders.length) add('remindersBeforeWorkingDays', 'Each reminder must fall on a different working day before the deadline.');
  const ladder = draft.escalation;
  if (ladder.length > POLICY_LIMITS.maxEscalationSteps) add('escalation', `At most ${POLICY_LIMITS.maxEscalationSteps} escalation steps.`);
  ladder.forEach((step, index) => {
    if (step.level !== index + 1) add(`escalation.${index}.level`, `Escalation steps are numbered 1, 2, 3… in order: step ${index + 1} has level ${step.level}.`);
    days(`escalation.${index}.workingDaysAfterDeadline`, step.workingDaysAfterDeadline, 0);
    if (index > 0 && step.workingDaysAfterDeadline <= ladder[index - 1].workingDaysAfterDeadline) {
      add(`escalation.${index}.workingDaysAfterDeadline`, `Step ${index + 1} must come later after the deadline than step ${index}.`);
    }
    if (!RECIPIENTS.includes(step.recipients)) add(`escalation.${index}.recipients`, `recipients must be one of ${RECIPIENTS.join(', ')}.`);
    if (step.responseWorkingDays !== null) days(`escalation.${index}.responseWorkingDays`, step.responseWorkingDays, 1);
    const name = step.name.trim();
    if (name.length === 0 || name.length > POLICY_LIMITS.maxStepNameLength || name !== step.name) {
      add(`escalation.${index}.name`, `name must be 1 to ${POLICY_LIMITS.maxStepNameLength} characters, without spaces around it.`);
    } else if (ladder.slice(0, index).some((earlier) => earlier.name === name)) {
      add(`escalation.${index}.name`, `Step ${index + 1} has the name of an earlier step (${name}).`);
    }
  });
  const rule = draft.lights;
  if (rule.kind === 'progress') {
    for (const field of ['yellowLagPoints', 'redLagPoints'] as const) {
      const points = rule[field];
      if (!Number.isInteger(points) || points < 1 || points > 100) add(`lights.${field}`, `lights.${field} must be a whole number of percentage points from 1 to 100.`);
    }
    if (rule.redLagPoints <= rule.yellowLagPoints) add('lights.redLagPoints', 'lights.redLagPoints must be more points behind the plan than lights.yellowLagPoints.');
  }
  const black = draft.lights.blackFromEscalationLevel;
  if (black !== null && (!Number.isInteger(black) || black < 1 || black > ladder.length)) {
    add('lights.blackFromEscalationLevel', `lights.blackFromEscalationLevel must be a step of the ladder (1 to ${ladder.length}), or null for never.`);
  }
  const lists = draft.ranking;
  const rate = (field: keyof RankingThresholds) => {
    const value = lists[field];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) add(`ranking.${field}`, `ranking.${field} must be a rate from 0 to 1 (e.g. 0.8 for 80%).`);
  };
  const count = (field: keyof RankingThresholds) => {
    const value = lists[field];
    if (value !== null && (!Number.isInteger(value) || (value as number) < 1 || (value as number) > POLICY_LIMITS.maxListCount)) {
      add(`ranking.${field}`, `ranking.${field} must be a whole number of problems from 1 to ${POLICY_LIMITS.maxListCount}.`);
    }
  };
  rate('redFromOnTimeRate');
  rate('yellowBelowOnTimeRate');
  rate('blackBelowOnTimeRate');
  count('yellowFromOverdue');
  count('blackFromEscalated');
  if (lists.blackBelowOnTimeRate > lists.yellowBelowOnTimeRate || lists.yellowBelowOnTimeRate > lists.redFromOnTimeRate) {
    add('ranking', 'The rates must rise from the black list to the yellow to the red: black below ≤ yellow below ≤ red from.');
  }
  if (draft.categories.length > POLICY_LIMITS.maxCategories) add('categories', `At most ${POLICY_LIMITS.maxCategories} categories.`);
  const seen = new Set<string>();
  draft.categories.forEach((periods, index) => {
    const name = periods.category.trim();
    if (name.length === 0 || name.length > POLICY_LIMITS.maxCategoryLength || name !== periods.category) {
      add(`categories.${index}.category`, `category must be 1 to ${POLICY_LIMITS.maxCategoryLength} characters, without spaces around it.`);
    }
    if (seen.has(name)) add(`categories.${index}.category`, `Category ${name} is listed twice.`);
    seen.add(name);
    for (const severity of SEVERITIES) days(`categories.${index}.rectificationWorkingDays.${severity}`, periods.rectificationWorkingDays[severity], 1);
  });
  return problems;
}

/** A draft that is the same policy as a published version (publishing it would change nothing). */
export function sameAsPolicy(draft: DeadlinePolicyDraft, policy: DeadlinePolicy): boolean {
  const { id: _id, version: _version, ...published } = policy;
  return canonical(published) === canonical(draft);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}
