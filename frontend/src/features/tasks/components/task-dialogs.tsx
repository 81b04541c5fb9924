import { useState } from 'react';
import { Modal } from '../../../components/modal';
import { QueryError } from '../../../components/query-error';
import { ApiError } from '../../../lib/api-client';
import { emptyTaskForm, toCreateBody, toFormValues, toUpdateBody, type TaskFormValues } from '../task-form-values';
import { formatDateTime, type Task } from '../task.types';
import { useCreateTask, useTask, useUpdateTask } from '../use-tasks';
import { TaskForm } from './task-form';
import { TaskAuthors } from './task-meta';

interface CreateTaskDialogProps {
  onClose: () => void;
  onCreated: (task: Task) => void;
}

export function CreateTaskDialog({ onClose, onCreated }: CreateTaskDialogProps) {
  const createTask = useCreateTask();
  async function submit(values: TaskFormValues) {
    const { task } = await createTask.mutateAsync(toCreateBody(values));
    onCreated(task);
  }
  return (
    <Modal title="New task" onClose={onClose}>
      <TaskForm initialValues={emptyTaskForm} submitLabel="Create task" onSubmit={submit} onCancel={onClose} />
    </Modal>
  );
}

interface EditTaskDialogProps {
  taskId: string;
  onClose: () => void;
  onSaved: (task: Task) => void;
}

export function EditTaskDialog({ taskId, onClose, onSaved }: EditTaskDialogProps) {
  const current = useTask(taskId);
  const updateTask = useUpdateTask();
  const [conflict, setConflict] = useState(false);

  async function submit(values: TaskFormValues) {
    if (!current.data) return;
    const changes = toUpdateBody(values, current.data.task);
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    try {
      const { task } = await updateTask.mutateAsync({ id: taskId, changes, etag: current.data.etag });
      onSaved(task);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 412)) throw error;
      // Someone saved in between: show what they saved rather than silently overwrite it.
      setConflict(true);
      await current.refetch();
    }
  }

  let body;
  if (current.isPending) {
    body = (
      <p className="state" role="status">
        Loading task…
      </p>
    );
  } else if (current.isError) {
    body =
      current.error instanceof ApiError && current.error.status === 404 ? (
        <div className="state state-error" role="alert">
          <p className="state-title">This task no longer exists.</p>
          <p>Someone may have deleted it.</p>
        </div>
      ) : (
        <QueryError error={current.error} what="the task" onRetry={() => void current.refetch()} />
      );
  } else {
    const { task, etag } = current.data;
    body = (
      <>
        <TaskAuthors task={task} times />
        <TaskForm
          // A fresh version from the server replaces whatever the form held.
          key={`${etag ?? ''}${task.updated_at}`}
          initialValues={toFormValues(task)}
          submitLabel="Save changes"
          onSubmit={submit}
          onCancel={onClose}
          notice={
            conflict ? (
              <div className="notice notice-warning" role="alert">
                <p className="state-title">Someone else changed this task while you were editing it.</p>
                <p>
                  Your changes were not saved. The form now shows the current version (updated{' '}
                  {formatDateTime(task.updated_at)}); make your changes again and save.
                </p>
              </div>
            ) : undefined
          }
        />
      </>
    );
  }
  return (
    <Modal title="Edit task" onClose={onClose}>
      {body}
    </Modal>
  );
}
