import { Injectable, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type Actor, Clock, DepartmentTree, displayName, DomainError, nameKey, newId, UnknownDepartmentError } from '#domain';
import { ORGANISATION_CHANGED, type OrganisationChanged } from '#access';
import { auditEntry } from './audit.js';
import type { DepartmentRecord } from './identity.records.js';
import { IdentityRepository, WorkloadDirectory } from './identity.repository.js';

export interface DepartmentNode extends DepartmentRecord {
  children: DepartmentNode[];
}

export interface DepartmentChanges {
  name?: string;
  /** null moves the department to the top of the tree. */
  parentId?: string | null;
  headUserId?: string | null;
}

/**
 * The supervising hierarchy (unit → supervising office → leadership) as a tree of departments. Admin actions
 * here are audited in the same transaction as the change.
 */
@Injectable()
export class OrganisationService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly workload: WorkloadDirectory,
    private readonly clock: Clock,
    // Absent where nothing listens (the CLI).
    @Optional() private readonly bus?: EventEmitter2,
  ) {}

  async tree(): Promise<DepartmentNode[]> {
    const tree = new DepartmentTree(await this.identities.listDepartments());
    const byName = (a: DepartmentRecord, b: DepartmentRecord) => a.name.localeCompare(b.name);
    const nodes = (parentId: string | null): DepartmentNode[] =>
      [...tree.children(parentId)].sort(byName).map((department) => ({ ...department, children: nodes(department.id) }));
    return nodes(null);
  }

  async get(id: string): Promise<DepartmentRecord> {
    const department = await this.identities.findDepartment(id);
    if (!department) throw departmentNotFound(id);
    return department;
  }

  async create(admin: Actor, input: { name: string; parentId?: string | null; headUserId?: string | null }): Promise<DepartmentRecord> {
    const parentId = input.parentId ?? null;
    const name = displayName(input.name, 'name');
    if (parentId !== null) await this.activeParent(parentId);
    await this.uniqueAmongSiblings(name, parentId, null);
    if (input.headUserId) await this.existingUser(input.headUserId);
    const now = this.clock.now();
    const department: DepartmentRecord = {
      id: newId(now.getTime()),
      name,
      parentId,
      headUserId: input.headUserId ?? null,
      active: true,
      createdAt: now.toISOString(),
    };
    await this.identities.insertDepartment(
      department,
      auditEntry(admin, 'department.created', 'department', department.id, { name: department.name, parentId, headUserId: department.headUserId }, now),
    );
    await this.changed('department.created');
    return department;
  }

  /** Rename, move (never under itself or its own descendants) or change the head. */
  async update(admin: Actor, id: string, input: DepartmentChanges): Promise<DepartmentRecord> {
    const department = await this.get(id);
    const changes = input.name === undefined ? input : { ...input, name: displayName(input.name, 'name') };
    if (changes.parentId !== undefined && changes.parentId !== null) {
      await this.activeParent(changes.parentId);
      const departments = await this.identities.listDepartments();
      if (isInSubtree(departments, id, changes.parentId)) {
        throw new DomainError(
          'DEPARTMENT.CYCLE',
          'A department cannot be moved under itself or one of its own sub-departments; choose a parent outside it.',
          { field: 'parentId' },
        );
      }
    }
    if (department.active && (changes.name !== undefined || changes.parentId !== undefined)) {
      await this.uniqueAmongSiblings(changes.name ?? department.name, changes.parentId === undefined ? department.parentId : changes.parentId, id);
    }
    if (changes.headUserId) await this.existingUser(changes.headUserId);
    const now = this.clock.now();
    const applied = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    // Nothing to change: nothing to record either.
    if (Object.keys(applied).length === 0) return department;
    await this.identities.updateDepartment(
      id,
      applied,
      auditEntry(admin, 'department.updated', 'department', id, { before: pick(department, Object.keys(applied)), after: applied }, now),
    );
    // A name or a head does not change who sees what; a move changes supervisors' subtrees.
    if ('parentId' in applied) await this.changed('department.moved');
    return { ...department, ...applied };
  }

  /**
   * A deactivated department keeps its history, but its open problems must first be reassigned and its
   * sub-departments moved or deactivated, so no open work is left with nobody responsible.
   */
  async deactivate(admin: Actor, id: string): Promise<DepartmentRecord> {
    const department = await this.get(id);
    if (!department.active) return department;
    const open = await this.workload.openProblemsAssignedTo(id);
    if (open > 0) {
      throw new DomainError(
        'DEPARTMENT.HAS_OPEN_PROBLEMS',
        `${department.name} still has ${open} open problem(s); reassign them (REASSIGN) before deactivating it.`,
        { openProblems: open },
      );
    }
    const activeChildren = (await this.identities.listDepartments()).filter((d) => d.parentId === id && d.active);
    if (activeChildren.length > 0) {
      throw new DomainError(
        'DEPARTMENT.HAS_ACTIVE_CHILDREN',
        `${department.name} still has active sub-departments (${activeChildren.map((d) => d.name).join(', ')}); move or deactivate them first.`,
        { activeChildren: activeChildren.map((d) => d.id) },
      );
    }
    await this.identities.updateDepartment(
      id,
      { active: false },
      auditEntry(admin, 'department.deactivated', 'department', id, { name: department.name }, this.clock.now()),
    );
    await this.changed('department.deactivated');
    return { ...department, active: false };
  }

  /** After the commit: open event streams recompute their scope, on every server once this resolves. */
  private async changed(what: string): Promise<void> {
    await this.bus?.emitAsync(ORGANISATION_CHANGED, { what } satisfies OrganisationChanged);
  }

  private async activeParent(parentId: string): Promise<void> {
    const parent = await this.identities.findDepartment(parentId);
    if (!parent) {
      throw new UnknownDepartmentError(parentId, 'parentId');
    }
    if (!parent.active) {
      throw new DomainError('DEPARTMENT.INACTIVE', `${parent.name} is deactivated and cannot take sub-departments.`, { field: 'parentId' });
    }
  }

  /**
   * No two active departments under one parent share a name (compared NFC, trimmed, case-folded): people pick
   * departments from a list by name. A deactivated department's name may be used again.
   */
  private async uniqueAmongSiblings(name: string, parentId: string | null, self: string | null): Promise<void> {
    const key = nameKey(name);
    const taken = (await this.identities.listDepartments()).find(
      (d) => d.active && d.parentId === parentId && d.id !== self && nameKey(d.name) === key,
    );
    if (taken) {
      throw new DomainError(
        'DEPARTMENT.DUPLICATE_NAME',
        `${parentId === null ? 'At the top of the tree' : 'Under this parent'} there is already a department named ${taken.name}; choose another name or use that one.`,
        { field: 'name', departmentId: taken.id, parentId },
      );
    }
  }

  private async existingUser(userId: string): Promise<void> {
    const user = await this.identities.findUser(userId);
    if (!user || !user.active) {
      throw new DomainError('USER.NOT_FOUND', `No active user with id ${userId} to be the department head.`, { field: 'headUserId' });
    }
  }
}

function departmentNotFound(id: string): DomainError {
  return new DomainError('DEPARTMENT.NOT_FOUND', `No department with id ${id}.`);
}

/** Whether `candidate` is `root` or lies below it. */
function isInSubtree(departments: DepartmentRecord[], root: string, candidate: string): boolean {
  const parentOf = new Map(departments.map((d) => [d.id, d.parentId]));
  const seen = new Set<string>();
  for (let at: string | null | undefined = candidate; at; at = parentOf.get(at)) {
    if (at === root) return true;
    if (seen.has(at)) return true; // a cycle already: refuse rather than loop
    seen.add(at);
  }
  return false;
}

function pick(record: DepartmentRecord, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, record[key as keyof DepartmentRecord]]));
}
