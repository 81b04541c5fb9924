import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One `Idempotency-Key` seen on `POST /tasks`, per scope (a credential, or one shared scope without
 * accounts). While the first request runs, `leaseToken` names it and `lockedUntil` bounds how long it
 * may hold the key; once it has answered, the answer is kept until `expiresAt` to be replayed.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  scope!: string;

  @Column({ type: 'varchar', length: 255 })
  key!: string;

  /** SHA-256 of the request body in canonical form: a retry with another body is refused. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ name: 'lease_token', type: 'varchar', length: 36, nullable: true })
  leaseToken!: string | null;

  @Column({ name: 'locked_until', type: Date, nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus!: number | null;

  /** JSON object of the headers replayed with the answer (Location, ETag). */
  @Column({ name: 'response_headers', type: 'text', nullable: true })
  responseHeaders!: string | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;
}
