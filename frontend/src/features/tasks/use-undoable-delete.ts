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
  const removeTask = useDeleteTask();
  const { mutateAsync } = removeTask;
  const onFailureRef = useRef(onFailure);

  useEffect(() => {
    onFailureRef.current = onFailure;
  }, [onFailure]);

  const send = useCallback(
    async (task: Task) => {
      timers.current.delete(task.id);
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
      if (timers.current.has(task.id)) return;
      setPending((current) => [...current, { task, sent: false }]);
      timers.current.set(
        task.id,
        setTimeout(() => void send(task), undoDelayMs),
      );
    },
    [send],
  );

  const undo = useCallback((id: string) => {
    const timer = timers.current.get(id);
    if (timer === undefined) return;
    clearTimeout(timer);
    timers.current.delete(id);
    setPending((current) => current.filter((item) => item.task.id !== id));
  }, []);

  useEffect(() => {
    const waiting = timers.current;
    // Leaving the page during the grace period still deletes: the person confirmed it and did not undo.
    function flush() {
      for (const [id, timer] of waiting) {
        clearTimeout(timer);
        void deleteTask(id, { keepalive: true }).catch(() => undefined);
      }
      waiting.clear();
    }
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, []);

  return { pending, schedule, undo };
}
