import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How many open tasks (not done) are due on a UTC day; kept by database triggers (AddTaskCounts migration). */
@Entity({ name: 'task_due_days' })
export class TaskDueDay {
  /** `YYYY-MM-DD`, which sorts as the days do. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  // bigint on PostgreSQL, which pg returns as a string.
  @Column({ type: 'integer' })
  count!: number | string;
}
