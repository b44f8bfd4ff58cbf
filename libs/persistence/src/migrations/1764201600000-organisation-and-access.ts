import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * [org]: where problems have been assigned (so departments keep seeing their past problems), the filer's
 * department, department heads, token expiry and last use, and the audit log of admin actions.
 */
export class OrganisationAndAccess1764201600000 implements MigrationInterface {
  name = 'OrganisationAndAccess1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('problems', new TableColumn({ name: 'filer_department_id', type: 'varchar', length: '36', isNullable: true }));
    await queryRunner.createIndex('problems', new TableIndex({ name: 'ix_problems_filer', columnNames: ['filed_by', 'inspection_ref'] }));
    await queryRunner.createIndex('problems', new TableIndex({ name: 'ix_problems_filer_department', columnNames: ['filer_department_id', 'id'] }));
    await queryRunner.createTable(
      new Table({
        name: 'problem_departments',
        columns: [
          { name: 'problem_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'department_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'assigned_at', type: 'varchar', length: '30' },
        ],
        indices: [new TableIndex({ name: 'ix_problem_departments_department', columnNames: ['department_id', 'problem_id'] })],
      }),
    );
    // Problems assigned before this migration: their current department is the one they were assigned to.
    await queryRunner.query(
      'INSERT INTO problem_departments (problem_id, department_id, assigned_at) ' +
        'SELECT id, department_id, updated_at FROM problems WHERE department_id IS NOT NULL',
    );
    await queryRunner.addColumn('departments', new TableColumn({ name: 'head_user_id', type: 'varchar', length: '36', isNullable: true }));
    await queryRunner.addColumn('api_tokens', new TableColumn({ name: 'expires_at', type: 'varchar', length: '30', isNullable: true }));
    await queryRunner.addColumn('api_tokens', new TableColumn({ name: 'last_used_at', type: 'varchar', length: '30', isNullable: true }));
    await queryRunner.createIndex('api_tokens', new TableIndex({ name: 'ix_api_tokens_user', columnNames: ['user_id'] }));
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'actor_id', type: 'varchar', length: '36' },
          { name: 'actor_name', type: 'varchar', length: '100' },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'target_type', type: 'varchar', length: '32' },
          { name: 'target_id', type: 'varchar', length: '36' },
          { name: 'details', type: 'text' },
          { name: 'occurred_at', type: 'varchar', length: '30' },
        ],
        indices: [new TableIndex({ name: 'ix_audit_log_target', columnNames: ['target_type', 'target_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_log');
    await queryRunner.dropIndex('api_tokens', 'ix_api_tokens_user');
    await queryRunner.dropColumn('api_tokens', 'last_used_at');
    await queryRunner.dropColumn('api_tokens', 'expires_at');
    await queryRunner.dropColumn('departments', 'head_user_id');
    await queryRunner.dropTable('problem_departments');
    await queryRunner.dropIndex('problems', 'ix_problems_filer_department');
    await queryRunner.dropIndex('problems', 'ix_problems_filer');
    await queryRunner.dropColumn('problems', 'filer_department_id');
  }
}
