import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** [evidence-ledger]: bulk filing: the import key of every imported row, unique per inspection. */
export class Imports1764633600000 implements MigrationInterface {
  name = 'Imports1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'import_keys',
        columns: [
          { name: 'inspection_ref', type: 'varchar', length: '100', isPrimary: true },
          { name: 'import_key', type: 'varchar', length: '100', isPrimary: true },
          { name: 'problem_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('import_keys');
  }
}
