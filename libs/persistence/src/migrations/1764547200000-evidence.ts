import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** [evidence-ledger]: evidence files of problems (content-addressed on disk), linked to the submission that carried them. */
export class Evidence1764547200000 implements MigrationInterface {
  name = 'Evidence1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'problem_evidence',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'problem_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'size', type: 'integer' },
          { name: 'media_type', type: 'varchar', length: '128' },
          { name: 'original_name', type: 'varchar', length: '255' },
          { name: 'uploaded_by', type: 'varchar', length: '36' },
          { name: 'uploaded_at', type: 'varchar', length: '30' },
          { name: 'submitted_in_version', type: 'integer', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'ix_problem_evidence_problem', columnNames: ['problem_id', 'id'] }),
          new TableIndex({ name: 'ix_problem_evidence_sha256', columnNames: ['sha256'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('problem_evidence');
  }
}
