import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Links between problems, both ways: `repeat_of` from the repeat, `repeated_by` from the earlier one. */
@Entity({ name: 'problem_links' })
export class ProblemLinkEntity {
  @PrimaryColumn({ name: 'problem_id', type: 'varchar', length: 36 })
  problemId: string;

  @PrimaryColumn({ name: 'linked_problem_id', type: 'varchar', length: 36 })
  linkedProblemId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;
}
