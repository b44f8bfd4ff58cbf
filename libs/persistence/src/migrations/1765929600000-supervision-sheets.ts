import { type MigrationInterface, type QueryRunner, Table, TableIndex, TableUnique } from 'typeorm';

/**
 * [supervision] Numbered supervision sheets (督办单): one per ladder step, numbered per organisation and year from
 * `sheet_counters` in the transaction of the escalation, with the facts it prints and the hash of the history row that
 * issued it. The PDF is rendered on first download and kept (`pdf`, `pdf_sha256`), so every copy is the same file;
 * the department's written response, when the step asks for one, is kept with the sheet.
 */
export class SupervisionSheets1765929600000 implements MigrationInterface {
  name = 'SupervisionSheets1765929600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const binary = queryRunner.connection.options.type === 'postgres' ? 'bytea' : 'blob';
    await queryRunner.createTable(
      new Table({
        name: 'sheet_counters',
        columns: [
          { name: 'organisation_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'year', type: 'integer', isPrimary: true },
          { name: 'last', type: 'integer' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'supervision_sheets',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'organisation_id', type: 'varchar', length: '36' },
          { name: 'year', type: 'integer' },
          { name: 'sequence', type: 'integer' },
          { name: 'problem_id', type: 'varchar', length: '36' },
          { name: 'problem_version', type: 'integer' },
          { name: 'history_hash', type: 'varchar', length: '64' },
          { name: 'issued_at', type: 'varchar', length: '30' },
          { name: 'facts', type: 'text' },
          // From the facts, for the registry's filters: the department addressed, and when its response is due.
          { name: 'department_id', type: 'varchar', length: '36' },
          { name: 'response_due', type: 'varchar', length: '30', isNullable: true },
          { name: 'pdf', type: binary, isNullable: true },
          { name: 'pdf_sha256', type: 'varchar', length: '64', isNullable: true },
          // The department's written response (书面回复), when the step asks for one: once, by one of its members.
          { name: 'response_text', type: 'text', isNullable: true },
          { name: 'responded_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'responded_by', type: 'varchar', length: '36', isNullable: true },
          { name: 'responded_by_name', type: 'varchar', length: '100', isNullable: true },
        ],
        uniques: [
          new TableUnique({ name: 'ux_sheets_number', columnNames: ['year', 'sequence', 'organisation_id'] }),
          new TableUnique({ name: 'ux_sheets_issuing_row', columnNames: ['problem_id', 'problem_version'] }),
        ],
      }),
    );
    await queryRunner.createIndex('supervision_sheets', new TableIndex({ name: 'ix_sheets_problem', columnNames: ['problem_id', 'year', 'sequence'] }));
    await queryRunner.createIndex('supervision_sheets', new TableIndex({ name: 'ix_sheets_department', columnNames: ['department_id', 'id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('supervision_sheets');
    await queryRunner.dropTable('sheet_counters');
  }
}
