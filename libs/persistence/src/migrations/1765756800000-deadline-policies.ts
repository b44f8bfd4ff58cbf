import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * [supervision] Published versions of the deadline policy, edited by admins. No problem row changes: a problem
 * assigned before versions existed carries no stamp and runs under version 1, the built-in policy, which the server
 * stores here at its first start.
 */
export class DeadlinePolicies1765756800000 implements MigrationInterface {
  name = 'DeadlinePolicies1765756800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'deadline_policies',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'version', type: 'integer', isPrimary: true },
          { name: 'data', type: 'text' },
          { name: 'published_at', type: 'varchar', length: '30' },
          { name: 'published_by', type: 'varchar', length: '64', isNullable: true },
          { name: 'published_by_name', type: 'varchar', length: '200', isNullable: true },
          { name: 'note', type: 'text', isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('deadline_policies');
  }
}
