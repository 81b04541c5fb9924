import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What an email says about one notification (the notification itself belongs to the notifications feature). */
export interface NotificationEmailItem {
  kind: 'assigned' | 'mentioned' | 'commented' | 'status_changed' | 'task_deleted' | 'due_soon';
  /** The task, whose current key the email shows (absent in items queued before tasks had keys). */
  taskId?: string;
  /** The key when queued; empty for a task created with the notification (its number was not given yet). */
  taskKey: string;
  taskTitle: string;
  /** Null for due_soon. */
  actorName: string | null;
}

/** One notification waiting to be emailed to its recipient. */
@Entity({ name: 'notification_emails' })
export class NotificationEmail {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  /** A NotificationEmailItem, as JSON. */
  @Column({ type: 'text' })
  item!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'email_id', type: 'varchar', length: 36, nullable: true })
  emailId!: string | null;
}
