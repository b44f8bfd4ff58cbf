import type { Actor, Inspection, InspectionMember } from '#domain';

/** Who may see which inspections (listing): the same relations as maySeeInspection, as a query. */
export type InspectionScope =
  | { kind: 'everything' }
  | { kind: 'member'; userId: string; officeIds: string[]; inspectedDepartmentId: string | null; filedBy: string | null };

/** An audited change of an inspection, written with it in one transaction. */
export interface InspectionAudit {
  actor: Actor;
  action: 'inspection.create' | 'inspection.update' | 'inspection.add_member' | 'inspection.remove_member';
  details: Record<string, unknown>;
  at: string;
}

/** Port: inspections and their teams. Each write is one transaction together with its audit entry. */
export abstract class InspectionRepository {
  abstract findById(id: string): Promise<Inspection | null>;

  /** The inspection with this reference in the organisation (null: inspections of no organisation). */
  abstract findByReference(organisationId: string | null, reference: string): Promise<Inspection | null>;

  /** Inspections with this reference in any organisation, at most `limit` (to resolve an admin's reference). */
  abstract findAllByReference(reference: string, limit: number): Promise<Inspection[]>;

  /** Inserts it, unless its organisation holds the reference already: then writes nothing and answers false. */
  abstract insert(inspection: Inspection, audit: InspectionAudit): Promise<boolean>;

  abstract update(inspection: Inspection, audit: InspectionAudit): Promise<void>;

  /** Adds the member (no-op when on the team already, answering false). */
  abstract addMember(inspectionId: string, member: InspectionMember, audit: InspectionAudit): Promise<boolean>;

  /** Removes the member (answering false when not on the team). */
  abstract removeMember(inspectionId: string, userId: string, audit: InspectionAudit): Promise<boolean>;

  /** Whether the user filed any problem under the inspection. */
  abstract hasFiledUnder(inspectionId: string, userId: string): Promise<boolean>;

  /** Newest first, after the id `after` (exclusive). */
  abstract list(scope: InspectionScope, filter: { reference?: string; after?: string; limit: number }): Promise<Inspection[]>;
}

/** The user facts the team rules need: a small port, so the engine does not reach into identity. */
export abstract class TeamDirectory {
  /** The active user's role, or null when there is no such active user. */
  abstract roleOf(userId: string): Promise<string | null>;
}
