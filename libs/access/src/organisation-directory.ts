/** A department an escalation (or its notice) is addressed to, with its head. */
export interface EscalationTarget {
  departmentId: string;
  departmentName: string;
  headUserId: string | null;
  /** The head's name, for what is printed (a supervision sheet's 责任领导). */
  headName: string | null;
}

/** Port: the department tree, as the engine needs it. */
export abstract class OrganisationDirectory {
  abstract isActiveDepartment(id: string): Promise<boolean>;

  /**
   * Who an escalation goes to: the department itself (`departmentHead`), the office above it
   * (`supervisingOffice`) or the top of its tree (`leadership`), with that department's head.
   */
  abstract escalationTarget(
    departmentId: string,
    recipients: 'departmentHead' | 'supervisingOffice' | 'leadership',
  ): Promise<EscalationTarget | null>;

  /** The department and every department below it (its supervising subtree). */
  abstract subtreeOf(departmentId: string): Promise<string[]>;

  /** The organisation a department belongs to: the top of its tree (itself, at the top); null when unknown. */
  abstract organisationOf(departmentId: string): Promise<string | null>;
}
