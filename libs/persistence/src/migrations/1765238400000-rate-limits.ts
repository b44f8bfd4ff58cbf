import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * [scale-out] request counts that every server on the database shares: one row per counted subject (a token, a
 * session, a client address) and fixed window. Created on SQLite too, where one process counts in memory by default.
 */
export class RateLimits1765238400000 implements MigrationInterface {
  name = 'RateLimits1765238400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'rate_limits',
        columns: [
          { name: 'subject', type: 'varchar', length: '200', isPrimary: true },
          { name: 'window_start', type: 'varchar', length: '30', isPrimary: true },
          { name: 'ends_at', type: 'varchar', length: '30' },
          { name: 'hits', type: 'integer' },
        ],
        indices: [new TableIndex({ name: 'ix_rate_limits_ends_at', columnNames: ['ends_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rate_limits');
  }
}
