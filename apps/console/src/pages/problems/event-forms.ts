/**
 * What each event asks of the person sending it, as the server's event DTOs define it
 * (apps/server/src/problems/dto/problem-event.dto.ts): one form per event type, nothing more.
 */
export type FieldKind = 'text' | 'textarea' | 'instant' | 'date' | 'department' | 'percent';

export interface EventField {
  name: string;
  kind: FieldKind;
  required: boolean;
}

const reason = (required = true): EventField => ({ name: 'reason', kind: 'textarea', required });
const comment = (required = true): EventField => ({ name: 'comment', kind: 'textarea', required });

export const EVENT_FIELDS: Record<string, EventField[]> = {
  ASSIGN: [
    { name: 'departmentId', kind: 'department', required: true },
    { name: 'responsiblePerson', kind: 'text', required: false },
    { name: 'deadline', kind: 'instant', required: false },
  ],
  REASSIGN: [{ name: 'departmentId', kind: 'department', required: true }, reason()],
  START: [
    { name: 'measures', kind: 'textarea', required: true },
    { name: 'responsiblePerson', kind: 'text', required: true },
    { name: 'plannedCompletionDate', kind: 'date', required: true },
  ],
  REPORT_PROGRESS: [
    { name: 'note', kind: 'textarea', required: true },
    { name: 'percent', kind: 'percent', required: false },
  ],
  SUBMIT: [{ name: 'summary', kind: 'textarea', required: true }],
  APPROVE: [comment()],
  REJECT: [reason()],
  CLOSE: [comment()],
  CANCEL: [reason()],
  REOPEN: [reason()],
  REQUEST_EXTENSION: [reason(), { name: 'proposedDeadline', kind: 'instant', required: true }],
  APPROVE_EXTENSION: [comment(false), { name: 'deadline', kind: 'instant', required: false }],
  REJECT_EXTENSION: [reason()],
  REQUEST_SUSPENSION: [reason()],
  APPROVE_SUSPENSION: [comment(false)],
  REJECT_SUSPENSION: [reason()],
  RESUME: [comment(false)],
  RECOUNT_DEADLINE: [reason()],
};

/** Events whose button is a warning (they send work back or end it). */
export const DANGEROUS_EVENTS = new Set(['REJECT', 'CANCEL', 'REJECT_EXTENSION', 'REJECT_SUSPENSION']);
