import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One imported row's idempotency key within its inspection (bulk filing): the row's own key column, or a hash of
 * its normalised content. The primary key is the uniqueness that keeps a row from being filed twice, also when
 * two imports run at once.
 */
@Entity({ name: 'import_keys' })
export class ImportKeyEntity {
  @PrimaryColumn({ name: 'inspection_id', type: 'varchar', length: 36 })
  inspectionId: string;

  @PrimaryColumn({ name: 'import_key', type: 'varchar', length: 100 })
  importKey: string;

  @Column({ name: 'problem_id', type: 'varchar', length: 36 })
  problemId: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;
}
