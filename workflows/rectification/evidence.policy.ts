import { type Actor, DomainError, NotYourDepartmentError, type Severity } from '#domain';
import type { RectificationEventType } from './rectification.events.js';
import { type PermissionFacts, type PermissionRule, relationHolds } from './rectification.permissions.js';

/**
 * Evidence (佐证材料): `finding` is the "before" evidence of the inspecting side (photos of what was found),
 * `rectification` the "after" evidence of the responsible department (what was done).
 */
export const EVIDENCE_KINDS = ['finding', 'rectification'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** An event that needs evidence: at least `minimum` files of `kind` not carried by an earlier submission. */
export interface EvidenceRequirement {
  event: RectificationEventType;
  kind: EvidenceKind;
  minimum: number;
  severities: readonly Severity[];
}

export interface EvidencePolicy {
  id: string;
  version: number;
  requirements: readonly EvidenceRequirement[];
  /** Who may add evidence of each kind (the same relations as the event permissions). */
  uploaders: Record<EvidenceKind, readonly PermissionRule[]>;
}

/**
 * The default policy, as data: a submission of a general, major or critical problem must carry at least one
 * new `rectification` file — each rework round shows its own "after" evidence. Minor problems need none.
 */
export const DEFAULT_EVIDENCE_POLICY: EvidencePolicy = {
  id: 'evidence-default',
  version: 1,
  requirements: [{ event: 'SUBMIT', kind: 'rectification', minimum: 1, severities: ['general', 'major', 'critical'] }],
  uploaders: {
    finding: [
      { role: 'inspector', relation: 'filer' },
      { role: 'supervisor', relation: 'supervising' },
      { role: 'admin', relation: 'any' },
    ],
    rectification: [{ role: 'department', relation: 'responsibleDepartment' }],
  },
};

/** The same policy without requirements (EVIDENCE_REQUIRED_FOR_SUBMIT=false). */
export const OPTIONAL_EVIDENCE_POLICY: EvidencePolicy = { ...DEFAULT_EVIDENCE_POLICY, requirements: [] };

/** Uploads are accepted until the problem is closed (销号) or cancelled; evidence is kept for the record. */
export const EVIDENCE_CLOSED_STATES: readonly string[] = ['closed', 'cancelled'];

/** The requirement the event must meet for a problem of this severity, if any. */
export function evidenceRequirementFor(policy: EvidencePolicy, eventType: RectificationEventType, severity: Severity): EvidenceRequirement | null {
  return policy.requirements.find((r) => r.event === eventType && r.severities.includes(severity)) ?? null;
}

/** 422 PROBLEM.EVIDENCE_REQUIRED when `carried` files fall short of the requirement, else null. */
export function evidenceShortfall(requirement: EvidenceRequirement | null, carried: number, severity: Severity): DomainError | null {
  if (requirement === null || carried >= requirement.minimum) return null;
  return new DomainError(
    'PROBLEM.EVIDENCE_REQUIRED',
    `${requirement.event} of a ${severity} problem needs at least ${requirement.minimum} new ${requirement.kind} evidence file(s) ` +
      `(a photo or document of what was done); ${carried} uploaded since the last submission. Upload one with ` +
      `POST /problems/:id/evidence (multipart: file, kind=${requirement.kind}) and send ${requirement.event} again.`,
    { event: requirement.event, kind: requirement.kind, minimum: requirement.minimum, carried },
  );
}

/** The error that forbids the actor from adding evidence of `kind`, or null when allowed. */
export function evidenceUploadError(policy: EvidencePolicy, actor: Actor, kind: EvidenceKind, problem: PermissionFacts): DomainError | null {
  const rules = policy.uploaders[kind].filter((r) => r.role === actor.role);
  if (rules.length === 0) {
    const roles = [...new Set(policy.uploaders[kind].map((r) => r.role))];
    return new DomainError('AUTH.FORBIDDEN', `A user with role ${actor.role} may not add ${kind} evidence; it is for: ${roles.join(', ')}.`, {
      role: actor.role,
      kind,
      allowedRoles: roles,
    });
  }
  if (rules.some((r) => relationHolds(r.relation, actor, problem))) return null;
  if (rules[0].relation === 'responsibleDepartment') return new NotYourDepartmentError();
  return new DomainError(
    'AUTH.NOT_YOUR_PROBLEM',
    `Only the inspector who filed this problem, or a supervisor over its department, may add ${kind} evidence.`,
    { kind, relation: rules[0].relation },
  );
}
