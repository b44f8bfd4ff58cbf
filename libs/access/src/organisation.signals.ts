/**
 * In-process signal on the @nestjs/event-emitter bus: something AccessPolicy reads to work out a caller's scope
 * changed — a department created, moved or deactivated, a user's department or role, an inspection team. Emit
 * it after the change commits, from anywhere, with `emitAsync` and await it: open event streams recompute their
 * callers' scope on it, on this server at once and on every other one sharing the database once it resolves (the
 * ClusterBus carries it), ahead of any event committed after it.
 */
export const ORGANISATION_CHANGED = 'organisation.changed';

export interface OrganisationChanged {
  /** What changed, for logs: e.g. `department.moved`, `inspection.team`. */
  what: string;
}
