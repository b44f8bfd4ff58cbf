import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * [architecture] Workflow versions: every history row names the workflow version whose machine took its event, so
 * replay runs each row with that machine. Rows written before this migration get their problem's stored version:
 * the one a problem's history was last replayed with.
 */
export class HistoryMachineVersion1765152000000 implements MigrationInterface {
  name = 'HistoryMachineVersion1765152000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('problem_history', new TableColumn({ name: 'machine_version', type: 'varchar', length: '16', isNullable: true }));
    // A row whose problem is gone (none are deleted) would name no version: '' is refused by replay, loudly.
    await queryRunner.query(
      "UPDATE problem_history SET machine_version = COALESCE((SELECT p.machine_version FROM problems p WHERE p.id = problem_history.problem_id), '')",
    );
    await queryRunner.changeColumn(
      'problem_history',
      'machine_version',
      new TableColumn({ name: 'machine_version', type: 'varchar', length: '16', isNullable: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('problem_history', 'machine_version');
  }
}
