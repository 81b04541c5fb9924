import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum DeliveryStatus {
  Pending = 'pending',
  Succeeded = 'succeeded',
  Failed = 'failed',
}

/** One event sent (or to send) to one webhook; every attempt sends the same body under the same id. */
@Entity({ name: 'webhook_deliveries' })
export class WebhookDelivery {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'webhook_id', type: 'varchar', length: 36 })
  webhookId!: string;

  /** The change-log entry it carries (unique per webhook); null for a ping. */
  @Column({ name: 'change_seq', type: 'bigint', nullable: true })
  changeSeq!: string | null;

  @Column({ type: 'varchar', length: 30 })
  event!: string;

  /** The JSON body, fixed when the delivery is made; SHARED_BODY for an entry's delivery, whose body is its id and the entry's payload (webhook-payloads.ts). */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: DeliveryStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  /** A redelivery's single attempt: when it fails, the delivery fails without further retries. */
  @Column({ name: 'last_chance', type: 'boolean' })
  lastChance!: boolean;

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'last_attempt_at', type: Date, nullable: true })
  lastAttemptAt!: Date | null;

  /** When the next attempt is due; null once settled, or while its webhook is inactive (waiting). */
  @Column({ name: 'next_attempt_at', type: Date, nullable: true })
  nextAttemptAt!: Date | null;

  /**
   * Until when an instance's claim holds it (being sent): not due again before, even when `next_attempt_at` has
   * come. Null when unclaimed; whatever cancels the attempt in flight (redelivery, pause) clears it.
   */
  @Column({ name: 'claimed_until', type: Date, nullable: true, select: false })
  claimedUntil!: Date | null;
}
