import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A cookie value that a refresh has replaced; presenting it again means it was stolen. */
@Entity({ name: 'retired_session_tokens' })
export class RetiredSessionToken {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId!: string;

  @Column({ name: 'retired_at', type: Date })
  retiredAt!: Date;
}
