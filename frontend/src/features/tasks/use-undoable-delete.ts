import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../lib/api-client';
import { deleteTask } from './tasks.api';
import type { Task } from './task.types';
import { useDeleteTask } from './use-tasks';

export const undoDelayMs = 5000;

export interface PendingDelete {
  task: Task;
  /** The request has been sent; it can no longer be undone. */
  sent: boolean;
}

/**
 * Deletes after a grace period so that "Undo" only has to cancel a timer: the API has no way to bring a
 * deleted task back with its id and timestamps.
 */
export function useUndoableDelete(onFailure: (task: Task, error: unknown) => void) {
  const [pending, setPending] = useState<PendingDelete[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  // While the person's pointer or focus is on an Undo, no grace period runs out: it restarts in full when they leave.
  const held = useRef(false);
  const waiting = useRef(new Map<string, Task>());
  const removeTask = useDeleteTask();
  const { mutateAsync } = removeTask;
  const onFailureRef = useRef(onFailure);

  useEffect(() => {
    onFailureRef.current = onFailure;
  }, [onFailure]);

  const send = useCallback(
    async (task: Task) => {
      timers.current.delete(task.id);
      waiting.current.delete(task.id);
      setPending((current) => current.map((item) => (item.task.id === task.id ? { ...item, sent: true } : item)));
      try {
        await mutateAsync(task.id);
      } catch (error) {
        // Already gone is what the person asked for.
        if (!(error instanceof ApiError && error.status === 404)) onFailureRef.current(task, error);
      } finally {
        setPending((current) => current.filter((item) => item.task.id !== task.id));
      }
    },
    [mutateAsync],
  );

  const schedule = useCallback(
    (task: Task) => {
      if (waiting.current.has(task.id)) return;
      setPending((current) => [...current, { task, sent: false }]);
      waiting.current.set(task.id, task);
      if (!held.current) timers.current.set(task.id, setTimeout(() => void send(task), undoDelayMs));
    },
    [send],
  );

  /** Stops every grace period while the person is at an Undo (hovering it, or focus on it). */
  const hold = useCallback(() => {
    held.current = true;
    for (const timer of timers.current.values()) clearTimeout(timer);
    timers.current.clear();
  }, []);

  /** Gives each waiting delete its full grace period again, from now. */
  const release = useCallback(() => {
    held.current = false;
    for (const [id, task] of waiting.current) {
      clearTimeout(timers.current.get(id));
      timers.current.set(id, setTimeout(() => void send(task), undoDelayMs));
    }
  }, [send]);

  const undo = useCallback((id: string) => {
    if (!waiting.current.has(id)) return;
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    waiting.current.delete(id);
    setPending((current) => current.filter((item) => item.task.id !== id));
  }, []);

  useEffect(() => {
    const running = timers.current;
    const tasks = waiting.current;
    // Leaving the page during the grace period still deletes: the person confirmed it and did not undo.
    function flush() {
      for (const timer of running.values()) clearTimeout(timer);
      for (const id of tasks.keys()) void deleteTask(id, { keepalive: true }).catch(() => undefined);
      running.clear();
      tasks.clear();
    }
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, []);

  return { pending, schedule, undo, hold, release };
}
