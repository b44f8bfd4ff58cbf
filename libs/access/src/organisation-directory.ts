/** A department an escalation (or its notice) is addressed to, with its head. */
export interface EscalationTarget {
  departmentId: string;
  departmentName: string;
  headUserId: string | null;
  /** The head's name, for what is printed (a supervision sheet's 责任领导). */
  headName: string | null;
}

/** Who a supervision sheet names: the organisation (top of the tree), the department and its head, the office above it. */
export interface SupervisingParties {
  organisationId: string;
  responsible: EscalationTarget;
  issuingOffice: EscalationTarget;
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

  /** The parties a sheet about the department names, from one read of the tree; null for an unknown department. */
  abstract supervisingParties(departmentId: string): Promise<SupervisingParties | null>;

  /** The organisation a department belongs to: the top of its tree (itself, at the top); null when unknown. */
  abstract organisationOf(departmentId: string): Promise<string | null>;
}
