import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * [supervision] Each problem's traffic light (红黄绿灯) beside its snapshot, so lists, the ledger and counts filter by
 * it. Every stored problem runs under the built-in deadline policy (version 1: yellow from the first reminder, red
 * when overdue, black from escalation level 3), so its light follows from its clock's state alone.
 */
export class TrafficLights1765843200000 implements MigrationInterface {
  name = 'TrafficLights1765843200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('problems', new TableColumn({ name: 'light', type: 'varchar', length: '8', isNullable: true }));
    await queryRunner.query(
      `UPDATE problems SET light = CASE deadline_state
         WHEN 'onTrack' THEN 'green'
         WHEN 'dueSoon' THEN 'yellow'
         WHEN 'overdue' THEN 'red'
         WHEN 'escalated' THEN CASE WHEN escalation_level >= 3 THEN 'black' ELSE 'red' END
       END
       WHERE deadline_state IN ('onTrack', 'dueSoon', 'overdue', 'escalated')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('problems', 'light');
  }
}
