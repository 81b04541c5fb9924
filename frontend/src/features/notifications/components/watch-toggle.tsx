import '../notifications.css';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../../i18n/i18n';
import { QueryError } from '../../../components/query-error';
import { useSetWatching, useWatchers } from '../use-watchers';

/** Watch or stop watching a task, with who watches it now. */
export function WatchToggle({ taskId, userId }: { taskId: string; userId: string }) {
  const { t } = useTranslation();
  const watchers = useWatchers(taskId);
  const setWatching = useSetWatching(taskId);

  if (watchers.isError) {
    return <QueryError error={watchers.error} what={t('the watchers')} onRetry={() => void watchers.refetch()} />;
  }
  const list = watchers.data ?? [];
  const watching = list.some((watcher) => watcher.id === userId);
  return (
    <section className="task-watch" aria-label={t('Watchers')}>
      <button
        type="button"
        // aria-disabled, not disabled: a button disabled under the keyboard's focus drops it to the page.
        aria-disabled={watchers.isPending || setWatching.isPending}
        onClick={() => !(watchers.isPending || setWatching.isPending) && setWatching.mutate(!watching)}
      >
        {watching ? t('Stop watching') : t('Watch')}
      </button>
      <p className="muted small" role="status">
        {watchers.isPending
          ? t('Loading watchers…')
          : list.length === 0
            ? t('Nobody watches this task.')
            : t('Watched by {{names}}', { names: new Intl.ListFormat(currentLanguage(), { type: 'conjunction' }).format(list.map((w) => w.name)) })}
      </p>
      {setWatching.isError && (
        <p className="field-error" role="alert">
          {t('Could not change it: {{reason}}', { reason: setWatching.error.message })}
        </p>
      )}
    </section>
  );
}
