import type { Role } from '#domain';

// Who may create an inspection: whoever may file problems (FILING_ROLES in rectification.permissions.ts).

/** How the caller stands to an inspection; worked out by the engine from the team and the department tree. */
export interface InspectionRelation {
  role: Role;
  /** On the inspection's team (its creator is on it from the start). */
  onTeam: boolean;
  /** A supervisor whose office is the inspection's office or lies above it. */
  supervising: boolean;
  /** A department user whose department the inspection inspects. */
  inspected: boolean;
  /** Filed problems under it (someone since taken off its team still sees what their problems belong to). */
  filedUnder: boolean;
}

/** Who may take part in an inspection's team: the inspecting side. */
export const TEAM_ROLES: readonly Role[] = ['inspector', 'supervisor'];

/**
 * Seeing the inspection itself (reference, title, team). Seeing its problems is the read scope of each problem:
 * team members see every problem of it; inspected departments see only what is assigned to them.
 */
export function maySeeInspection(relation: InspectionRelation): boolean {
  return relation.role === 'admin' || relation.onTeam || relation.supervising || relation.inspected || relation.filedUnder;
}

/**
 * Filing (or importing) under an inspection: its team, supervisors over its office, admins. Anyone else would
 * gain the team's read scope by filing one problem under a guessed reference, which is what this rule prevents.
 */
export function mayFileUnder(relation: InspectionRelation): boolean {
  return relation.role === 'admin' || (relation.onTeam && TEAM_ROLES.includes(relation.role)) || relation.supervising;
}

/** Editing the inspection and managing its team: its creator, supervisors over its office, admins (audited). */
export function mayManageInspection(relation: InspectionRelation & { creator: boolean }): boolean {
  return relation.role === 'admin' || relation.creator || relation.supervising;
}
