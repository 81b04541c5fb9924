import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { describeFailure } from '../../../lib/use-online';
import { statusLabel, type Task, type TaskStatus } from '../task.types';
import type { MoveState } from '../use-move-states';

interface MoveNoticeProps {
  task: Task;
  move: MoveState;
  onRetry: (task: Task, status: TaskStatus) => void;
  onDismiss: (taskId: string) => void;
}

/** "Moving to Done…" while the change is on its way; "Not moved to Done: you are offline" with Retry after a failure. */
export function MoveNotice({ task, move, onRetry, onDismiss }: MoveNoticeProps) {
  const { t } = useTranslation();
  const retry = useRef<HTMLButtonElement>(null);
  const to = statusLabel(move.to);
  // The card came back to its column as a new element: when focus was lost with the old one, it goes to Retry,
  // never away from wherever the person has gone on to meanwhile.
  useEffect(() => {
    if (move.status === 'error' && (document.activeElement === document.body || document.activeElement === null)) {
      retry.current?.focus();
    }
  }, [move.status]);
  if (move.status === 'pending') {
    return (
      <p className="move-notice move-notice-pending" data-testid="move-pending">
        {t('Moving to {{status}}…', { status: to })}
      </p>
    );
  }
  return (
    <div className="move-notice move-notice-failed" data-testid="move-failed">
      <p>{t('Not moved to {{status}}: {{reason}}.', { status: to, reason: describeFailure(move.error) })}</p>
      <div className="task-actions">
        <button
          type="button"
          ref={retry}
          onClick={() => {
            onDismiss(task.id);
            onRetry(task, move.to);
          }}
          aria-label={t('Retry moving “{{title}}” to {{status}}', { title: task.title, status: to })}
        >
          {t('Retry')}
        </button>
        <button
          type="button"
          className="button-ghost"
          onClick={() => onDismiss(task.id)}
          aria-label={t('Dismiss the failed move of “{{title}}”', { title: task.title })}
        >
          {t('Dismiss')}
        </button>
      </div>
    </div>
  );
}
