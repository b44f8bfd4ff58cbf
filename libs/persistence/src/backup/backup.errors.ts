/** Stable codes of what stops a backup or a restore (admin commands only: never an HTTP answer). */
export type BackupErrorCode =
  | 'BACKUP.TARGET_NOT_EMPTY'
  | 'BACKUP.NO_DATABASE'
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
