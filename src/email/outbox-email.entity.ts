import { Column, Entity, PrimaryColumn } from 'typeorm';

export type OutboxEmailStatus = 'pending' | 'sent' | 'failed';

/**
 * One email, written in the transaction of its cause and sent by an `email.send` job. The bodies hold the
 * message's links (a reset token, an invitation code) only until it is sent: they are emptied then.
 */
@Entity({ name: 'emails' })
export class OutboxEmail {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Which template wrote it: `invitation`, `password_reset`, ... */
  @Column({ type: 'varchar', length: 30 })
  kind!: string;

  @Column({ type: 'varchar', length: 254 })
  recipient!: string;

  @Column({ name: 'recipient_key', type: 'varchar', length: 254 })
  recipientKey!: string;

  @Column({ type: 'varchar', length: 300 })
  subject!: string;

  @Column({ name: 'text_body', type: 'text' })
  textBody!: string;

  @Column({ name: 'html_body', type: 'text' })
  htmlBody!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: OutboxEmailStatus;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: Date, nullable: true })
  sentAt!: Date | null;
}
