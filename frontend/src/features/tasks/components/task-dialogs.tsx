import { useEffect, useRef, useState } from 'react';
import { Modal } from '../../../components/modal';
import { QueryError } from '../../../components/query-error';
import { ApiError } from '../../../lib/api-client';
import { useCurrentUser } from '../../auth/use-auth';
import { describeDifferences } from '../describe-change';
import type { VersionedTask } from '../tasks.api';
import { emptyTaskForm, toCreateBody, toFormValues, toUpdateBody, type TaskFormValues } from '../task-form-values';
import type { Task } from '../task.types';
import { useCreateTask, useTask, useUpdateTask } from '../use-tasks';
import { rebaseDraft } from '../conflict-rows';
import { TaskConflict } from './task-conflict';
import { TaskForm } from './task-form';
import { TaskHistory } from './task-history';
import { TaskAuthors } from './task-meta';
import { useTranslation } from 'react-i18next';

interface CreateTaskDialogProps {
  /** The project the task goes into (id or key); without one, the default project. */
  projectId?: string;
  onClose: () => void;
  onCreated: (task: Task) => void;
}

export function CreateTaskDialog({ projectId, onClose, onCreated }: CreateTaskDialogProps) {
  const { t } = useTranslation();
  // Stable, so that "unsaved changes" compares what was typed with what the form started with.
  const [initialValues] = useState<TaskFormValues>(() => ({ ...emptyTaskForm, projectId: projectId ?? '' }));
  const createTask = useCreateTask();
  // The request in flight, so that Cancel (or closing the dialog) stops it instead of letting it create the task.
  const sending = useRef<AbortController | null>(null);
  useEffect(() => () => sending.current?.abort(), []);

  async function submit(values: TaskFormValues) {
    const controller = new AbortController();
    sending.current = controller;
    try {
      const { task } = await createTask.mutateAsync({ body: toCreateBody(values), signal: controller.signal });
      if (!controller.signal.aborted) onCreated(task);
    } finally {
      if (sending.current === controller) sending.current = null;
    }
  }
  function cancel() {
    sending.current?.abort();
    onClose();
  }
  return (
    <Modal title={t('New task')} onClose={cancel}>
      <TaskForm initialValues={initialValues} submitLabel={t('Create task')} onSubmit={submit} onCancel={cancel} />
    </Modal>
  );
}

interface EditTaskDialogProps {
  taskId: string;
  onClose: () => void;
  onSaved: (task: Task) => void;
}

export function EditTaskDialog(props: EditTaskDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal title={t('Edit task')} onClose={props.onClose}>
      <EditTask {...props} quick />
    </Modal>
  );
}

interface EditTaskProps extends EditTaskDialogProps {
  /** The task page shows the history beside the form rather than below it. */
  withHistory?: boolean;
  /** The quick-edit dialog: the task's own fields only; project, assignee and labels are on the task page. */
  quick?: boolean;
}

/**
 * The edit form of a task with what keeps it honest: the version it started from (If-Match), news of a newer one,
 * a 412 explained, a deletion meanwhile. In the edit dialog and on the task's page.
 */
export function EditTask({ taskId, onClose, onSaved, withHistory = true, quick = false }: EditTaskProps) {
  const { t } = useTranslation();
  const current = useTask(taskId);
  const updateTask = useUpdateTask();
  const user = useCurrentUser();
  // After a 412: the version the person started from (to show what others changed since) and their draft, carried
  // over onto the version saved now, which becomes the form's base: saving sends the draft's changes with its ETag.
  const [conflict, setConflict] = useState<{ original: Task; draft: TaskFormValues } | null>(null);
  // The version the form started from. Newer ones reach the cache (the live stream, a refetch) without replacing
  // what the person is typing: they are told, and choose to reload or to keep editing.
  const [base, setBase] = useState<VersionedTask | null>(null);
  // The newer version the person chose to keep editing over (its updated_at).
  const [keptOver, setKeptOver] = useState<string | null>(null);
  // A save in flight brings its own newer version (and, on 412, someone else's).
  const [saving, setSaving] = useState(false);
  // Bumped to give the form a fresh start on the same version (discarding a draft).
  const [formRun, setFormRun] = useState(0);
  const container = useRef<HTMLDivElement>(null);
  const focusTitleAfterLoad = useRef(false);
  if (base === null && current.data) setBase(current.data);

  useEffect(() => {
    if (!focusTitleAfterLoad.current) return;
    focusTitleAfterLoad.current = false;
    container.current?.querySelector<HTMLElement>('[name="title"]')?.focus();
  }, [formRun]);

  async function reload() {
    const { data } = await current.refetch();
    if (data) setBase(data);
    setConflict(null);
  }

  function discardMine() {
    focusTitleAfterLoad.current = true;
    setConflict(null);
    setFormRun((run) => run + 1);
  }

  async function submit(values: TaskFormValues) {
    if (!base) return;
    // Only what the person changed from the form's base (after a conflict, the version saved now).
    const changes = toUpdateBody(values, base.task);
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    setSaving(true);
    try {
      const { task } = await updateTask.mutateAsync({ id: taskId, changes, etag: base.etag });
      onSaved(task);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 412)) throw error;
      // Someone saved in between: neither overwrite what they saved nor lose the draft. The draft is carried over
      // onto their version, and what they changed is shown beside it.
      const { data } = await current.refetch();
      if (data) {
        setConflict({ original: conflict?.original ?? base.task, draft: rebaseDraft(values, base.task, data.task) });
        setBase(data);
      }
    } finally {
      setSaving(false);
    }
  }

  const gone = current.isError && current.error instanceof ApiError && current.error.status === 404;
  let body;
  if (base && gone) {
    body = (
      <>
        <div className="notice notice-warning" role="alert">
          <p className="state-title">{t('This task was deleted while you were editing it.')}</p>
          <p>{t('Your changes cannot be saved. Its history below says who deleted it.')}</p>
          <div className="notice-actions">
            <button type="button" onClick={onClose} data-autofocus>
              {t('Close')}
            </button>
          </div>
        </div>
        {withHistory && <TaskHistory taskId={taskId} />}
      </>
    );
  } else if (base) {
    const { task, etag } = base;
    const latest = current.data?.task;
    const newer =
      !saving && !conflict && latest && latest.updated_at !== task.updated_at && latest.updated_at !== keptOver
        ? latest
        : null;
    body = (
      <div ref={container}>
        <TaskAuthors task={task} times />
        <TaskForm
          // A version the person chose to load replaces whatever the form held.
          key={`${etag ?? ''}${task.updated_at}#${formRun}`}
          initialValues={toFormValues(task)}
          draft={conflict?.draft}
          submitLabel={t('Save changes')}
          withRelations={!quick}
          onSubmit={submit}
          onCancel={onClose}
          notice={(draft: TaskFormValues) =>
            conflict ? (
              <TaskConflict original={conflict.original} theirs={task} draft={draft} onDiscardMine={discardMine} />
            ) : newer ? (
              <ChangedMeanwhile
                base={task}
                latest={newer}
                yours={Boolean(user && newer.updated_by?.id === user.id)}
                onReload={() => void reload()}
                onKeepEditing={() => setKeptOver(newer.updated_at)}
              />
            ) : undefined
          }
        />
        {withHistory && <TaskHistory taskId={taskId} />}
      </div>
    );
  } else if (current.isError) {
    body = gone ? (
      <div className="state state-error" role="alert">
        <p className="state-title">{t('This task no longer exists.')}</p>
        <p>{t('Someone may have deleted it.')}</p>
      </div>
    ) : (
      <QueryError error={current.error} what={t('the task')} onRetry={() => void current.refetch()} />
    );
  } else {
    body = (
      <p className="state" role="status">
        {t('Loading task…')}
      </p>
    );
  }
  return body;
}

interface ChangedMeanwhileProps {
  /** The version in the form. */
  base: Task;
  /** The server's newer one. */
  latest: Task;
  /** The signed-in person saved it themselves, elsewhere (another window or device). */
  yours: boolean;
  onReload: () => void;
  onKeepEditing: () => void;
}

/** "Bob changed this task while you were editing: status In progress → Done", with the two ways on. */
function ChangedMeanwhile({ base, latest, yours, onReload, onKeepEditing }: ChangedMeanwhileProps) {
  const { t } = useTranslation();
  const differences = describeDifferences(base, latest);
  const who = latest.updated_by?.name ?? t('Someone');
  let headline;
  if (differences.length > 0) {
    const what = differences.join('; ');
    headline = yours
      ? t('You changed this task in another window while you were editing: {{what}}.', { what })
      : t('{{who}} changed this task while you were editing: {{what}}.', { who, what });
  } else {
    headline = yours
      ? t('You changed this task in another window while you were editing (no field changed).')
      : t('{{who}} changed this task while you were editing (no field changed).', { who });
  }
  return (
    <div className="notice notice-warning" role="alert">
      <p className="state-title">{headline}</p>
      <p>{t('Reload to start again from that version, or keep editing: saving will then tell you the task changed.')}</p>
      <div className="notice-actions">
        <button type="button" onClick={onReload}>
          {t('Reload')}
        </button>
        <button type="button" onClick={onKeepEditing}>
          {t('Keep editing')}
        </button>
      </div>
    </div>
  );
}
