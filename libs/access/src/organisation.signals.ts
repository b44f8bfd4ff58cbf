/**
 * In-process signal on the @nestjs/event-emitter bus: something AccessPolicy reads to work out a caller's scope
 * changed — a department created, moved or deactivated, a user's department or role, an inspection team. Emit
 * it after the change commits, from anywhere; open event streams recompute their callers' scope on it. Other
 * servers sharing the database pick the change up on their periodic re-check (EVENT_STREAM_RECHECK_MS).
 */
export const ORGANISATION_CHANGED = 'organisation.changed';

export interface OrganisationChanged {
  /** What changed, for logs: e.g. `department.moved`, `inspection.team`. */
  what: string;
}
