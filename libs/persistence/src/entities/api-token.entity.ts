import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** API tokens are stored only as SHA-256 hashes; the token itself is shown once, when issued. */
@Entity({ name: 'api_tokens' })
@Index('ux_api_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_api_tokens_user', ['userId'])
export class ApiTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'varchar', length: 100 })
  label: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'revoked_at', type: 'varchar', length: 30, nullable: true })
  revokedAt: string | null;

  @Column({ name: 'expires_at', type: 'varchar', length: 30, nullable: true })
  expiresAt: string | null;

  /** Updated at most once a minute, so authentication stays a read. */
  @Column({ name: 'last_used_at', type: 'varchar', length: 30, nullable: true })
  lastUsedAt: string | null;
}
