import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/** [evidence-ledger]: repeat problems (屡查屡犯): the problem a repeat repeats, and links both ways. */
export class RepeatProblems1764720000000 implements MigrationInterface {
  name = 'RepeatProblems1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('problems', [
      new TableColumn({ name: 'repeat_of', type: 'varchar', length: '36', isNullable: true }),
      // Location and category as compared for repeats (normalised), so the lookup is one indexed probe.
      new TableColumn({ name: 'place_key', type: 'varchar', length: '310', isNullable: true }),
    ]);
    await queryRunner.createIndex('problems', new TableIndex({ name: 'ix_problems_place_closed', columnNames: ['place_key', 'closed_at'] }));
    await queryRunner.createTable(
      new Table({
        name: 'problem_links',
        columns: [
          { name: 'problem_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'linked_problem_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('problem_links');
    await queryRunner.dropIndex('problems', 'ix_problems_place_closed');
    await queryRunner.dropColumn('problems', 'place_key');
    await queryRunner.dropColumn('problems', 'repeat_of');
  }
}
