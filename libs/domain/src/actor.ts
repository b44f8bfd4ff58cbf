import type { Role } from './problem.types.js';

/** Who performs an action: a signed-in user, or the system itself (timers, later). */
export interface Actor {
  userId: string;
  name: string;
  role: Role;
  /** Set for department users: the responsible department they act for. */
  departmentId: string | null;
}
