import {
  formatDateTime,
  isOverdue,
  nextStatus,
  taskPath,
  priorityLabel,
  statusLabel,
  type Task,
  type TaskStatus,
} from '../task.types';
import { Trans, useTranslation } from 'react-i18next';
import i18n from '../../../i18n/i18n';
import type { CSSProperties } from 'react';
import { AppLink } from '../../../components/app-link';
import { formatNumber } from '../../../i18n/i18n';


interface TaskTitleLinkProps {
  task: Task;
  /** The link is where focus goes when it comes to this task (a list row; a board card takes it itself). */
  focusTarget?: boolean;
  tabIndex?: number;
}

/** The task's title as a link to its page, with its key before it. */
export function TaskTitleLink({ task, focusTarget = false, tabIndex }: TaskTitleLinkProps) {
  return (
    <AppLink href={taskPath(task)} className="task-link" data-task-focus={focusTarget || undefined} tabIndex={tabIndex}>
      {task.key && <span className="task-key">{task.key}</span>} <span className="task-title-text">{task.title}</span>
    </AppLink>
  );
}

/** A task's labels, each in its colour. */
export function LabelChips({ labels }: { labels: Task['labels'] | undefined }) {
  const { t } = useTranslation();
  if (!labels || labels.length === 0) return null;
  return (
    <ul className="label-chips" aria-label={t('Labels')}>
      {labels.map((label) => (
        <li key={label.id} className="label-chip" style={{ '--label-color': label.color } as CSSProperties}>
          {label.name}
        </li>
      ))}
    </ul>
  );
}

export function StatusBadge({ status }: { status: TaskStatus }) {
  useTranslation();
  return <span className={`badge badge-status-${status}`}>{statusLabel(status)}</span>;
}

/** Priority, assignee and due date, with overdue tasks marked in words as well as colour. */
export function TaskMeta({ task }: { task: Task }) {
  const { t } = useTranslation();
  const overdue = isOverdue(task);
  return (
    <dl className="task-meta">
      <div>
        <dt>{t('Priority')}</dt>
        <dd>
          <span className={`badge badge-priority-${task.priority}`}>{priorityLabel(task.priority)}</span>
        </dd>
      </div>
      <div>
        <dt>{t('Assignee')}</dt>
        {/* The member assignee when there is one; v1's free-text assignee otherwise. */}
        <dd>{task.assignee_user?.name ?? task.assignee ?? <span className="muted">{t('Unassigned')}</span>}</dd>
      </div>
      <div>
        <dt>{t('Due')}</dt>
        <dd className={overdue ? 'overdue' : undefined}>
          {task.due_date ? (
            <time dateTime={task.due_date}>{formatDateTime(task.due_date)}</time>
          ) : (
            <span className="muted">{t('No due date')}</span>
          )}
          {overdue && <span className="badge badge-overdue">{t('Overdue')}</span>}
        </dd>
      </div>
    </dl>
  );
}

/** "Ana Lopez" → "AL": the assignee as a board card shows them. */
function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((word) => [...word][0]?.toUpperCase() ?? '').join('');
}

/**
 * A board card's details in one line of chips, as compact trackers draw them: priority, due date (overdue in words
 * and colour), the assignee's initials and the comment count. Each chip says what it is to a screen reader.
 */
export function TaskChips({ task }: { task: Task }) {
  const { t } = useTranslation();
  const overdue = isOverdue(task);
  const assignee = task.assignee_user?.name ?? task.assignee;
  const comments = task.comment_count ?? 0;
  return (
    <p className="task-chips">
      <span className={`badge badge-priority-${task.priority}`}>
        <span className="visually-hidden">{t('Priority')}: </span>
        {priorityLabel(task.priority)}
      </span>
      {task.due_date && (
        <span className={`chip chip-due${overdue ? ' overdue' : ''}`}>
          <span className="visually-hidden">{t('Due')}: </span>
          <time dateTime={task.due_date}>{formatDateTime(task.due_date)}</time>
          {overdue && <span className="badge badge-overdue">{t('Overdue')}</span>}
        </span>
      )}
      {comments > 0 && (
        <span className="chip" title={t('{{count}} comments', { count: comments })}>
          <span aria-hidden="true">💬 {formatNumber(comments)}</span>
          <span className="visually-hidden">{t('{{count}} comments', { count: comments })}</span>
        </span>
      )}
      {assignee && (
        <span className="chip chip-avatar" title={assignee}>
          <span aria-hidden="true">{initials(assignee)}</span>
          <span className="visually-hidden">{t('Assigned to {{name}}', { name: assignee })}</span>
        </span>
      )}
    </p>
  );
}

/**
 * "Created by Ana · last changed by Bo", or nothing when the server does not know (accounts off). With `times`, when
 * each happened too, for the task's own dialog.
 */
export function TaskAuthors({ task, times = false }: { task: Task; times?: boolean }) {
  useTranslation();
  const { created_by: createdBy, updated_by: updatedBy } = task;
  if (!createdBy && !updatedBy) return null;
  const edited = task.updated_at !== task.created_at;
  const components = { strong: <strong />, time: <time /> };
  return (
    <p className="task-authors">
      {createdBy && (
        <span>
          <Trans
            i18nKey={times ? 'Created by <strong>{{name}}</strong> on <time>{{when}}</time>' : 'Created by <strong>{{name}}</strong>'}
            values={{ name: createdBy.name, when: formatDateTime(task.created_at) }}
            components={{ ...components, time: <time dateTime={task.created_at} /> }}
          />
        </span>
      )}
      {createdBy && edited && updatedBy && ' · '}
      {edited && updatedBy && (
        <span>
          <Trans
            i18nKey={
              createdBy
                ? times
                  ? 'last changed by <strong>{{name}}</strong> on <time>{{when}}</time>'
                  : 'last changed by <strong>{{name}}</strong>'
                : times
                  ? 'Last changed by <strong>{{name}}</strong> on <time>{{when}}</time>'
                  : 'Last changed by <strong>{{name}}</strong>'
            }
            values={{ name: updatedBy.name, when: formatDateTime(task.updated_at) }}
            components={{ ...components, time: <time dateTime={task.updated_at} /> }}
          />
        </span>
      )}
    </p>
  );
}

const advanceLabels: Record<TaskStatus, () => string> = {
  todo: () => i18n.t('Start'),
  in_progress: () => i18n.t('Mark done'),
  done: () => i18n.t('Reopen'),
};

interface AdvanceButtonProps {
  task: Task;
  onChangeStatus: (task: Task, status: TaskStatus) => void;
}

/** The one-click status change: along the workflow, and from done back to the start. */
export function AdvanceButton({ task, onChangeStatus }: AdvanceButtonProps) {
  const { t } = useTranslation();
  const target = nextStatus(task.status);
  const label = advanceLabels[task.status]();
  return (
    <button
      type="button"
      onClick={() => onChangeStatus(task, target)}
      aria-label={t('{{action}}: move “{{title}}” to {{status}}', { action: label, title: task.title, status: statusLabel(target) })}
    >
      {label}
    </button>
  );
}

interface EditDeleteButtonsProps {
  task: Task;
  onEdit: (task: Task) => void;
  onDelete: (task: Task) => void;
  tabIndex?: number;
}

/** The Edit and Delete buttons every task row and card ends with. */
export function EditDeleteButtons({ task, onEdit, onDelete, tabIndex }: EditDeleteButtonsProps) {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" onClick={() => onEdit(task)} aria-label={t('Edit “{{title}}”', { title: task.title })} tabIndex={tabIndex}>
        {t('Edit')}
      </button>
      <button
        type="button"
        className="button-danger"
        onClick={() => onDelete(task)}
        aria-label={t('Delete “{{title}}”', { title: task.title })}
        tabIndex={tabIndex}
      >
        {t('Delete')}
      </button>
    </>
  );
}
