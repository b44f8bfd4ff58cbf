import type { Role } from './problem.types.js';

/** Who performs an action: a signed-in user, or the system itself (timers firing). */
export interface Actor {
  userId: string;
  name: string;
  /** `system` only for the scheduler's own events; users have one of ROLES. */
  role: Role | 'system';
  /** Set for department users: the responsible department they act for. */
  departmentId: string | null;
}
