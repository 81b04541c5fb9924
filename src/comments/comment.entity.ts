import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A comment on a task; created by the AddCommentsAndNotifications migration. */
@Entity({ name: 'comments' })
export class Comment {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @Column({ name: 'author_id', type: 'varchar', length: 36 })
  authorId!: string;

  /** Stored as sent (not trimmed); mentions are `<@USER_ID>` tokens in it. */
  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'edited_at', type: Date, nullable: true })
  editedAt!: Date | null;
}
