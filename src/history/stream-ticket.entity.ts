import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A short-lived, single-use ticket that opens one event stream: a browser's EventSource cannot send an
 * Authorization header, and the session cookie is meant for /auth/refresh only.
 */
@Entity({ name: 'stream_tickets' })
export class StreamTicket {
  /** SHA-256 of the ticket. */
  @PrimaryColumn({ name: 'ticket_hash', type: 'varchar', length: 64 })
  ticketHash!: string;

  /** The credential the ticket was made with, as `credentialKey()` names it. */
  @Column({ type: 'varchar', length: 80 })
  credential!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  /** When the credential that made the ticket expires: the stream closes then. */
  @Column({ name: 'credential_expires_at', type: Date, nullable: true })
  credentialExpiresAt!: Date | null;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: Date, nullable: true })
  usedAt!: Date | null;
}
