import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One published version of the deadline policy; versions are never changed, only added. */
@Entity({ name: 'deadline_policies' })
export class DeadlinePolicyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  /** JSON of the policy (workflows/rectification DeadlinePolicy). */
  @Column({ type: 'text' })
  data: string;

  @Column({ name: 'published_at', type: 'varchar', length: 30 })
  publishedAt: string;

  /** Null for the built-in version 1, stored at first start. */
  @Column({ name: 'published_by', type: 'varchar', length: 64, nullable: true })
  publishedBy: string | null;

  @Column({ name: 'published_by_name', type: 'varchar', length: 200, nullable: true })
  publishedByName: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
