import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCurrentUser } from '../../auth/use-auth';
import { TaskScopeContext } from '../task-scope';
import { TasksScreen } from './tasks-screen';
import { useTaskViewTitle } from '../use-task-view';

const mine = { assignee_id: 'me' };

/** The tasks assigned to the signed-in person, in every project. */
export function MyTasksPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  useDocumentTitle(useTaskViewTitle(t('My tasks')));
  if (!user) {
    // With accounts off nobody is anybody: tasks have no member assignee to filter on.
    return (
      <div className="state state-empty">
        <h2 className="state-title">{t('My tasks')}</h2>
        <p>{t('Tasks are assigned to members, and this TaskFlow runs without accounts.')}</p>
      </div>
    );
  }
  return (
    <TaskScopeContext value={mine}>
      <div className="page-header">
        <h2>{t('My tasks')}</h2>
      </div>
      <TasksScreen />
    </TaskScopeContext>
  );
}
