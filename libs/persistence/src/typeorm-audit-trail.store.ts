import { AuditTrailStore, type HistoryAnchor } from '#engine';
import type { Database } from './database.js';
import { HistoryAnchorEntity } from './entities/index.js';
import { RowStatements } from './row-statements.js';

export class TypeOrmAuditTrailStore extends AuditTrailStore {
  private statements?: RowStatements<HistoryAnchorEntity>;

  constructor(private readonly db: Database) {
    super();
  }

  private get anchorRows(): RowStatements<HistoryAnchorEntity> {
    this.statements ??= new RowStatements(this.db.dataSource, HistoryAnchorEntity);
    return this.statements;
  }

  problemIdsAfter(after: string | null, limit: number): Promise<Array<{ id: string; historyHash: string | null }>> {
    return this.db.sqlRead((sql) =>
      sql.all('SELECT id, history_hash AS "historyHash" FROM problems WHERE id > ? ORDER BY id LIMIT ?', [after ?? '', limit]),
    );
  }

  async firstHistoryDayFrom(fromDay: string): Promise<string | null> {
    // occurred_at is ISO UTC text: its first ten characters are the UTC day (indexed).
    const [row] = await this.db.sqlRead((sql) =>
      sql.all<{ first: string | null }>('SELECT MIN(occurred_at) AS first FROM problem_history WHERE occurred_at >= ?', [fromDay]),
    );
    return row?.first ? row.first.slice(0, 10) : null;
  }

  async rowHashesOfDay(day: string): Promise<string[]> {
    const rows = await this.db.sqlRead((sql) =>
      sql.all<{ hash: string }>('SELECT hash FROM problem_history WHERE occurred_at >= ? AND occurred_at < ? ORDER BY id', [day, `${day}~`]),
    );
    return rows.map((row) => row.hash);
  }

  anchors(): Promise<HistoryAnchor[]> {
    return this.db.sqlRead((sql) => sql.all<HistoryAnchor>(`SELECT ${this.anchorRows.selectList} FROM history_anchors ORDER BY day`));
  }

  async lastAnchor(): Promise<HistoryAnchor | null> {
    const [row] = await this.db.sqlRead((sql) =>
      sql.all<HistoryAnchor>(`SELECT ${this.anchorRows.selectList} FROM history_anchors ORDER BY day DESC LIMIT 1`),
    );
    return row ?? null;
  }

  async insertAnchor(anchor: HistoryAnchor): Promise<boolean> {
    const inserted = await this.db.sqlWrite((sql) => sql.run(this.anchorRows.insertOrIgnore, this.anchorRows.values(anchor)));
    return inserted === 1;
  }
}
