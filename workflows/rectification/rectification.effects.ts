import type { DeadlinePolicy, EscalationRecipients } from './deadline.policy.js';
import { DOMAIN_EVENT_NAMES, FILE_EVENT, type RectificationEvent } from './rectification.events.js';

/**
 * A supervision notice (督办单) an accepted event issues, addressed by rule: to the department `recipients` names
 * along the supervising chain from `from`. The engine resolves it to a department and its head.
 */
export interface NoticeIntent {
  kind: 'escalation' | 'verification';
  /** The escalation level (0 for a verification notice). */
  level: number;
  /** Where the chain is walked from: the responsible department, or the filer's office. */
  from: string;
  recipients: EscalationRecipients;
}

/**
 * A numbered supervision sheet (督办单) a ladder step issues: one per step, whoever its notices go to. The engine
 * gives it its number and the facts it prints (the department, its head, the issuing office) as they stand then.
 */
export interface SheetIntent {
  level: number;
  /** The step's name, which is the sheet's title (督办通知书, 约谈 …). */
  stepName: string;
  /** The department responsible, whose supervising office issues the sheet. */
  departmentId: string;
  /** Working days the department has to respond in writing; null: no response asked. */
  responseWorkingDays: number | null;
}

/** What an accepted event issues besides the new snapshot, all written in the event's transaction. */
export interface EventEffects {
  /** The domain event for the outbox: its name and its data. */
  outbox: { type: string; data: Record<string, unknown> };
  notices: NoticeIntent[];
  /** ESCALATE: the step's numbered sheet. */
  sheet?: SheetIntent;
  /** ASSIGN, REASSIGN: the department now responsible, which keeps seeing the problem afterwards. */
  assignedDepartmentId?: string;
  /** SUBMIT: the evidence files it hands in, linked to the new version. */
  submittedEvidenceIds?: string[];
}

/** A timer fired more than this after it fell due is marked late (after downtime, or a busy scheduler). */
export const LATE_AFTER_MS = 60_000;

/** The outbox event of a filing (not a machine event: it creates the machine). */
export function filingOutbox(payload: Record<string, unknown>): EventEffects['outbox'] {
  return { type: DOMAIN_EVENT_NAMES[FILE_EVENT], data: payload };
}

/**
 * What an event the machine accepted issues, for a problem assigned to `departmentId` and filed from
 * `filerDepartmentId`:
 * - every event: one domain event, carrying the event's fields (a timer's also whether it fired late);
 * - ESCALATE to level n: a notice to the recipients of the ladder's step n, up the responsible department's chain,
 *   the step's numbered sheet, and the step's name in the domain event;
 * - VERIFICATION_OVERDUE: a notice to the head of the office that filed the problem;
 * - ASSIGN, REASSIGN: the department's lasting link to the problem; SUBMIT: its evidence.
 */
export function effectsOf(
  event: RectificationEvent,
  problem: { departmentId: string | null; filerDepartmentId: string | null },
  policy: DeadlinePolicy,
): EventEffects {
  const { at, actorId: _actorId, ...fields } = event;
  const data: Record<string, unknown> =
    'scheduledFor' in event ? { ...fields, late: Date.parse(at) - Date.parse(event.scheduledFor) > LATE_AFTER_MS } : fields;
  const effects: EventEffects = { outbox: { type: DOMAIN_EVENT_NAMES[event.type], data }, notices: [] };
  switch (event.type) {
    case 'ESCALATE': {
      const step = policy.escalation.find((candidate) => candidate.level === event.level);
      // the step's name, as the policy the problem runs under calls it (督办通知书 …), for messages and readers
      if (step) data.step = step.name;
      if (step && problem.departmentId) {
        effects.notices.push({ kind: 'escalation', level: event.level, from: problem.departmentId, recipients: step.recipients });
        effects.sheet = { level: event.level, stepName: step.name, departmentId: problem.departmentId, responseWorkingDays: step.responseWorkingDays };
      }
      break;
    }
    case 'VERIFICATION_OVERDUE':
      if (problem.filerDepartmentId) {
        effects.notices.push({ kind: 'verification', level: 0, from: problem.filerDepartmentId, recipients: 'departmentHead' });
      }
      break;
    case 'ASSIGN':
    case 'REASSIGN':
      effects.assignedDepartmentId = event.departmentId;
      break;
    case 'SUBMIT':
      if (event.evidence && event.evidence.length > 0) effects.submittedEvidenceIds = event.evidence.map((file) => file.id);
      break;
    default:
      break;
  }
  return effects;
}
