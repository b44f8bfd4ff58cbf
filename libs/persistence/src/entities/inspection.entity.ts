import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An inspection (检查). `organisationKey` is the organisation's id, or '' for inspections of no organisation, so
 * that the unique (organisation, reference) holds on both databases (NULLs would never collide).
 */
@Entity({ name: 'inspections' })
@Index('ux_inspections_reference', ['organisationKey', 'reference'], { unique: true })
@Index('ix_inspections_reference', ['reference'])
@Index('ix_inspections_office', ['officeId', 'id'])
export class InspectionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'organisation_key', type: 'varchar', length: 36 })
  organisationKey: string;

  @Column({ name: 'office_id', type: 'varchar', length: 36, nullable: true })
  officeId: string | null;

  @Column({ type: 'varchar', length: 100 })
  reference: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 20 })
  kind: string;

  @Column({ name: 'starts_on', type: 'varchar', length: 10, nullable: true })
  startsOn: string | null;

  @Column({ name: 'ends_on', type: 'varchar', length: 10, nullable: true })
  endsOn: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt: string;
}

/** The inspection team: whose read scope takes in every problem of the inspection. */
@Entity({ name: 'inspection_members' })
@Index('ix_inspection_members_user', ['userId', 'inspectionId'])
export class InspectionMemberEntity {
  @PrimaryColumn({ name: 'inspection_id', type: 'varchar', length: 36 })
  inspectionId: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'added_by', type: 'varchar', length: 36 })
  addedBy: string;

  @Column({ name: 'added_at', type: 'varchar', length: 30 })
  addedAt: string;
}

/** The departments an inspection inspects. */
@Entity({ name: 'inspection_departments' })
@Index('ix_inspection_departments_department', ['departmentId', 'inspectionId'])
export class InspectionDepartmentEntity {
  @PrimaryColumn({ name: 'inspection_id', type: 'varchar', length: 36 })
  inspectionId: string;

  @PrimaryColumn({ name: 'department_id', type: 'varchar', length: 36 })
  departmentId: string;
}
