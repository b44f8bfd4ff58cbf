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

  constructor(departments: readonly T[]) {
    this.byId = new Map(departments.map((department) => [department.id, department]));
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
