export enum TaskStatus {
  Todo = 'todo',
  InProgress = 'in_progress',
  Done = 'done',
}

export enum TaskPriority {
  Low = 'low',
  Medium = 'medium',
  High = 'high',
}

/** Workflow order, used when sorting by status. */
export const STATUS_ORDER: readonly TaskStatus[] = [TaskStatus.Todo, TaskStatus.InProgress, TaskStatus.Done];
/** Order of meaning, used when sorting by priority. */
export const PRIORITY_ORDER: readonly TaskPriority[] = [TaskPriority.Low, TaskPriority.Medium, TaskPriority.High];

export enum TaskSortKey {
  CreatedAt = 'created_at',
  UpdatedAt = 'updated_at',
  DueDate = 'due_date',
  Priority = 'priority',
  Status = 'status',
  Title = 'title',
  /** Project key, then number. */
  Key = 'key',
}

export enum SortOrder {
  Asc = 'asc',
  Desc = 'desc',
}
