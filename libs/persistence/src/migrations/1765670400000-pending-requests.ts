import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * [console] The requests waiting for a supervisor's decision as a list: the kind of a problem's pending extension or
 * suspension request (null when none waits) stored beside its snapshot, filled in for the problems already stored,
 * and a partial index over the few rows that have one, so the list reads only those and an event on any other
 * problem touches no index entry of it.
 */
export class PendingRequests1765670400000 implements MigrationInterface {
  name = 'PendingRequests1765670400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('problems', new TableColumn({ name: 'pending_request', type: 'varchar', length: '16', isNullable: true }));
    const kind =
      queryRunner.connection.options.type === 'postgres'
        ? "(snapshot::jsonb -> 'context' -> 'pendingRequest' ->> 'kind')"
        : "json_extract(snapshot, '$.context.pendingRequest.kind')";
    await queryRunner.query(`UPDATE problems SET pending_request = ${kind} WHERE ${kind} IS NOT NULL`);
    await queryRunner.createIndex(
      'problems',
      new TableIndex({ name: 'ix_problems_pending_request', columnNames: ['pending_request', 'id'], where: 'pending_request IS NOT NULL' }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('problems', 'ix_problems_pending_request');
    await queryRunner.dropColumn('problems', 'pending_request');
  }
}
