import { Injectable } from '@nestjs/common';
import { type Actor, Clock, DomainError, newId } from '../../domain/src/index.js';
import { ProblemRepository } from '../../engine/src/index.js';
import { auditEntry } from './audit.js';
import type { DepartmentRecord } from './identity.records.js';
import { IdentityRepository } from './identity.repository.js';

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
    private readonly problems: ProblemRepository,
    private readonly clock: Clock,
  ) {}

  async tree(): Promise<DepartmentNode[]> {
    const departments = await this.identities.listDepartments();
    const nodes = new Map(departments.map((d) => [d.id, { ...d, children: [] as DepartmentNode[] }]));
    const roots: DepartmentNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
      (parent ? parent.children : roots).push(node);
    }
    const byName = (a: DepartmentNode, b: DepartmentNode) => a.name.localeCompare(b.name);
    const sort = (list: DepartmentNode[]) => {
      list.sort(byName);
      list.forEach((node) => sort(node.children));
    };
    sort(roots);
    return roots;
  }

  async get(id: string): Promise<DepartmentRecord> {
    const department = await this.identities.findDepartment(id);
    if (!department) throw departmentNotFound(id);
    return department;
  }

  async create(admin: Actor, input: { name: string; parentId?: string | null; headUserId?: string | null }): Promise<DepartmentRecord> {
    const parentId = input.parentId ?? null;
    if (parentId !== null) await this.activeParent(parentId);
    if (input.headUserId) await this.existingUser(input.headUserId);
    const now = this.clock.now();
    const department: DepartmentRecord = {
      id: newId(now.getTime()),
      name: input.name,
      parentId,
      headUserId: input.headUserId ?? null,
      active: true,
      createdAt: now.toISOString(),
    };
    await this.identities.insertDepartment(
      department,
      auditEntry(admin, 'department.created', 'department', department.id, { name: department.name, parentId, headUserId: department.headUserId }, now),
    );
    return department;
  }

  /** Rename, move (never under itself or its own descendants) or change the head. */
  async update(admin: Actor, id: string, changes: DepartmentChanges): Promise<DepartmentRecord> {
    const department = await this.get(id);
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
    return { ...department, ...applied };
  }

  /**
   * A deactivated department keeps its history, but its open problems must first be reassigned and its
   * sub-departments moved or deactivated, so no open work is left with nobody responsible.
   */
  async deactivate(admin: Actor, id: string): Promise<DepartmentRecord> {
    const department = await this.get(id);
    if (!department.active) return department;
    const open = await this.problems.countOpenAssignedTo(id);
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
    return { ...department, active: false };
  }

  private async activeParent(parentId: string): Promise<void> {
    const parent = await this.identities.findDepartment(parentId);
    if (!parent) {
      throw new DomainError('DEPARTMENT.UNKNOWN', `No department with id ${parentId} to be the parent.`, { field: 'parentId' });
    }
    if (!parent.active) {
      throw new DomainError('DEPARTMENT.INACTIVE', `${parent.name} is deactivated and cannot take sub-departments.`, { field: 'parentId' });
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
