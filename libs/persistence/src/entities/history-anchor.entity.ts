import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One UTC day of history, all problems: the hash over its rows' hashes, chained to the previous day's anchor. */
@Entity({ name: 'history_anchors' })
export class HistoryAnchorEntity {
  /** YYYY-MM-DD (UTC). */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @Column({ type: 'integer' })
  rows: number;

  @Column({ name: 'rows_hash', type: 'varchar', length: 64 })
  rowsHash: string;

  @Column({ name: 'previous_anchor', type: 'varchar', length: 64 })
  previousAnchor: string;

  @Column({ type: 'varchar', length: 64 })
  anchor: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;
}
