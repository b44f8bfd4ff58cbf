/** A department as the supervising chain links it: its id and the office above it. */
export interface TreeDepartment {
  readonly id: string;
  readonly parentId: string | null;
}

/**
 * The department tree, walked up the supervising chain. Pure: built from the departments as stored, so the SQL
 * adapter, the organisation directory and notification routing read the tree one way. A cycle in bad data stops
 * the walk instead of looping.
 */
export class DepartmentTree<T extends TreeDepartment> {
  private readonly byId: Map<string, T>;
  private readonly below = new Map<string | null, T[]>();

  constructor(departments: readonly T[]) {
    this.byId = new Map(departments.map((department) => [department.id, department]));
    for (const department of departments) {
      // A department whose office is unknown stands at the top.
      const parent = department.parentId !== null && this.byId.has(department.parentId) ? department.parentId : null;
      this.below.set(parent, [...(this.below.get(parent) ?? []), department]);
    }
  }

  /** The departments directly below `id`; below null, the tops of the trees. */
  children(id: string | null): readonly T[] {
    return this.below.get(id) ?? [];
  }

  /** The department and every department below it (its supervising subtree), itself first; empty for an unknown id. */
  subtree(id: string): T[] {
    const top = this.get(id);
    const subtree: T[] = [];
    const pending = top ? [top] : [];
    while (pending.length > 0) {
      const department = pending.pop()!;
      if (subtree.includes(department)) continue;
      subtree.push(department);
      pending.push(...this.children(department.id));
    }
    return subtree;
  }

  get(id: string | null): T | null {
    return id === null ? null : (this.byId.get(id) ?? null);
  }

  /** The department and the offices above it, nearest first; empty for an unknown id. */
  chain(id: string | null): T[] {
    const chain: T[] = [];
    for (let department = this.get(id); department && !chain.includes(department); department = this.get(department.parentId)) {
      chain.push(department);
    }
    return chain;
  }

  /** The top of the department's tree: its organisation (itself, at the top); null for an unknown id. */
  root(id: string | null): T | null {
    return this.chain(id).at(-1) ?? null;
  }
}
