import {
  formatDateTime,
  isOverdue,
  nextStatus,
  priorityLabels,
  statusLabels,
  type Task,
  type TaskStatus,
} from '../task.types';


export function StatusBadge({ status }: { status: TaskStatus }) {
  return <span className={`badge badge-status-${status}`}>{statusLabels[status]}</span>;
}

/** Priority, assignee and due date, with overdue tasks marked in words as well as colour. */
export function TaskMeta({ task }: { task: Task }) {
  const overdue = isOverdue(task);
  return (
    <dl className="task-meta">
      <div>
        <dt>Priority</dt>
        <dd>
          <span className={`badge badge-priority-${task.priority}`}>{priorityLabels[task.priority]}</span>
        </dd>
      </div>
      <div>
        <dt>Assignee</dt>
        <dd>{task.assignee ?? <span className="muted">Unassigned</span>}</dd>
      </div>
      <div>
        <dt>Due</dt>
        <dd className={overdue ? 'overdue' : undefined}>
          {task.due_date ? (
            <time dateTime={task.due_date}>{formatDateTime(task.due_date)}</time>
          ) : (
            <span className="muted">No due date</span>
          )}
          {overdue && <span className="badge badge-overdue">Overdue</span>}
        </dd>
      </div>
    </dl>
  );
}

/**
 * "Created by Ana · last changed by Bo", or nothing when the server does not know (accounts off). With `times`, when
 * each happened too, for the task's own dialog.
 */
export function TaskAuthors({ task, times = false }: { task: Task; times?: boolean }) {
  const { created_by: createdBy, updated_by: updatedBy } = task;
  if (!createdBy && !updatedBy) return null;
  const edited = task.updated_at !== task.created_at;
  const when = (iso: string) => (times ? <> on <time dateTime={iso}>{formatDateTime(iso)}</time></> : null);
  return (
    <p className="task-authors">
      {createdBy && (
        <span>
          Created by <strong>{createdBy.name}</strong>
          {when(task.created_at)}
        </span>
      )}
      {createdBy && edited && updatedBy && ' · '}
      {edited && updatedBy && (
        <span>
          {createdBy ? 'last changed' : 'Last changed'} by <strong>{updatedBy.name}</strong>
          {when(task.updated_at)}
        </span>
      )}
    </p>
  );
}

const advanceLabels: Record<TaskStatus, string> = { todo: 'Start', in_progress: 'Mark done', done: 'Reopen' };

interface AdvanceButtonProps {
  task: Task;
  onChangeStatus: (task: Task, status: TaskStatus) => void;
}

/** The one-click status change: along the workflow, and from done back to the start. */
export function AdvanceButton({ task, onChangeStatus }: AdvanceButtonProps) {
  const target = nextStatus(task.status);
  return (
    <button
      type="button"
      onClick={() => onChangeStatus(task, target)}
      aria-label={`${advanceLabels[task.status]}: move “${task.title}” to ${statusLabels[target]}`}
    >
      {advanceLabels[task.status]}
    </button>
  );
}

interface EditDeleteButtonsProps {
  task: Task;
  onEdit: (task: Task) => void;
  onDelete: (task: Task) => void;
}

/** The Edit and Delete buttons every task row and card ends with. */
export function EditDeleteButtons({ task, onEdit, onDelete }: EditDeleteButtonsProps) {
  return (
    <>
      <button type="button" onClick={() => onEdit(task)} aria-label={`Edit “${task.title}”`}>
        Edit
      </button>
      <button type="button" className="button-danger" onClick={() => onDelete(task)} aria-label={`Delete “${task.title}”`}>
        Delete
      </button>
    </>
  );
}
