import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * [deadlines]: the deadline region's state and escalation level, the one next timer of each problem (indexed by
 * fire time, so a sweep costs what is due, not what is open) with its lease, and supervision notices.
 */
export class DeadlineTimers1764374400000 implements MigrationInterface {
  name = 'DeadlineTimers1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('problems', [
      new TableColumn({ name: 'deadline_state', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'escalation_level', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'next_timer_at', type: 'varchar', length: '30', isNullable: true }),
      new TableColumn({ name: 'next_timer', type: 'text', isNullable: true }),
      new TableColumn({ name: 'timer_lease_until', type: 'varchar', length: '30', isNullable: true }),
      new TableColumn({ name: 'timer_lease_owner', type: 'varchar', length: '64', isNullable: true }),
    ]);
    await queryRunner.createIndex('problems', new TableIndex({ name: 'ix_problems_next_timer', columnNames: ['next_timer_at'] }));
    await queryRunner.createTable(
      new Table({
        name: 'supervision_notices',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'problem_id', type: 'varchar', length: '36' },
          { name: 'problem_version', type: 'integer' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'level', type: 'integer' },
          { name: 'recipient_department_id', type: 'varchar', length: '36' },
          { name: 'recipient_user_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'acknowledged_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'acknowledged_by', type: 'varchar', length: '36', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'ix_notices_department', columnNames: ['recipient_department_id', 'id'] }),
          new TableIndex({ name: 'ix_notices_problem', columnNames: ['problem_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('supervision_notices');
    await queryRunner.dropIndex('problems', 'ix_problems_next_timer');
    for (const column of ['timer_lease_owner', 'timer_lease_until', 'next_timer', 'next_timer_at', 'escalation_level', 'deadline_state']) {
      await queryRunner.dropColumn('problems', column);
    }
  }
}
