import { useMutationState, useQueryClient, type Mutation } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { moveMutationKey, type UpdateTaskVariables } from './use-tasks';
import type { Task, TaskStatus } from './task.types';

export interface MoveState {
  status: 'pending' | 'error';
  /** The column the card was on its way to. */
  to: TaskStatus;
  error: Error | null;
}

/**
 * Each task's latest status change from the list or the board while it is on its way or after it failed (the card
 * is then back where it was): what the cards show. A later move of the same task supersedes an earlier failure.
 */
export function useMoveStates() {
  const queryClient = useQueryClient();
  // Plain values, not the mutations themselves: useMutationState compares what `select` returns to re-render.
  const mutations = useMutationState({
    filters: { mutationKey: moveMutationKey },
    select: (mutation) => {
      const { status, variables, error, submittedAt } = (mutation as Mutation<unknown, Error, UpdateTaskVariables>).state;
      return { id: variables?.id, to: variables?.changes.status, status, error, submittedAt };
    },
  });
  const states = useMemo(() => {
    const latest = new Map<string, (typeof mutations)[number]>();
    for (const mutation of mutations) {
      const seen = mutation.id && latest.get(mutation.id);
      if (mutation.id && (!seen || mutation.submittedAt >= seen.submittedAt)) latest.set(mutation.id, mutation);
    }
    const result = new Map<string, MoveState>();
    for (const [id, { status, to, error }] of latest) {
      if ((status === 'pending' || status === 'error') && to) result.set(id, { status, to, error });
    }
    return result;
  }, [mutations]);

  /** Forgets a failed move once the person has seen it (dismissed it, or retried). */
  const dismiss = useCallback(
    (taskId: string) => {
      const cache = queryClient.getMutationCache();
      for (const mutation of cache.findAll({ mutationKey: moveMutationKey })) {
        const variables = mutation.state.variables as UpdateTaskVariables | undefined;
        if (variables?.id === taskId && mutation.state.status === 'error') cache.remove(mutation);
      }
    },
    [queryClient],
  );
  return { states, dismiss };
}

/**
 * The task as the list and the board show it: a status change still on its way wins over what a refetch says
 * meanwhile (a live update from someone else's change reloads them while the PATCH is in flight), so the card stays
 * where the person put it until the server has answered; a failed move shows the stored status again.
 */
export function withPendingMove(task: Task, move: MoveState | undefined): Task {
  return move?.status === 'pending' && move.to !== task.status ? { ...task, status: move.to } : task;
}
