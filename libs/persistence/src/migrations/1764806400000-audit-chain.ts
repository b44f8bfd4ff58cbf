import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { GENESIS_HASH, historyEntryHash } from '#domain';

/** Rows per read while chaining the history that existed before this migration. */
const CHUNK = 1000;

/**
 * [reliability]: the tamper-evident audit trail. Each history row gets its chained hash, each problem the hash of
 * its latest row, and history_anchors holds one anchor per completed day. History written before this migration
 * is chained here, in version order, exactly as the engine chains new rows.
 */
export class AuditChain1764806400000 implements MigrationInterface {
  name = 'AuditChain1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('problem_history', new TableColumn({ name: 'hash', type: 'varchar', length: '64', default: "''" }));
    await queryRunner.addColumn('problems', new TableColumn({ name: 'history_hash', type: 'varchar', length: '64', isNullable: true }));
    // Anchoring reads one day of history at a time.
    await queryRunner.createIndex('problem_history', new TableIndex({ name: 'ix_problem_history_occurred', columnNames: ['occurred_at'] }));
    await queryRunner.createTable(
      new Table({
        name: 'history_anchors',
        columns: [
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'rows', type: 'integer' },
          { name: 'rows_hash', type: 'varchar', length: '64' },
          { name: 'previous_anchor', type: 'varchar', length: '64' },
          { name: 'anchor', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
      }),
    );
    await this.chainExistingHistory(queryRunner);
  }

  private async chainExistingHistory(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const mark = (index: number) => (postgres ? `$${index}` : '?');
    let after = { problemId: '', version: 0 };
    let previous = { problemId: '', hash: GENESIS_HASH };
    // A problem's head is its last row's hash: written once its rows are done.
    const setHead = async ({ problemId, hash }: { problemId: string; hash: string }) => {
      if (problemId !== '') await queryRunner.query(`UPDATE problems SET history_hash = ${mark(1)} WHERE id = ${mark(2)}`, [hash, problemId]);
    };
    for (;;) {
      const rows: Array<Record<string, unknown>> = await queryRunner.query(
        `SELECT id, problem_id, version, event_type, payload, actor_id, actor_name, actor_role, from_state, to_state, occurred_at
         FROM problem_history WHERE problem_id > ${mark(1)} OR (problem_id = ${mark(2)} AND version > ${mark(3)})
         ORDER BY problem_id, version LIMIT ${CHUNK}`,
        [after.problemId, after.problemId, after.version],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const problemId = String(row.problem_id);
        const previousHash = previous.problemId === problemId ? previous.hash : GENESIS_HASH;
        const hash = historyEntryHash(previousHash, {
          id: String(row.id),
          problemId,
          version: Number(row.version),
          eventType: String(row.event_type),
          payload: JSON.parse(String(row.payload)),
          actorId: String(row.actor_id),
          actorName: String(row.actor_name),
          actorRole: String(row.actor_role),
          fromState: row.from_state === null ? null : String(row.from_state),
          toState: String(row.to_state),
          occurredAt: String(row.occurred_at),
        });
        await queryRunner.query(`UPDATE problem_history SET hash = ${mark(1)} WHERE id = ${mark(2)}`, [hash, row.id]);
        if (previous.problemId !== problemId) await setHead(previous);
        previous = { problemId, hash };
        after = { problemId, version: Number(row.version) };
      }
    }
    await setHead(previous);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('history_anchors');
    await queryRunner.dropIndex('problem_history', 'ix_problem_history_occurred');
    await queryRunner.dropColumn('problems', 'history_hash');
    await queryRunner.dropColumn('problem_history', 'hash');
  }
}
