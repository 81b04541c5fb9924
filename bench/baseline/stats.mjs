// Helpers that keep the baseline's answers the API's: when task_counts answers a count, and the stats body.

/** As the API's service: no filter other than status and priority. */
export function countedByStatusAndPriority(filters) {
  return filters.assignee === undefined && filters.pattern === undefined;
}

/** Folds the nine (status, priority) counts into the /tasks/stats body. */
export function statsFromGroups(groups, overdue) {
  const stats = { total: 0, by_status: { todo: 0, in_progress: 0, done: 0 }, by_priority: { low: 0, medium: 0, high: 0 },
    overdue };
  for (const group of groups) {
    const count = Number(group.count);
    stats.total += count;
    stats.by_status[group.status] += count;
    stats.by_priority[group.priority] += count;
  }
  return stats;
}
