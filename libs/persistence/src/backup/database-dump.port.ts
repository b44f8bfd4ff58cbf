/** Plain reads against one consistent view of a database (a snapshot being dumped, or a restored copy). */
export interface SnapshotReader {
  readonly kind: 'sqlite' | 'postgres';
  all<T>(sql: string): Promise<T[]>;
}

/**
 * Port: dumping a live database to a file and loading that file into an empty one. Adapters: SQLite (VACUUM INTO)
 * and PostgreSQL (pg_dump / psql).
 */
export abstract class DatabaseDump {
  abstract readonly kind: 'sqlite' | 'postgres';
  /** The dump's file name inside a backup folder. */
  abstract readonly fileName: string;

  /**
   * Writes one consistent snapshot of the running database to `file`, and answers `inspect` from that same
   * snapshot (so the manifest describes exactly what was dumped).
   */
  abstract dump<T>(file: string, inspect: (snapshot: SnapshotReader) => Promise<T>): Promise<T>;

  /** What makes the target not empty (a file, tables), or null when it is empty. */
  abstract notEmpty(): Promise<string | null>;

  /** Loads a dump into the (empty) target. */
  abstract load(file: string): Promise<void>;

  /** Reads the target as it is now (after `load`). */
  abstract read<T>(inspect: (reader: SnapshotReader) => Promise<T>): Promise<T>;
}
