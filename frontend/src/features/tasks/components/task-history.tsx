import { useEffect, useId, useState } from 'react';
import { QueryError } from '../../../components/query-error';
import { authorName, describeAction, formatRelative } from '../describe-change';
import { formatDateTime, type TaskChange } from '../task.types';
import { useTaskHistory } from '../use-tasks';
import { useTranslation } from 'react-i18next';

/** The current time, again every `everyMs`, so that "2 min ago" does not stay "just now". */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Who changed a task and how, newest first, in the task's dialog; live changes come in as they happen. */
export function TaskHistory({ taskId }: { taskId: string }) {
  const { t } = useTranslation();
  const history = useTaskHistory(taskId);
  const now = useNow(30_000);
  const headingId = useId();

  let body;
  if (history.isPending) {
    body = (
      <p className="muted small" role="status">
        {t('Loading the history…')}
      </p>
    );
  } else if (history.isError) {
    body = <QueryError error={history.error} what={t('the history')} onRetry={() => void history.refetch()} />;
  } else {
    // Pages are fetched by position: an entry added while paging could show twice without this.
    const seen = new Set<string>();
    const changes: TaskChange[] = [];
    for (const page of history.data.pages) {
      for (const change of page.changes) {
        if (!seen.has(change.cursor)) changes.push(change);
        seen.add(change.cursor);
      }
    }
    const total = history.data.pages.at(-1)?.total ?? changes.length;
    body =
      changes.length === 0 ? (
        <p className="muted small">
          {t('No changes recorded yet: this task was last saved before TaskFlow kept a history.')}
        </p>
      ) : (
        <>
          <ol className="history-list" aria-labelledby={headingId}>
            {changes.map((change) => (
              <li key={change.cursor} className={`history-entry history-${change.kind}`}>
                <span>
                  <strong>{authorName(change)}</strong> {describeAction(change)}
                </span>
                <span className="history-time">
                  {' · '}
                  <time dateTime={change.changed_at} title={formatDateTime(change.changed_at)}>
                    {formatRelative(change.changed_at, now)}
                  </time>
                </span>
              </li>
            ))}
          </ol>
          {history.hasNextPage && (
            <button
              type="button"
              className="history-more"
              onClick={() => void history.fetchNextPage()}
              disabled={history.isFetchingNextPage}
            >
              {history.isFetchingNextPage
                ? t('Loading…')
                : t('Show more ({{count}} older)', { count: Math.max(0, total - changes.length) })}
            </button>
          )}
        </>
      );
  }

  return (
    <section className="task-history" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('History')}</h3>
      {body}
    </section>
  );
}
