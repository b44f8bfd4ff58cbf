import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'users' })
@Index('ux_users_username_key', ['usernameKey'], { unique: true })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 100 })
  username: string;

  /** The username case-folded (usernameKey): unique, so `Wang.Fang` and `wang.fang` cannot both exist. */
  @Column({ name: 'username_key', type: 'varchar', length: 100 })
  usernameKey: string;

  @Column({ type: 'varchar', length: 16 })
  role: string;

  @Column({ name: 'department_id', type: 'varchar', length: 36, nullable: true })
  departmentId: string | null;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  /** `scrypt$N$r$p$salt$hash`; null for users who only have API tokens. */
  @Column({ name: 'password_hash', type: 'varchar', length: 200, nullable: true })
  passwordHash: string | null;

  @Column({ name: 'must_change_password', type: 'boolean' })
  mustChangePassword: boolean;

  /** Wrong passwords in a row since the last success or lock. */
  @Column({ name: 'failed_sign_ins', type: 'integer' })
  failedSignIns: number;

  @Column({ name: 'locked_until', type: 'varchar', length: 30, nullable: true })
  lockedUntil: string | null;

  /** SHA-256 of the one-time invitation code (128 random bits), while one is open. */
  @Column({ name: 'invitation_hash', type: 'varchar', length: 64, nullable: true })
  invitationHash: string | null;

  @Column({ name: 'invitation_expires_at', type: 'varchar', length: 30, nullable: true })
  invitationExpiresAt: string | null;

  /** Where notifications reach the person (null: only their department's robot). */
  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  /** For @-mentions in robot messages. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  mobile: string | null;

  /** zh or en: the language of their messages. */
  @Column({ type: 'varchar', length: 8, default: 'zh' })
  language: string;

  /** JSON array of the event names they opted out of (mandatory ones still reach them). */
  @Column({ name: 'notify_opt_outs', type: 'text', default: '[]' })
  notifyOptOuts: string;
}
