import { Injectable } from '@nestjs/common';
import type { Actor } from '#domain';
import type { PermissionFacts } from '#rectification';
import { OrganisationDirectory } from './organisation-directory.js';

/** The signed-in actor plus what their place in the organisation implies. */
export interface Caller {
  actor: Actor;
  /** For supervisors: their office and every department below it. Empty for everyone else. */
  supervisedDepartments: ReadonlySet<string>;
}

/**
 * Which problems a caller may see. Lists, single reads, history and counts all go through it, and a problem
 * outside it answers 404, so ids leak nothing.
 * - `everything`: admins;
 * - `inspector`: problems they filed, and every problem of an inspection whose team they are on (teams are
 *   managed by whoever runs the inspection, see InspectionService; filing under a reference grants nothing);
 * - `departments`: problems assigned (now or in the past) to one of these departments, or filed by a member of
 *   one of them. Department users: their own department; supervisors: their office and everything below it.
 */
export type ProblemScope =
  | { kind: 'everything' }
  | { kind: 'inspector'; userId: string }
  | { kind: 'departments'; departmentIds: string[] };

export function scopeOf(caller: Caller): ProblemScope {
  const { actor } = caller;
  switch (actor.role) {
    case 'admin':
    case 'system':
      return { kind: 'everything' };
    case 'inspector':
      return { kind: 'inspector', userId: actor.userId };
    case 'department':
      return { kind: 'departments', departmentIds: actor.departmentId ? [actor.departmentId] : [] };
    case 'supervisor':
      return { kind: 'departments', departmentIds: [...caller.supervisedDepartments] };
  }
}

/** The facts the permission table needs, for this caller and problem. */
export function permissionFactsFor(
  caller: Caller,
  problem: { departmentId: string | null; filedBy: string; filerDepartmentId: string | null },
): PermissionFacts {
  // While unassigned, a problem belongs to the office of whoever filed it.
  const home = problem.departmentId ?? problem.filerDepartmentId;
  return {
    departmentId: problem.departmentId,
    filedBy: problem.filedBy,
    supervisedByActor: caller.actor.role === 'supervisor' && home !== null && caller.supervisedDepartments.has(home),
  };
}

@Injectable()
export class AccessPolicy {
  constructor(private readonly organisation: OrganisationDirectory) {}

  async callerFor(actor: Actor): Promise<Caller> {
    const supervised =
      actor.role === 'supervisor' && actor.departmentId ? await this.organisation.subtreeOf(actor.departmentId) : [];
    return { actor, supervisedDepartments: new Set(supervised) };
  }
}
