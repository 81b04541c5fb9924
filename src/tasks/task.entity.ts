import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { TaskPriority, TaskStatus } from './task.enums';

@Entity({ name: 'tasks' })
export class Task {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 20, default: TaskStatus.Todo })
  status!: TaskStatus;

  @Column({ type: 'varchar', length: 20, default: TaskPriority.Medium })
  priority!: TaskPriority;

  @Column({ type: 'varchar', length: 100, nullable: true })
  assignee!: string | null;

  @Column({ name: 'due_date', type: Date, nullable: true })
  dueDate!: Date | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  /** Null in AUTH_MODE=off and for tasks written before accounts existed. */
  @Column({ name: 'created_by_id', type: 'varchar', length: 36, nullable: true })
  createdById!: string | null;

  @Column({ name: 'updated_by_id', type: 'varchar', length: 36, nullable: true })
  updatedById!: string | null;

  /** Loaded with id and name only (see withAuthors), for `created_by` / `updated_by`. */
  @ManyToOne(() => User, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: Pick<User, 'id' | 'name'> | null;

  @ManyToOne(() => User, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'updated_by_id' })
  updatedBy?: Pick<User, 'id' | 'name'> | null;

  @Column({ name: 'project_id', type: 'varchar', length: 36 })
  projectId!: string;

  /** Unique inside the project, never reused; with the project's key it makes the task's key (`TF-12`). */
  @Column({ type: 'integer' })
  number!: number;

  /** The member the task is assigned to (independent of v1's free-text `assignee`); null in AUTH_MODE=off. */
  @Column({ name: 'assignee_id', type: 'varchar', length: 36, nullable: true })
  assigneeId!: string | null;

  // Read along with the task by the read statements (tasks.query.ts), not columns of `tasks`.
  projectKey?: string;
  labels?: TaskLabel[];
  assigneeUser?: Pick<User, 'id' | 'name'> | null;
  commentCount?: number;

  /**
   * Lower-cased copies of title and description, kept by the service: `q` must ignore case for every
   * letter (accents included) on both databases, which neither SQLite's LIKE nor a PostgreSQL server
   * with a C locale does on its own.
   */
  @Column({ name: 'search_title', type: 'text', select: false })
  searchTitle!: string;

  @Column({ name: 'search_description', type: 'text', nullable: true, select: false })
  searchDescription!: string | null;
}

/** A label as tasks show it. */
export interface TaskLabel {
  id: string;
  name: string;
  color: string;
}

export function foldForSearch(text: string): string {
  return text.toLowerCase();
}
