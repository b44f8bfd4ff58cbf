/** Stable codes of what stops a backup or a restore (admin commands only: never an HTTP answer). */
export type BackupErrorCode =
  | 'BACKUP.TARGET_NOT_EMPTY'
  | 'BACKUP.NO_DATABASE'
  /** The backup is of the file store, and no EVIDENCE_DIR was given to copy from or into. */
  | 'BACKUP.NO_EVIDENCE_DIR'
  | 'BACKUP.NOT_A_BACKUP'
  | 'BACKUP.WRONG_DATABASE_KIND'
  | 'BACKUP.NEWER_SCHEMA'
  | 'BACKUP.DUMP_FAILED'
  | 'BACKUP.LOAD_FAILED';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}
