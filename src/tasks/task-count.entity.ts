import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TaskPriority, TaskStatus } from './task.enums';

/** How many tasks have a (status, priority) pair; kept by database triggers (AddTaskCounts migration). */
@Entity({ name: 'task_counts' })
export class TaskCount {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  status!: TaskStatus;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  priority!: TaskPriority;

  // bigint on PostgreSQL, which pg returns as a string.
  @Column({ type: 'integer' })
  count!: number | string;
}
