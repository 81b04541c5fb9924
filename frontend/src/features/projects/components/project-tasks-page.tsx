import { useTranslation } from 'react-i18next';
import { NotFoundPage } from '../../../components/not-found-page';
import { QueryError } from '../../../components/query-error';
import { ApiError } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { TasksScreen } from '../../tasks/components/tasks-screen';
import { TaskScopeContext } from '../../tasks/task-scope';
import { useTaskViewTitle } from '../../tasks/use-task-view';
import { useProject } from '../use-projects';

/** A project's list, board and statistics: the tasks screen with the project fixed. */
export function ProjectTasksPage({ projectKey }: { projectKey: string }) {
  const { t } = useTranslation();
  const project = useProject(projectKey);
  const title = useTaskViewTitle(project.data?.name ?? null);
  useDocumentTitle(project.data ? title : null);

  if (project.isPending) {
    return (
      <p className="state" role="status">
        {t('Loading the project…')}
      </p>
    );
  }
  if (project.isError) {
    if (project.error instanceof ApiError && project.error.status === 404) return <NotFoundPage />;
    return <QueryError error={project.error} what={t('the project')} onRetry={() => void project.refetch()} />;
  }
  const { data } = project;
  return (
    <TaskScopeContext value={{ project_id: data.id }}>
      <div className="page-header project-header">
        <h2>
          <span className="project-key">{data.key}</span> {data.name}
          {data.archived && <span className="badge badge-archived">{t('Archived')}</span>}
        </h2>
        {data.description && <p className="muted">{data.description}</p>}
      </div>
      <TasksScreen />
    </TaskScopeContext>
  );
}
