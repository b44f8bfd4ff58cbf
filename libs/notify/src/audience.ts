import type { DepartmentTree } from '#domain';
import { type Audience, type DeadlinePolicy, escalationDepartment } from '#rectification';
import type { DirectoryDepartment, DirectoryPerson } from './notify.ports.js';

/** What an audience is chosen relative to. */
export interface ProblemPlace {
  departmentId: string | null;
  filedBy: string;
  filerDepartmentId: string | null;
  escalationLevel: number | null;
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
  tree: DepartmentTree<DirectoryDepartment>,
  peopleOf: (departmentId: string) => readonly DirectoryPerson[],
  person: (userId: string) => DirectoryPerson | null,
  policy: DeadlinePolicy,
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
      const step = policy.escalation.find((candidate) => candidate.level === place.escalationLevel);
      const target = step ? escalationDepartment(tree, place.departmentId, step.recipients) : null;
      return target ? only(target.id, target.headUserId) : { departmentId: null, people: [] };
    }
  }
}

/** Departments whose people an audience may need, so they are read once per batch. */
export function departmentsConcerned(place: ProblemPlace, tree: DepartmentTree<DirectoryDepartment>): string[] {
  return [...new Set([...tree.chain(place.departmentId), ...tree.chain(place.filerDepartmentId)].map((department) => department.id))];
}
