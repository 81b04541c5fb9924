import { useSyncExternalStore } from 'react';

/** As long as the CSS animation of `.task-changed` (styles.css). */
export const highlightMs = 1500;

// Tasks someone else just changed, each with the timer that ends its highlight and how many times it started.
const highlighted = new Map<string, { timer: ReturnType<typeof setTimeout>; count: number }>();
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

/** Marks tasks as just changed for `highlightMs`; a task changed again during it starts over. */
export function highlightTasks(ids: Iterable<string>): void {
  let changed = false;
  for (const id of ids) {
    const previous = highlighted.get(id);
    clearTimeout(previous?.timer);
    const timer = setTimeout(() => {
      highlighted.delete(id);
      notify();
    }, highlightMs);
    highlighted.set(id, { timer, count: (previous?.count ?? 0) + 1 });
    changed = true;
  }
  if (changed) notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The class names of a card or row whose task someone else just changed, or undefined. Two animations take turns,
 * so that a second change during the highlight starts it again (a new animation name restarts it).
 */
export function useHighlightClass(id: string): string | undefined {
  const count = useSyncExternalStore(subscribe, () => highlighted.get(id)?.count ?? 0);
  if (count === 0) return undefined;
  return `task-changed task-changed-${count % 2 === 1 ? 'odd' : 'even'}`;
}

/** For tests. */
export function clearHighlights(): void {
  for (const { timer } of highlighted.values()) clearTimeout(timer);
  highlighted.clear();
  notify();
}
