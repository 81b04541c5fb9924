import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Modal } from '../../../components/modal';
import { QueryError } from '../../../components/query-error';
import { hasFilters, noFilters, toFilterQuery, toListQuery } from '../task-view';
import { statusLabel, type Task, type TaskStatus } from '../task.types';
import { useTaskPage, useUpdateTask } from '../use-tasks';
import { useTaskView } from '../use-task-view';
import { undoDelayMs, useUndoableDelete } from '../use-undoable-delete';
import { CountBadge } from './count-badge';
import { CreateTaskDialog, EditTaskDialog } from './task-dialogs';
import { TaskBoard } from './task-board';
import { TaskFilters } from './task-filters';
import { TaskList } from './task-list';
import { TaskPager } from './task-pager';
import { UndoToasts } from './undo-toasts';
import { useTranslation } from 'react-i18next';
import i18n from '../../../i18n/i18n';
import { useTaskScope, withFilters } from '../task-scope';
import { describeFailure } from '../../../lib/use-online';
import { focusTask, useFocusRescue } from '../task-focus';

// Chart.js is most of the bundle and only the statistics need it, so it loads when they are first opened.
const TaskStatsView = lazy(() => import('./task-stats').then((module) => ({ default: module.TaskStatsView })));

type Dialog = { kind: 'create' } | { kind: 'edit'; id: string } | { kind: 'delete'; task: Task } | null;

/** The list, board and statistics views with everything they share: filters, dialogs, pending deletes. */
export function TasksScreen() {
  const { t } = useTranslation();
  const scope = useTaskScope();
  const [state, update] = useTaskView();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [alert, setAlert] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const newTaskButton = useRef<HTMLButtonElement>(null);
  const tasksArea = useRef<HTMLDivElement>(null);
  const updateTask = useUpdateTask({ move: true });
  useFocusRescue(tasksArea);

  const reportFailure = useCallback((task: Task, error: unknown) => {
    setAlert(
      i18n.t('Could not delete “{{title}}”: {{reason}}', {
        title: task.title,
        reason: error instanceof Error ? error.message : String(error),
      }),
    );
  }, []);
  const deletes = useUndoableDelete(reportFailure);
  const hiddenIds = useMemo(() => new Set(deletes.pending.map((item) => item.task.id)), [deletes.pending]);
  const { undo } = deletes;
  const undoDelete = useCallback(
    (id: string) => {
      undo(id);
      // The restored task takes focus back, wherever the person was (the shortcut works from anywhere).
      focusTask(id);
    },
    [undo],
  );

  const changeStatus = useCallback(
    (task: Task, status: TaskStatus) => {
      setAlert(null);
      updateTask.mutate(
        { id: task.id, changes: { status } },
        {
          onSuccess: () =>
            setAnnouncement(i18n.t('“{{title}}” moved to {{status}}.', { title: task.title, status: statusLabel(status) })),
          onError: (error) =>
            setAlert(i18n.t('Could not move “{{title}}”: {{reason}}', { title: task.title, reason: describeFailure(error) })),
        },
      );
    },
    [updateTask],
  );

  const handlers = {
    onEdit: (task: Task) => setDialog({ kind: 'edit', id: task.id }),
    onChangeStatus: changeStatus,
    onDelete: (task: Task) => setDialog({ kind: 'delete', task }),
  };

  return (
    <>
      {state.view !== 'stats' && (
        <>
          <div className="toolbar">
            <button
              type="button"
              className="button-primary"
              ref={newTaskButton}
              onClick={() => setDialog({ kind: 'create' })}
            >
              {t('+ New task')}
            </button>
            <TaskFilters state={state} onChange={update} />
          </div>
          {alert && (
            <div className="notice notice-error" role="alert">
              <span>{alert}</span>
              <button type="button" className="button-ghost" onClick={() => setAlert(null)} aria-label={t('Dismiss')}>
                ×
              </button>
            </div>
          )}
        </>
      )}

      <div ref={tasksArea}>
        {state.view === 'list' && <ListView hiddenIds={hiddenIds} handlers={handlers} />}
        {state.view === 'board' && (
          <TaskBoard
            query={withFilters(toFilterQuery({ ...state, status: undefined }), scope)}
            filtered={hasFilters({ ...state, status: undefined })}
            hiddenIds={hiddenIds}
            {...handlers}
          />
        )}
      </div>
      {state.view === 'stats' && (
        <Suspense
          fallback={
            <p className="state" role="status">
              {t('Loading statistics…')}
            </p>
          }
        >
          <TaskStatsView />
        </Suspense>
      )}

      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <UndoToasts pending={deletes.pending} onUndo={undoDelete} onHold={deletes.hold} onRelease={deletes.release} />

      {dialog?.kind === 'create' && (
        <CreateTaskDialog
          projectId={scope.project_id}
          onClose={() => setDialog(null)}
          onCreated={(task) => {
            setDialog(null);
            setAnnouncement(t('Created “{{title}}”.', { title: task.title }));
          }}
        />
      )}
      {dialog?.kind === 'edit' && (
        <EditTaskDialog
          taskId={dialog.id}
          onClose={() => setDialog(null)}
          onSaved={(task) => {
            setDialog(null);
            setAnnouncement(t('Saved “{{title}}”.', { title: task.title }));
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <Modal title={t('Delete task?')} onClose={() => setDialog(null)}>
          <p>
            {t('“{{title}}” will be deleted. You can undo this for {{count}} seconds.', {
              title: dialog.task.title,
              count: undoDelayMs / 1000,
            })}
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="button-danger"
              data-autofocus
              onClick={() => {
                deletes.schedule(dialog.task);
                setDialog(null);
              }}
            >
              {t('Delete')}
            </button>
            <button type="button" onClick={() => setDialog(null)}>
              {t('Cancel')}
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}

interface ListViewProps {
  hiddenIds: ReadonlySet<string>;
  handlers: {
    onEdit: (task: Task) => void;
    onChangeStatus: (task: Task, status: TaskStatus) => void;
    onDelete: (task: Task) => void;
  };
}

function ListView({ hiddenIds, handlers }: ListViewProps) {
  const { t } = useTranslation();
  const [state, update] = useTaskView();
  const page = useTaskPage(withFilters(toListQuery(state), useTaskScope()));
  const filtered = hasFilters(state);
  const heading = useRef<HTMLHeadingElement>(null);
  const turnedPage = useRef(false);

  // A new page starts at the list's top, with focus on its first row for the keyboard, once its rows are in.
  const shownPage = page.data && !page.isPlaceholderData ? state.page : null;
  useEffect(() => {
    if (!turnedPage.current || shownPage === null) return;
    turnedPage.current = false;
    heading.current?.scrollIntoView?.({ block: 'start' });
    const firstRow = heading.current?.parentElement?.querySelector<HTMLElement>('[data-task-focus]');
    (firstRow ?? heading.current)?.focus({ preventScroll: true });
  }, [shownPage]);

  const listHeading = (
    <h2 className="visually-hidden" id="task-list-heading" ref={heading} tabIndex={-1} data-focus-fallback>
      {t('Tasks')}
    </h2>
  );

  if (page.isPending) {
    return (
      <>
        {listHeading}
        <p className="state" role="status">
          {t('Loading tasks…')}
        </p>
      </>
    );
  }
  if (page.isError) {
    return (
      <>
        {listHeading}
        <QueryError error={page.error} what={t('tasks')} onRetry={() => void page.refetch()} />
      </>
    );
  }

  const tasks = page.data.tasks.filter((task) => !hiddenIds.has(task.id));
  const total = page.data.total - (page.data.tasks.length - tasks.length);
  const first = (state.page - 1) * state.pageSize + 1;

  return (
    <>
      {listHeading}
      {/* An empty database needs no count: the empty state below says it all. */}
      {(tasks.length > 0 || filtered) && (
        <CountBadge shown={tasks.length === 0 ? null : [first, first + tasks.length - 1]} total={total} filtered={filtered} />
      )}
      {tasks.length === 0 ? (
        <div className="state state-empty">
          {filtered ? (
            <>
              <p className="state-title">{t('No tasks match these filters.')}</p>
              <button
                type="button"
                onClick={() => update(noFilters)}
              >
                {t('Clear filters')}
              </button>
            </>
          ) : state.page > 1 ? (
            <>
              <p className="state-title">{t('This page is empty.')}</p>
              <button type="button" onClick={() => update({ page: 1 })}>
                {t('Go to the first page')}
              </button>
            </>
          ) : (
            <>
              <p className="state-title">{t('No tasks yet.')}</p>
              <p>{t('Create the first one with “New task”.')}</p>
            </>
          )}
        </div>
      ) : (
        <div aria-busy={page.isPlaceholderData}>
          <TaskList tasks={tasks} {...handlers} />
        </div>
      )}
      {total > state.pageSize || state.page > 1 ? (
        <TaskPager
          page={state.page}
          pageSize={state.pageSize}
          total={total}
          onChange={(changes) => {
            turnedPage.current = true;
            update(changes);
          }}
        />
      ) : null}
    </>
  );
}
