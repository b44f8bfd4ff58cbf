import { DEFAULT_DEADLINE_POLICY, type Audience } from '../../../workflows/rectification/index.js';
import type { DirectoryDepartment, DirectoryPerson } from './notify.ports.js';

/** What an audience is chosen relative to. */
export interface ProblemPlace {
  departmentId: string | null;
  filedBy: string;
  filerDepartmentId: string | null;
  escalationLevel: number | null;
}

/** The department tree, as audiences walk it. Pure. */
export class DepartmentTree {
  private readonly byId: Map<string, DirectoryDepartment>;

  constructor(departments: readonly DirectoryDepartment[]) {
    this.byId = new Map(departments.map((department) => [department.id, department]));
  }

  get(id: string | null): DirectoryDepartment | null {
    return id === null ? null : (this.byId.get(id) ?? null);
  }

  /** The department and the offices above it, nearest first (a cycle in bad data stops the walk). */
  chain(id: string | null): DirectoryDepartment[] {
    const chain: DirectoryDepartment[] = [];
    for (let department = this.get(id); department && !chain.includes(department); department = this.get(department.parentId)) {
      chain.push(department);
    }
    return chain;
  }

  /** The department escalation level n addresses, as the deadline policy names it. */
  escalationTarget(departmentId: string, level: number): DirectoryDepartment | null {
    const chain = this.chain(departmentId);
    if (chain.length === 0) return null;
    const step = DEFAULT_DEADLINE_POLICY.escalation.find((candidate) => candidate.level === level);
    if (!step) return null;
    if (step.recipients === 'departmentHead') return chain[0];
    if (step.recipients === 'supervisingOffice') return chain[1] ?? chain[0];
    return chain[chain.length - 1];
  }
}

/**
 * The people an audience means for one problem, given everyone of the departments concerned (`peopleOf`).
 * - responsibleMembers: role `department` of the responsible department;
 * - responsibleHead: its head;
 * - filer: the inspector who filed it;
 * - officeSupervisors: the supervisors of the nearest office over it that has any (while unassigned: from the
 *   filer's own department up);
 * - escalationRecipients: the head of the department the level names.
 */
export function audienceOf(
  audience: Audience,
  place: ProblemPlace,
  tree: DepartmentTree,
  peopleOf: (departmentId: string) => readonly DirectoryPerson[],
  person: (userId: string) => DirectoryPerson | null,
): { departmentId: string | null; people: DirectoryPerson[] } {
  const only = (departmentId: string | null, userId: string | null | undefined) => {
    const found = userId ? person(userId) : null;
    return { departmentId, people: found ? [found] : [] };
  };
  switch (audience) {
    case 'responsibleMembers':
      if (place.departmentId === null) return { departmentId: null, people: [] };
      return { departmentId: place.departmentId, people: peopleOf(place.departmentId).filter((p) => p.role === 'department') };
    case 'responsibleHead':
      return only(place.departmentId, tree.get(place.departmentId)?.headUserId);
    case 'filer':
      return only(person(place.filedBy)?.departmentId ?? place.filerDepartmentId, place.filedBy);
    case 'officeSupervisors': {
      const offices = place.departmentId !== null ? tree.chain(place.departmentId).slice(1) : tree.chain(place.filerDepartmentId);
      for (const office of offices) {
        const supervisors = peopleOf(office.id).filter((p) => p.role === 'supervisor');
        if (supervisors.length > 0) return { departmentId: office.id, people: supervisors };
      }
      return { departmentId: offices[0]?.id ?? null, people: [] };
    }
    case 'escalationRecipients': {
      if (place.departmentId === null || place.escalationLevel === null) return { departmentId: null, people: [] };
      const target = tree.escalationTarget(place.departmentId, place.escalationLevel);
      return target ? only(target.id, target.headUserId) : { departmentId: null, people: [] };
    }
  }
}

/** Departments whose people an audience may need, so they are read once per batch. */
export function departmentsConcerned(place: ProblemPlace, tree: DepartmentTree): string[] {
  return [...new Set([...tree.chain(place.departmentId), ...tree.chain(place.filerDepartmentId)].map((department) => department.id))];
}
