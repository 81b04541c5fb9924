import { SelectQueryBuilder } from 'typeorm';
import { TaskFiltersDto } from './dto/list-tasks-query.dto';
import { foldForSearch, Task } from './task.entity';
import { SortOrder, TaskSortKey } from './task.enums';
import { parseTimestamp } from './timestamp';

export const TASK_ALIAS = 'task';

// Identical to the expression indexes of the CreateTasks migration, so the planner can use them.
const STATUS_RANK = "(CASE status WHEN 'todo' THEN 0 WHEN 'in_progress' THEN 1 ELSE 2 END)";
const PRIORITY_RANK = "(CASE priority WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END)";

const SORT_EXPRESSIONS: Record<TaskSortKey, string> = {
  [TaskSortKey.CreatedAt]: `${TASK_ALIAS}.createdAt`,
  [TaskSortKey.UpdatedAt]: `${TASK_ALIAS}.updatedAt`,
  [TaskSortKey.DueDate]: `${TASK_ALIAS}.dueDate`,
  [TaskSortKey.Title]: `${TASK_ALIAS}.title`,
  [TaskSortKey.Priority]: PRIORITY_RANK,
  [TaskSortKey.Status]: STATUS_RANK,
};

/** Joins the id and current name of the task's creator and last editor. */
export function withAuthors(query: SelectQueryBuilder<Task>): SelectQueryBuilder<Task> {
  return query
    .leftJoin(`${TASK_ALIAS}.createdBy`, 'creator')
    .leftJoin(`${TASK_ALIAS}.updatedBy`, 'editor')
    .addSelect(['creator.id', 'creator.name', 'editor.id', 'editor.name']);
}

/** Escapes LIKE's wildcards so that `%`, `_` and `\` in `q` match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Adds the WHERE clauses of the filters; they combine with AND. */
export function applyFilters(query: SelectQueryBuilder<Task>, filters: TaskFiltersDto): SelectQueryBuilder<Task> {
  if (filters.status !== undefined) query.andWhere(`${TASK_ALIAS}.status = :status`, { status: filters.status });
  if (filters.priority !== undefined) query.andWhere(`${TASK_ALIAS}.priority = :priority`, { priority: filters.priority });
  if (filters.assignee !== undefined) query.andWhere(`${TASK_ALIAS}.assignee = :assignee`, { assignee: filters.assignee });
  if (filters.q !== undefined) {
    query.andWhere(
      `(${TASK_ALIAS}.searchTitle LIKE :pattern ESCAPE '\\' OR ${TASK_ALIAS}.searchDescription LIKE :pattern ESCAPE '\\')`,
      { pattern: `%${escapeLike(foldForSearch(filters.q))}%` },
    );
  }
  // A NULL due_date never compares true, so both bounds exclude tasks without one.
  if (filters.due_before !== undefined) {
    query.andWhere(`${TASK_ALIAS}.dueDate < :dueBefore`, { dueBefore: parseTimestamp(filters.due_before) });
  }
  if (filters.due_after !== undefined) {
    query.andWhere(`${TASK_ALIAS}.dueDate > :dueAfter`, { dueAfter: parseTimestamp(filters.due_after) });
  }
  return query;
}

/**
 * Orders by the sort key, then by id in the same direction so that pages never overlap or skip.
 * Tasks without a due date come last in either direction.
 */
export function applySort(
  query: SelectQueryBuilder<Task>,
  sort: TaskSortKey = TaskSortKey.CreatedAt,
  order: SortOrder = SortOrder.Asc,
): SelectQueryBuilder<Task> {
  const direction = order === SortOrder.Desc ? 'DESC' : 'ASC';
  if (sort === TaskSortKey.DueDate) {
    query.orderBy(SORT_EXPRESSIONS[sort], direction, 'NULLS LAST');
  } else {
    query.orderBy(SORT_EXPRESSIONS[sort], direction);
  }
  return query.addOrderBy(`${TASK_ALIAS}.id`, direction);
}
