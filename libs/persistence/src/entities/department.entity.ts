import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A responsible department or a supervising office; `parentId` points up the supervising chain. */
@Entity({ name: 'departments' })
export class DepartmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId: string | null;

  /** The department head: first recipient of its escalations. */
  @Column({ name: 'head_user_id', type: 'varchar', length: 36, nullable: true })
  headUserId: string | null;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;
}
