import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A URL that receives task and comment events, signed with its secret. */
@Entity({ name: 'webhooks' })
export class Webhook {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  /** JSON: `["*"]` or a list of event names. */
  @Column({ type: 'text' })
  events!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  @Column({ type: 'boolean' })
  active!: boolean;

  /** The HMAC key, exactly as shown once (`whsec_…`). */
  @Column({ type: 'varchar', length: 100 })
  secret!: string;

  /** Creation or last reactivation: only deliveries attempted since count toward auto-disabling. */
  @Column({ name: 'counting_since', type: Date })
  countingSince!: Date;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;
}
