import { DEFAULT_DEADLINE_POLICY, type DeadlinePolicyDraft } from './deadline.policy.js';

/** A policy taken from practice, offered to admins as the start of a new version. */
export interface PolicyPreset {
  key: string;
  /** What it is for, in a line (the console shows it beside the name). */
  description: string;
  draft: DeadlinePolicyDraft;
}

const { id: _id, version: _version, ...BUILT_IN } = DEFAULT_DEADLINE_POLICY;

/**
 * Presets: the safety inspection periods this product has always used, and the time limits supervision offices
 * (督查督办) commonly set — 1 to 5 working days for urgent instructions of leaders, 15 for ordinary matters, 30 for
 * difficult ones.
 */
export const POLICY_PRESETS: readonly PolicyPreset[] = [
  {
    key: 'safety-inspection',
    description: '安全检查：重大隐患 3 个工作日，较大 10 个，一般 20 个，轻微 30 个',
    // The built-in version 1, under its own name.
    draft: { ...BUILT_IN, name: '安全检查整改时限' },
  },
  {
    key: 'supervision-office',
    description: '督查督办：紧急批示 1–5 个工作日，一般事项 15 个，疑难事项 30 个；督办通知书、提醒书、告诫书、约谈、问责',
    draft: {
      name: '督查督办办理时限',
      rectificationWorkingDays: { critical: 5, major: 15, general: 15, minor: 15 },
      categories: [
        { category: '领导批示（紧急）', rectificationWorkingDays: { critical: 1, major: 3, general: 5, minor: 5 } },
        { category: '一般督办事项', rectificationWorkingDays: { critical: 15, major: 15, general: 15, minor: 15 } },
        { category: '疑难复杂事项', rectificationWorkingDays: { critical: 30, major: 30, general: 30, minor: 30 } },
      ],
      remindersBeforeWorkingDays: [3, 1],
      // The ladder of a supervision office: a notice at the deadline, a reminder, a warning, the summons of the
      // responsible leader (约谈, black from here), accountability.
      escalation: [
        // the notice, the reminder and the warning each ask for a written account (书面说明) within days
        { level: 1, name: '督办通知书', workingDaysAfterDeadline: 0, recipients: 'departmentHead', responseWorkingDays: 3 },
        { level: 2, name: '提醒书', workingDaysAfterDeadline: 2, recipients: 'departmentHead', responseWorkingDays: 2 },
        { level: 3, name: '告诫书', workingDaysAfterDeadline: 5, recipients: 'supervisingOffice', responseWorkingDays: 2 },
        { level: 4, name: '约谈', workingDaysAfterDeadline: 10, recipients: 'leadership', responseWorkingDays: null },
        { level: 5, name: '问责', workingDaysAfterDeadline: 15, recipients: 'leadership', responseWorkingDays: null },
      ],
      verificationWorkingDays: 5,
      lights: { kind: 'timeLeft', blackFromEscalationLevel: 4 },
      // Offices publishing monthly lists commend full marks and warn at the first overdue matter.
      ranking: { redFromOnTimeRate: 1, yellowBelowOnTimeRate: 0.9, yellowFromOverdue: 1, blackBelowOnTimeRate: 0.7, blackFromEscalated: 2 },
    },
  },
];
