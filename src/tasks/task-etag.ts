import { Task } from './task.entity';

/**
 * A task's version tag. `updated_at` grows strictly on every update, so it identifies the version;
 * it is printed in base 36 to keep the tag opaque.
 */
export function taskEtag(task: Pick<Task, 'updatedAt'>): string {
  return `"${task.updatedAt.getTime().toString(36)}"`;
}

/**
 * Whether an `If-Match` header lets a request go ahead on this task: absent, `*`, or a list holding
 * its current tag. Weak tags (`W/"..."`) are compared by their opaque part.
 */
export function ifMatchAllows(ifMatch: string | undefined, task: Pick<Task, 'updatedAt'>): boolean {
  if (ifMatch === undefined) return true;
  const current = taskEtag(task);
  return ifMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === current);
}
