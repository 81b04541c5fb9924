import type { Task, TaskChange } from './task.types';

// The versions this page wrote itself, so that the live stream's echo of them is neither highlighted nor reported as
// someone else's change. A version is a task's id and `updated_at`, which grows with every write. Bounded: the echo
// arrives within seconds, so only the latest writes matter.
const limit = 200;
const written = new Set<string>();

function remember(key: string): void {
  written.add(key);
  if (written.size > limit) written.delete(written.values().next().value as string);
}

/** A create or update this page made, as the server answered it. */
export function rememberOwnWrite(task: Task): void {
  remember(`${task.id}@${task.updated_at}`);
}

export function rememberOwnDelete(id: string): void {
  remember(`${id}@deleted`);
}

/** Whether a change from the stream is the echo of a write this page made. */
export function isOwnWrite(change: TaskChange): boolean {
  return written.has(change.task ? `${change.task_id}@${change.task.updated_at}` : `${change.task_id}@deleted`);
}

/** For tests: forget everything, as a new page load would. */
export function forgetOwnWrites(): void {
  written.clear();
}
