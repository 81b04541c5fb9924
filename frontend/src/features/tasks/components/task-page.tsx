import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../../components/app-link';
import { CopyField } from '../../../components/copy-field';
import { NotFoundPage } from '../../../components/not-found-page';
import { QueryError } from '../../../components/query-error';
import { ApiError } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useTask } from '../use-tasks';
import { EditTask } from './task-dialogs';
import { TaskHistory } from './task-history';
import { LabelChips } from './task-meta';
import { useCurrentUser } from '../../auth/use-auth';
import { CommentsSection } from '../../comments/components/comments-section';
import { WatchToggle } from '../../notifications/components/watch-toggle';

/** A task's own page, by key: its fields to edit in place, who made and changed it, its history and a link to share. */
export function TaskPage({ taskKey }: { taskKey: string }) {
  const { t } = useTranslation();
  const found = useTask(taskKey);
  // Comments and watching exist with accounts on only.
  const user = useCurrentUser();
  // Cancel throws the draft away: the form starts again from the task as saved.
  const [draft, setDraft] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const task = found.data?.task;
  useDocumentTitle(task ? `${task.key} ${task.title}` : null);

  if (found.isPending) {
    return (
      <p className="state" role="status">
        {t('Loading task…')}
      </p>
    );
  }
  if (found.isError || !task) {
    if (found.error instanceof ApiError && found.error.status === 404) return <NotFoundPage />;
    return <QueryError error={found.error} what={t('the task')} onRetry={() => void found.refetch()} />;
  }

  const projectKey = task.key.replace(/-\d+$/, '');
  return (
    <article className="task-page" aria-labelledby="task-page-title">
      <header className="task-page-header">
        <p className="task-page-path">
          <AppLink href={`/projects/${projectKey}`}>{t('Project {{key}}', { key: projectKey })}</AppLink>
          {' / '}
          <span className="task-key">{task.key}</span>
        </p>
        <h2 id="task-page-title" className="task-title">
          {task.title}
        </h2>
        <LabelChips labels={task.labels} />
      </header>
      <div className="task-page-body">
        <section className="panel task-page-fields" aria-label={t('Fields')}>
          <EditTask
            key={draft}
            taskId={task.id}
            withHistory={false}
            onClose={() => setDraft((current) => current + 1)}
            onSaved={(saved) => {
              setDraft((current) => current + 1);
              setAnnouncement(t('Saved “{{title}}”.', { title: saved.title }));
            }}
          />
          <p className="visually-hidden" role="status" aria-live="polite">
            {announcement}
          </p>
        </section>
        {user && <CommentsSection taskId={task.id} user={user} />}
        <aside className="panel task-page-side">
          {user && <WatchToggle taskId={task.id} userId={user.id} />}
          <CopyField label={t('Link to this task')} value={`${window.location.origin}/tasks/${task.key}`} />
          <TaskHistory taskId={task.id} />
        </aside>
      </div>
    </article>
  );
}
