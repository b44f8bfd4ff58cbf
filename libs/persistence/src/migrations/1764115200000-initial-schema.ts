import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const instant = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '30', isNullable });

/**
 * Written with TypeORM's schema builder rather than generated SQL, so the same migration runs on SQLite and
 * on PostgreSQL (both are tested).
 */
export class InitialSchema1764115200000 implements MigrationInterface {
  name = 'InitialSchema1764115200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'departments',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'parent_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'active', type: 'boolean' },
          instant('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'department_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'active', type: 'boolean' },
          instant('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          id,
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'label', type: 'varchar', length: '100' },
          instant('created_at'),
          instant('revoked_at', true),
        ],
        indices: [new TableIndex({ name: 'ux_api_tokens_hash', columnNames: ['token_hash'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'problems',
        columns: [
          id,
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'description', type: 'text' },
          { name: 'category', type: 'varchar', length: '100' },
          { name: 'severity', type: 'varchar', length: '16' },
          { name: 'location', type: 'varchar', length: '200' },
          { name: 'inspection_ref', type: 'varchar', length: '100' },
          { name: 'requirement', type: 'text' },
          { name: 'filed_by', type: 'varchar', length: '36' },
          { name: 'state', type: 'varchar', length: '32' },
          { name: 'state_detail', type: 'varchar', length: '64' },
          { name: 'department_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'responsible_person', type: 'varchar', length: '100', isNullable: true },
          instant('deadline', true),
          { name: 'rework_count', type: 'integer' },
          { name: 'version', type: 'integer' },
          { name: 'machine_id', type: 'varchar', length: '64' },
          { name: 'machine_version', type: 'varchar', length: '16' },
          { name: 'snapshot', type: 'text' },
          instant('created_at'),
          instant('updated_at'),
          instant('closed_at', true),
        ],
        indices: [
          new TableIndex({ name: 'ix_problems_department_state', columnNames: ['department_id', 'state', 'id'] }),
          new TableIndex({ name: 'ix_problems_state', columnNames: ['state', 'id'] }),
          new TableIndex({ name: 'ix_problems_inspection', columnNames: ['inspection_ref', 'id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'problem_history',
        columns: [
          id,
          { name: 'problem_id', type: 'varchar', length: '36' },
          { name: 'version', type: 'integer' },
          { name: 'event_type', type: 'varchar', length: '32' },
          { name: 'payload', type: 'text' },
          { name: 'actor_id', type: 'varchar', length: '36' },
          { name: 'actor_name', type: 'varchar', length: '100' },
          { name: 'actor_role', type: 'varchar', length: '16' },
          { name: 'from_state', type: 'varchar', length: '64', isNullable: true },
          { name: 'to_state', type: 'varchar', length: '64' },
          instant('occurred_at'),
        ],
        indices: [
          new TableIndex({
            name: 'ux_problem_history_problem_version',
            columnNames: ['problem_id', 'version'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox_events',
        columns: [
          id,
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'problem_id', type: 'varchar', length: '36' },
          { name: 'problem_version', type: 'integer' },
          { name: 'payload', type: 'text' },
          instant('occurred_at'),
          instant('published_at', true),
        ],
        indices: [new TableIndex({ name: 'ix_outbox_events_unpublished', columnNames: ['published_at', 'id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox_events', 'problem_history', 'problems', 'api_tokens', 'users', 'departments']) {
      await queryRunner.dropTable(table);
    }
  }
}
