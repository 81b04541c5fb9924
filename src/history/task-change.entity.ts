import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum TaskChangeKind {
  Created = 'created',
  Updated = 'updated',
  Deleted = 'deleted',
  CommentCreated = 'comment_created',
  CommentUpdated = 'comment_updated',
  CommentDeleted = 'comment_deleted',
}

/** One write of one task, recorded in the same transaction as the write (the change log). */
@Entity({ name: 'task_changes' })
export class TaskChange {
  /** Grows with every change: the cursor of GET /tasks/changes and the event id of the stream. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: TaskChangeKind;

  /** JSON: `{field: {old, new}}` for the fields the write changed, in wire form. */
  @Column({ type: 'text' })
  fields!: string;

  /** JSON: the task as the write left it (wire form), or null for a deletion. */
  @Column({ type: 'text', nullable: true })
  snapshot!: string | null;

  /** JSON: the comment a `comment_*` entry is about, as written (null for a deletion and for task entries). */
  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId!: string | null;

  @Column({ name: 'changed_at', type: Date })
  changedAt!: Date;
}
