import { type MigrationInterface, type QueryRunner, Table, TableCheck } from 'typeorm';

/**
 * [scale-out] Shared evidence: `evidence_contents` holds the content of the database store (EVIDENCE_STORE=database),
 * one row per SHA-256; `evidence_store` has one row saying which store the servers of this database use (and, for the
 * file store, the id of its directory, also written as `<EVIDENCE_DIR>/.store-id`), so that a server configured
 * otherwise refuses to start. Nothing is recorded here: the first server to start records what it is configured with.
 */
export class SharedEvidence1765497600000 implements MigrationInterface {
  name = 'SharedEvidence1765497600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const binary = queryRunner.connection.options.type === 'postgres' ? 'bytea' : 'blob';
    await queryRunner.createTable(
      new Table({
        name: 'evidence_contents',
        columns: [
          { name: 'sha256', type: 'varchar', length: '64', isPrimary: true },
          { name: 'content', type: binary },
          { name: 'size', type: 'integer' },
          { name: 'stored_at', type: 'varchar', length: '30' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'evidence_store',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'store_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'recorded_at', type: 'varchar', length: '30' },
        ],
        // One row at most: the store of the whole database.
        checks: [new TableCheck({ name: 'ck_evidence_store_single_row', expression: 'id = 1' })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('evidence_store');
    await queryRunner.dropTable('evidence_contents');
  }
}
