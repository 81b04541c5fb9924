import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Whether a user watches a task, once something decided it (creation, assignment, a comment, a mention, asking). */
@Entity({ name: 'task_watchers' })
export class TaskWatcher {
  @PrimaryColumn({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'boolean' })
  watching!: boolean;
}
