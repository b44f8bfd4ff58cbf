/**
 * An inspection (检查): the campaign under which problems are found. It is the unit of an inspector's read scope,
 * so it is a resource of its own with a team, not a free-text reference on each problem.
 */
export const INSPECTION_KINDS = ['safety', 'audit', 'supervision', 'quality', 'other'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];

/** A team member: an inspector or supervisor taking part in the inspection. */
export interface InspectionMember {
  userId: string;
  addedBy: string;
  addedAt: string;
}

export interface Inspection {
  id: string;
  /**
   * The top of the department tree the inspection belongs to (the organisation), or null when its creator
   * belongs to no department. References are unique within an organisation.
   */
  organisationId: string | null;
  /** The office running it (its creator's department unless given); supervisors over it manage it. */
  officeId: string | null;
  reference: string;
  title: string;
  kind: InspectionKind;
  /** Local dates `YYYY-MM-DD`, both optional. */
  startsOn: string | null;
  endsOn: string | null;
  inspectedDepartmentIds: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  members: InspectionMember[];
}
