import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum NotificationKind {
  Assigned = 'assigned',
  Mentioned = 'mentioned',
  Commented = 'commented',
  StatusChanged = 'status_changed',
  TaskDeleted = 'task_deleted',
  DueSoon = 'due_soon',
  WebhookDisabled = 'webhook_disabled',
}

/** Something a user should hear about; written in the same transaction as its cause. */
@Entity({ name: 'notifications' })
export class Notification {
  /** Grows with every notification: the order in which the live streams deliver them. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: NotificationKind;

  @Column({ name: 'task_id', type: 'varchar', length: 36, nullable: true })
  taskId!: string | null;

  /** The task's key and title when the notification was made: what a deleted task's notification shows. */
  @Column({ name: 'task_key', type: 'varchar', length: 24, nullable: true })
  taskKey!: string | null;

  @Column({ name: 'task_title', type: 'varchar', length: 200, nullable: true })
  taskTitle!: string | null;

  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true })
  actorId!: string | null;

  @Column({ name: 'comment_id', type: 'varchar', length: 36, nullable: true })
  commentId!: string | null;

  @Column({ name: 'webhook_id', type: 'varchar', length: 36, nullable: true })
  webhookId!: string | null;

  @Column({ name: 'webhook_url', type: 'varchar', length: 2000, nullable: true })
  webhookUrl!: string | null;

  /** Unique: a cause that may be noticed several times (a periodic job on several instances) notifies once. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 200, nullable: true })
  dedupeKey!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'read_at', type: Date, nullable: true })
  readAt!: Date | null;
}
