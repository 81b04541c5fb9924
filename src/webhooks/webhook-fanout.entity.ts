import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The one row recording up to which change-log entry deliveries were made. */
@Entity({ name: 'webhook_fanout' })
export class WebhookFanoutState {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq!: string;
}
