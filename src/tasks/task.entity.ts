import { Column, Entity, PrimaryColumn } from 'typeorm';
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

export function foldForSearch(text: string): string {
  return text.toLowerCase();
}
