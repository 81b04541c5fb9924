// Folds the API's GROUP BY status, priority rows into the /tasks/stats body, as the API's service does.
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
