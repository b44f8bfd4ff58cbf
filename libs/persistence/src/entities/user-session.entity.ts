import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A signed-in browser. The cookie holds a random secret; the row only its SHA-256 (as for API tokens). */
@Entity({ name: 'user_sessions' })
@Index('ux_user_sessions_secret_hash', ['secretHash'], { unique: true })
@Index('ix_user_sessions_user', ['userId'])
export class UserSessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  /** Updated at most once a minute (idle expiry counts from it). */
  @Column({ name: 'last_seen_at', type: 'varchar', length: 30 })
  lastSeenAt: string;

  /** The absolute end: SESSION_MAX_HOURS after sign-in. */
  @Column({ name: 'expires_at', type: 'varchar', length: 30 })
  expiresAt: string;
}
