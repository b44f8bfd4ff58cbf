import { Injectable, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  type Actor,
  Clock,
  DomainError,
  type Inspection,
  type InspectionKind,
  InspectionNotFoundError,
  newId,
  UUID_PATTERN,
  UnknownDepartmentError,
} from '#domain';
import {
  FILING_ROLES,
  type InspectionRelation,
  mayFileUnder,
  mayManageInspection,
  maySeeInspection,
  TEAM_ROLES,
} from '#rectification';
import { AccessPolicy, type Caller, ORGANISATION_CHANGED, type OrganisationChanged, OrganisationDirectory } from '#access';
import { type InspectionAudit, InspectionRepository, type InspectionScope, TeamDirectory } from './inspection.repository.js';

export interface NewInspection {
  reference: string;
  title?: string;
  kind?: InspectionKind;
  officeId?: string | null;
  startsOn?: string | null;
  endsOn?: string | null;
  inspectedDepartmentIds?: string[];
  memberIds?: string[];
}

/** How a filing names its inspection: by id, or by reference within the caller's organisation. */
export interface InspectionSelector {
  inspectionId?: string;
  inspectionRef?: string;
}

export type InspectionChanges = Partial<Pick<Inspection, 'title' | 'kind' | 'startsOn' | 'endsOn' | 'inspectedDepartmentIds'>>;

/** An inspection as a caller sees it, with what they may do with it. */
export interface InspectionView extends Inspection {
  mayFile: boolean;
  mayManage: boolean;
}

/**
 * Inspections (检查) as resources: who may see, file under and manage each one. An inspector's read scope is the
 * problems they filed plus the problems of the inspections whose team they are on, so team membership is
 * what grants reading, and it is granted only by the people who manage the inspection.
 */
@Injectable()
export class InspectionService {
  constructor(
    private readonly inspections: InspectionRepository,
    private readonly organisation: OrganisationDirectory,
    private readonly access: AccessPolicy,
    private readonly team: TeamDirectory,
    private readonly clock: Clock,
    @Optional() private readonly bus?: EventEmitter2,
  ) {}

  /** How the caller stands to it, as far as the inspection row tells (without `filedUnder`, which takes a read). */
  relationOf(caller: Caller, inspection: Inspection): InspectionRelation & { creator: boolean } {
    const { actor } = caller;
    const role = actor.role === 'system' ? 'admin' : actor.role;
    return {
      role,
      creator: inspection.createdBy === actor.userId,
      onTeam: inspection.members.some((member) => member.userId === actor.userId),
      supervising: actor.role === 'supervisor' && inspection.officeId !== null && caller.supervisedDepartments.has(inspection.officeId),
      inspected: actor.role === 'department' && actor.departmentId !== null && inspection.inspectedDepartmentIds.includes(actor.departmentId),
      filedUnder: false,
    };
  }

  /** The whole relation: whether someone off the team filed under it matters only for seeing it. */
  private async fullRelationOf(caller: Caller, inspection: Inspection): Promise<InspectionRelation & { creator: boolean }> {
    const relation = this.relationOf(caller, inspection);
    if (relation.onTeam || relation.role !== 'inspector') return relation;
    return { ...relation, filedUnder: await this.inspections.hasFiledUnder(inspection.id, caller.actor.userId) };
  }

  viewFor(caller: Caller, inspection: Inspection): InspectionView {
    const relation = this.relationOf(caller, inspection);
    return { ...inspection, mayFile: mayFileUnder(relation), mayManage: mayManageInspection(relation) };
  }

  async create(actor: Actor, input: NewInspection): Promise<InspectionView> {
    const caller = await this.access.callerFor(actor);
    if (!FILING_ROLES.some((role) => role === actor.role)) {
      throw new DomainError('AUTH.FORBIDDEN', `A user with role ${actor.role} may not create inspections.`, { role: actor.role });
    }
    const officeId = await this.officeFor(caller, input.officeId);
    const inspection = await this.newInspection(actor, input, officeId);
    await this.checkMembers(input.memberIds ?? []);
    const at = this.clock.now().toISOString();
    for (const userId of input.memberIds ?? []) {
      if (!inspection.members.some((member) => member.userId === userId)) inspection.members.push({ userId, addedBy: actor.userId, addedAt: at });
    }
    const inserted = await this.inspections.insert(inspection, this.audit(actor, 'inspection.create', { reference: inspection.reference, officeId }));
    if (!inserted) throw referenceTaken(inspection.reference);
    return this.viewFor(caller, inspection);
  }

  async get(actor: Actor, idOrReference: string): Promise<InspectionView> {
    const caller = await this.access.callerFor(actor);
    return this.viewFor(caller, await this.visible(caller, idOrReference));
  }

  async list(actor: Actor, filter: { reference?: string; after?: string; limit: number }): Promise<InspectionView[]> {
    const caller = await this.access.callerFor(actor);
    const rows = await this.inspections.list(scopeFor(caller), filter);
    return rows.map((inspection) => this.viewFor(caller, inspection));
  }

  async update(actor: Actor, idOrReference: string, changes: InspectionChanges): Promise<InspectionView> {
    const caller = await this.access.callerFor(actor);
    const current = await this.managed(caller, idOrReference);
    if (changes.inspectedDepartmentIds) await this.checkDepartments(changes.inspectedDepartmentIds);
    const updated: Inspection = { ...current, ...definedOnly(changes), updatedAt: this.clock.now().toISOString() };
    checkDates(updated.startsOn, updated.endsOn);
    await this.inspections.update(updated, this.audit(actor, 'inspection.update', { ...changes }));
    return this.viewFor(caller, updated);
  }

  async addMember(actor: Actor, idOrReference: string, userId: string): Promise<InspectionView> {
    const caller = await this.access.callerFor(actor);
    const current = await this.managed(caller, idOrReference);
    await this.checkMembers([userId]);
    const member = { userId, addedBy: actor.userId, addedAt: this.clock.now().toISOString() };
    const added = await this.inspections.addMember(current.id, member, this.audit(actor, 'inspection.add_member', { userId }));
    if (added) await this.teamChanged();
    const members = added ? [...current.members, member] : current.members;
    return this.viewFor(caller, { ...current, members });
  }

  async removeMember(actor: Actor, idOrReference: string, userId: string): Promise<InspectionView> {
    const caller = await this.access.callerFor(actor);
    const current = await this.managed(caller, idOrReference);
    if (!current.members.some((member) => member.userId === userId)) {
      throw new DomainError('USER.NOT_FOUND', `User ${userId} is not on the team of inspection ${current.reference}.`, { userId });
    }
    await this.inspections.removeMember(current.id, userId, this.audit(actor, 'inspection.remove_member', { userId }));
    await this.teamChanged();
    return this.viewFor(caller, { ...current, members: current.members.filter((member) => member.userId !== userId) });
  }

  /**
   * The inspection a filing goes under, checked: the caller must be on its team (or supervise it, or be an
   * admin): 403 when they can see it, 404 when they cannot. A reference the caller's organisation does not
   * hold yet is a new inspection, created with the caller on its team — the common case of an inspector
   * starting to file.
   */
  async forFiling(caller: Caller, selector: InspectionSelector): Promise<Inspection> {
    const inspection = selector.inspectionId !== undefined
      ? await this.byId(selector.inspectionId)
      : await this.resolveOrCreate(caller, selector.inspectionRef ?? '');
    return this.mayFile(caller, inspection, selector);
  }

  /**
   * The same check without creating anything: what a bulk import asks before it reads the file, so that
   * someone off the team is refused whatever the file holds. Null: the reference is new (filing will create it).
   */
  async checkFilingUnder(actor: Actor, selector: InspectionSelector): Promise<Inspection | null> {
    const caller = await this.access.callerFor(actor);
    if (selector.inspectionId !== undefined) return this.mayFile(caller, await this.byId(selector.inspectionId), selector);
    const existing = await this.byReference(caller, selector.inspectionRef ?? '');
    return existing ? this.mayFile(caller, existing, selector) : null;
  }

  private async mayFile(caller: Caller, inspection: Inspection | null, selector: InspectionSelector): Promise<Inspection> {
    if (!inspection) throw new InspectionNotFoundError(selector.inspectionId ?? selector.inspectionRef ?? '');
    const relation = await this.fullRelationOf(caller, inspection);
    if (mayFileUnder(relation)) return inspection;
    if (!maySeeInspection(relation)) throw new InspectionNotFoundError(selector.inspectionId ?? inspection.reference);
    throw new DomainError(
      'INSPECTION.NOT_ON_TEAM',
      `You are not on the team of inspection ${inspection.reference}; ask whoever runs it to add you (POST /inspections/${inspection.id}/members).`,
      { inspectionId: inspection.id },
    );
  }

  private async resolveOrCreate(caller: Caller, reference: string): Promise<Inspection | null> {
    const found = await this.byReference(caller, reference);
    if (found) return found;
    const officeId = caller.actor.departmentId;
    const inspection = await this.newInspection(caller.actor, { reference }, officeId);
    const inserted = await this.inspections.insert(
      inspection,
      this.audit(caller.actor, 'inspection.create', { reference, officeId, createdBy: 'filing' }),
    );
    // Someone created it meanwhile: theirs stands, and the team rule decides.
    return inserted ? inspection : this.byReference(caller, reference);
  }

  /**
   * A reference is looked up in the caller's organisation. Callers outside any department (admins, say) name
   * an inspection of any organisation, as long as the reference is unambiguous.
   */
  private async byReference(caller: Caller, reference: string): Promise<Inspection | null> {
    const departmentId = caller.actor.departmentId;
    if (departmentId !== null) return this.inspections.findByReference(await this.organisation.organisationOf(departmentId), reference);
    const all = await this.inspections.findAllByReference(reference, 2);
    if (all.length > 1) {
      throw new DomainError(
        'INSPECTION.AMBIGUOUS_REFERENCE',
        `Several organisations have an inspection ${reference}; name it by id (inspectionId, or /inspections/<id>).`,
        { reference, inspectionIds: all.map((inspection) => inspection.id) },
      );
    }
    return all[0] ?? null;
  }

  private byId(id: string): Promise<Inspection | null> {
    return UUID_PATTERN.test(id) ? this.inspections.findById(id.toLowerCase()) : Promise.resolve(null);
  }

  private async visible(caller: Caller, idOrReference: string): Promise<Inspection> {
    const inspection = UUID_PATTERN.test(idOrReference) ? await this.byId(idOrReference) : await this.byReference(caller, idOrReference);
    if (!inspection || !maySeeInspection(await this.fullRelationOf(caller, inspection))) throw new InspectionNotFoundError(idOrReference);
    return inspection;
  }

  private async managed(caller: Caller, idOrReference: string): Promise<Inspection> {
    const inspection = await this.visible(caller, idOrReference);
    if (!mayManageInspection(this.relationOf(caller, inspection))) {
      throw new DomainError(
        'AUTH.FORBIDDEN',
        `Only whoever created inspection ${inspection.reference}, a supervisor over its office or an admin may change it or its team.`,
        { inspectionId: inspection.id },
      );
    }
    return inspection;
  }

  /** The office running a new inspection: the creator's own unless an admin (or a supervisor, below them) names one. */
  private async officeFor(caller: Caller, requested: string | null | undefined): Promise<string | null> {
    const own = caller.actor.departmentId;
    if (requested === undefined || requested === own) return own;
    const allowed = caller.actor.role === 'admin' || (requested !== null && caller.supervisedDepartments.has(requested));
    if (!allowed) {
      throw new DomainError('AUTH.FORBIDDEN', 'You may run an inspection only from your own office (or, as a supervisor, one below it).', {
        officeId: requested,
      });
    }
    if (requested !== null && !(await this.organisation.isActiveDepartment(requested))) {
      throw new UnknownDepartmentError(requested, 'officeId');
    }
    return requested;
  }

  private async newInspection(actor: Actor, input: NewInspection, officeId: string | null): Promise<Inspection> {
    const now = this.clock.now();
    const at = now.toISOString();
    const inspectedDepartmentIds = [...new Set(input.inspectedDepartmentIds ?? [])];
    await this.checkDepartments(inspectedDepartmentIds);
    const startsOn = input.startsOn ?? null;
    const endsOn = input.endsOn ?? null;
    checkDates(startsOn, endsOn);
    return {
      id: newId(now.getTime()),
      organisationId: officeId === null ? null : await this.organisation.organisationOf(officeId),
      officeId,
      reference: input.reference,
      title: input.title ?? input.reference,
      kind: input.kind ?? 'other',
      startsOn,
      endsOn,
      inspectedDepartmentIds,
      createdBy: actor.userId,
      createdAt: at,
      updatedAt: at,
      members: TEAM_ROLES.some((role) => role === actor.role) ? [{ userId: actor.userId, addedBy: actor.userId, addedAt: at }] : [],
    };
  }

  private async checkDepartments(ids: string[]): Promise<void> {
    for (const id of ids) {
      if (!(await this.organisation.isActiveDepartment(id))) {
        throw new UnknownDepartmentError(id, 'inspectedDepartmentIds', true);
      }
    }
  }

  private async checkMembers(userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      const role = await this.team.roleOf(userId);
      if (role === null || !TEAM_ROLES.some((allowed) => allowed === role)) {
        throw new DomainError(
          'INSPECTION.INVALID_MEMBER',
          role === null
            ? `No active user with id ${userId}.`
            : `User ${userId} is a ${role} user; an inspection team takes ${TEAM_ROLES.join(' and ')} users.`,
          { userId, role },
        );
      }
    }
  }

  /** Open event streams recompute their scope: a team is part of an inspector's read scope. */
  private async teamChanged(): Promise<void> {
    await this.bus?.emitAsync(ORGANISATION_CHANGED, { what: 'inspection.team' } satisfies OrganisationChanged);
  }

  private audit(actor: Actor, action: InspectionAudit['action'], details: Record<string, unknown>): InspectionAudit {
    return { actor, action, details, at: this.clock.now().toISOString() };
  }
}

function scopeFor(caller: Caller): InspectionScope {
  const { actor } = caller;
  if (actor.role === 'admin' || actor.role === 'system') return { kind: 'everything' };
  return {
    kind: 'member',
    userId: actor.userId,
    officeIds: actor.role === 'supervisor' ? [...caller.supervisedDepartments] : [],
    inspectedDepartmentId: actor.role === 'department' ? actor.departmentId : null,
    filedBy: actor.role === 'inspector' ? actor.userId : null,
  };
}

function referenceTaken(reference: string): DomainError {
  return new DomainError(
    'INSPECTION.REFERENCE_TAKEN',
    `Your organisation has an inspection ${reference} already; choose another reference, or ask its team to add you.`,
    { reference },
  );
}

function checkDates(startsOn: string | null, endsOn: string | null): void {
  if (startsOn !== null && endsOn !== null && endsOn < startsOn) {
    throw new DomainError('VALIDATION_FAILED', 'The request has invalid fields: endsOn. See details.fields for what each needs.', {
      fields: [{ field: 'endsOn', messages: ['endsOn must not be before startsOn'] }],
    });
  }
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
