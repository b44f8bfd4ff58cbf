import type { DepartmentTree, Severity, TreeDepartment } from '#domain';

/** Who an escalation level is addressed to, along the department tree. */
export type EscalationRecipients = 'departmentHead' | 'supervisingOffice' | 'leadership';

export interface EscalationStep {
  level: number;
  /** Working days after the rectification deadline. */
  workingDaysAfterDeadline: number;
  recipients: EscalationRecipients;
}

/**
 * The deadline policy, as data: how many working days each severity gets to be rectified, when reminders go
 * out and how an overdue problem climbs the supervising chain. An explicit deadline given at ASSIGN (or at
 * filing) overrides the rectification period.
 */
export interface DeadlinePolicy {
  id: string;
  version: number;
  rectificationWorkingDays: Record<Severity, number>;
  /** Reminders to the responsible department, in working days before the deadline. */
  remindersBeforeWorkingDays: number[];
  /** Escalation ladder (listed supervision, 挂牌督办, at the top). */
  escalation: EscalationStep[];
  /** A submitted rectification not verified within this many working days escalates on the verifying side. */
  verificationWorkingDays: number;
}

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  id: 'default',
  version: 1,
  rectificationWorkingDays: { critical: 3, major: 10, general: 20, minor: 30 },
  remindersBeforeWorkingDays: [3, 1],
  escalation: [
    { level: 1, workingDaysAfterDeadline: 0, recipients: 'departmentHead' },
    { level: 2, workingDaysAfterDeadline: 3, recipients: 'supervisingOffice' },
    { level: 3, workingDaysAfterDeadline: 10, recipients: 'leadership' },
  ],
  verificationWorkingDays: 5,
};

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
