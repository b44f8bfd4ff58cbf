import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** API tokens are stored only as SHA-256 hashes; the token itself is shown once, when issued. */
@Entity({ name: 'api_tokens' })
@Index('ux_api_tokens_hash', ['tokenHash'], { unique: true })
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
}
