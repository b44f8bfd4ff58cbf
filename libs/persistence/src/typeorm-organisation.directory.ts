import { DepartmentTree } from '#domain';
import { type EscalationTarget, OrganisationDirectory, type SupervisingParties } from '#access';
import { WorkloadDirectory } from '#identity';
import { escalationDepartment, type EscalationRecipients } from '#rectification';
import type { Database } from './database.js';

type DirectoryRow = { id: string; name: string; parentId: string | null; headUserId: string | null; headName: string | null };

/** The department `recipients` names along the tree from `departmentId`, with its head. */
function targetIn(tree: DepartmentTree<DirectoryRow>, departmentId: string, recipients: EscalationRecipients): EscalationTarget | null {
  const target = escalationDepartment(tree, departmentId, recipients);
  return target ? { departmentId: target.id, departmentName: target.name, headUserId: target.headUserId, headName: target.headName } : null;
}

/** The department tree, as the engine and access need it, read from the departments table. */
export class TypeOrmOrganisationDirectory extends OrganisationDirectory {
  constructor(private readonly db: Database) {
    super();
  }

  async isActiveDepartment(id: string): Promise<boolean> {
    const rows = await this.db.sqlRead((sql) => sql.all('SELECT 1 AS found FROM departments WHERE id = ? AND active = ?', [id, this.db.sqlBoolean(true)]));
    return rows.length > 0;
  }

  /** The tree is small (departments, not problems): one narrow read, walked in memory, on either database. */
  private departments(): Promise<DirectoryRow[]> {
    return this.db.sqlRead((sql) =>
      sql.all(
        'SELECT d.id, d.name, d.parent_id AS "parentId", d.head_user_id AS "headUserId", u.name AS "headName" FROM departments d LEFT JOIN users u ON u.id = d.head_user_id',
      ),
    );
  }

  async escalationTarget(
    departmentId: string,
    recipients: EscalationRecipients,
  ): Promise<EscalationTarget | null> {
    return targetIn(new DepartmentTree(await this.departments()), departmentId, recipients);
  }

  async supervisingParties(departmentId: string): Promise<SupervisingParties | null> {
    const tree = new DepartmentTree(await this.departments());
    const organisationId = tree.root(departmentId)?.id;
    const responsible = targetIn(tree, departmentId, 'departmentHead');
    const issuingOffice = targetIn(tree, departmentId, 'supervisingOffice');
    return organisationId && responsible && issuingOffice ? { organisationId, responsible, issuingOffice } : null;
  }

  async organisationOf(departmentId: string): Promise<string | null> {
    return new DepartmentTree(await this.departments()).root(departmentId)?.id ?? null;
  }

  async subtreeOf(departmentId: string): Promise<string[]> {
    return new DepartmentTree(await this.departments()).subtree(departmentId).map((department) => department.id);
  }
}

/** What identity asks of problems: how many open ones a department still holds. */
export class TypeOrmWorkloadDirectory extends WorkloadDirectory {
  constructor(private readonly db: Database) {
    super();
  }

  async openProblemsAssignedTo(departmentId: string): Promise<number> {
    const [row] = await this.db.sqlRead((sql) =>
      sql.all<{ count: string | number }>(
        "SELECT COUNT(*) AS count FROM problems WHERE department_id = ? AND state NOT IN ('closed', 'cancelled')",
        [departmentId],
      ),
    );
    return Number(row.count);
  }
}
