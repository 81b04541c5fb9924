import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { TaskChangeBatcher } from './apply-task-changes';
import { isOwnWrite } from './own-writes';
import { TaskEvents, type LiveStatus } from './task-events';
import { highlightTasks } from './task-highlights';
import { refreshComments } from '../comments/use-comments';
import { refreshNotifications } from '../notifications/use-notifications';
import { refreshDeliveryLogs } from '../webhooks/use-webhooks';

export interface LiveUpdates {
  /** Undefined where the browser has no EventSource: the app then works as before, without live updates. */
  status: LiveStatus | undefined;
  retryNow: () => void;
}

/**
 * Keeps the task screens current while the app is open: changes from the live stream go into the query cache in
 * batches, and the cards and rows someone else changed flash briefly.
 */
export function useLiveUpdates({ ticketed }: { ticketed: boolean }): LiveUpdates {
  const queryClient = useQueryClient();
  const supported = typeof EventSource !== 'undefined';
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const events = useRef<TaskEvents | null>(null);

  useEffect(() => {
    if (!supported) return;
    const batcher = new TaskChangeBatcher(queryClient, (changes) => {
      highlightTasks(changes.filter((change) => change.task && !isOwnWrite(change)).map((change) => change.task_id));
      // A task created, deleted or moved elsewhere changes the projects' task counts.
      if (changes.some((change) => change.kind !== 'updated' || 'project_id' in change.changes)) {
        void queryClient.invalidateQueries({ queryKey: ['projects'] });
      }
      // Every change may be delivered to webhooks: an open delivery log shows it.
      refreshDeliveryLogs(queryClient);
    });
    const stream = new TaskEvents({
      ticketed,
      onChange: (change) => {
        batcher.add(change);
        if (change.kind.startsWith('comment_')) refreshComments(queryClient, change.task_id);
      },
      onNotification: () => refreshNotifications(queryClient),
      onStatus: setStatus,
      onGap: () => batcher.refetchAll(),
    });
    events.current = stream;
    stream.start();
    return () => {
      stream.stop();
      batcher.stop();
      events.current = null;
    };
  }, [queryClient, ticketed, supported]);

  const retryNow = useCallback(() => events.current?.retryNow(), []);
  return { status: supported ? status : undefined, retryNow };
}
