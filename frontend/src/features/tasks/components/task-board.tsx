import { useState, type DragEvent } from 'react';
import { QueryError } from '../../../components/query-error';
import { statusLabel, taskStatuses, type Task, type TaskListQuery, type TaskStatus } from '../task.types';
import { useHighlightClass } from '../task-highlights';
import { useTaskColumns } from '../use-tasks';
import { CountBadge } from './count-badge';
import { EditDeleteButtons, LabelChips, TaskAuthors, TaskChips, TaskTitleLink } from './task-meta';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../i18n/i18n';
import { useMoveStates, type MoveState } from '../use-move-states';
import { MoveNotice } from './move-notice';


interface TaskBoardProps {
  query: TaskListQuery;
  /** Whether filters other than status narrow the board, for the count. */
  filtered: boolean;
  hiddenIds: ReadonlySet<string>;
  onEdit: (task: Task) => void;
  onChangeStatus: (task: Task, status: TaskStatus) => void;
  onDelete: (task: Task) => void;
}

const dragType = 'application/x-taskflow-task';

export function TaskBoard({ query, filtered, hiddenIds, onEdit, onChangeStatus, onDelete }: TaskBoardProps) {
  const { t } = useTranslation();
  const columns = useTaskColumns(taskStatuses, query);
  const moves = useMoveStates();
  const [dropTarget, setDropTarget] = useState<TaskStatus | null>(null);

  const failed = columns.find((column) => column.isError);
  if (failed) {
    return (
      <QueryError
        error={failed.error}
        what={t('the board')}
        onRetry={() => columns.forEach((column) => void column.refetch())}
      />
    );
  }
  if (columns.some((column) => column.isPending)) {
    return (
      <p className="state" role="status">
        {t('Loading the board…')}
      </p>
    );
  }

  // Grouped by each task's own status rather than by the query it came from, so that a card moved
  // optimistically shows in its new column before the columns are refetched.
  const byId = new Map<string, Task>();
  for (const column of columns) for (const task of column.data?.tasks ?? []) byId.set(task.id, task);
  const visible = [...byId.values()].filter((task) => !hiddenIds.has(task.id));

  function drop(event: DragEvent, status: TaskStatus) {
    event.preventDefault();
    setDropTarget(null);
    const task = byId.get(event.dataTransfer.getData(dragType) || event.dataTransfer.getData('text/plain'));
    if (task && task.status !== status) onChangeStatus(task, status);
  }

  const hiddenOnBoard = [...byId.keys()].filter((id) => hiddenIds.has(id)).length;
  const total = columns.reduce((sum, column) => sum + (column.data?.total ?? 0), 0) - hiddenOnBoard;
  return (
    <>
      <CountBadge shown={visible.length ? [1, visible.length] : null} total={Math.max(total, visible.length)} filtered={filtered} />
      <div className="board">
      {taskStatuses.map((status, index) => {
        const tasks = visible.filter((task) => task.status === status);
        const page = columns[index].data;
        // Only when the server really holds more than the column's page (not after an optimistic move between
        // columns, which adjusts both the page and its total).
        const notLoaded = page ? page.total - page.tasks.length : 0;
        const shownTotal = tasks.length + notLoaded;
        const headingId = `board-column-${status}`;
        return (
          <section
            key={status}
            className={`board-column${dropTarget === status ? ' board-column-target' : ''}`}
            aria-labelledby={headingId}
            data-status={status}
            onDragOver={(event) => {
              event.preventDefault();
              event.dataTransfer.dropEffect = 'move';
              setDropTarget(status);
            }}
            onDragLeave={(event) => {
              if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropTarget(null);
            }}
            onDrop={(event) => drop(event, status)}
          >
            <h2 id={headingId} className="board-column-title">
              {statusLabel(status)} <span className="count">{formatNumber(tasks.length)}</span>
            </h2>
            {notLoaded > 0 && (
              <p className="muted small" data-testid="column-more">
                {filtered
                  ? t('Showing {{shown}} of {{total}}; narrow the filters to see the rest.', {
                      shown: formatNumber(tasks.length),
                      total: formatNumber(shownTotal),
                    })
                  : t('Showing the first {{shown}} of {{total}}; the list view shows them all, a page at a time.', {
                      shown: formatNumber(tasks.length),
                      total: formatNumber(shownTotal),
                    })}
              </p>
            )}
            <ul className="board-cards" aria-labelledby={headingId}>
              {tasks.map((task) => (
                <BoardCard
                  key={task.id}
                  task={task}
                  move={moves.states.get(task.id)}
                  onDismissMove={moves.dismiss}
                  onEdit={onEdit}
                  onChangeStatus={onChangeStatus}
                  onDelete={onDelete}
                />
              ))}
              {tasks.length === 0 && <li className="board-empty muted">{t('Drop a task here')}</li>}
            </ul>
          </section>
        );
      })}
      </div>
    </>
  );
}

interface BoardCardProps {
  task: Task;
  /** Its status change on the way, or failed (the card is then back in its column). */
  move?: MoveState;
  onDismissMove: (taskId: string) => void;
  onEdit: (task: Task) => void;
  onChangeStatus: (task: Task, status: TaskStatus) => void;
  onDelete: (task: Task) => void;
}

function BoardCard({ task, move, onDismissMove, onEdit, onChangeStatus, onDelete }: BoardCardProps) {
  const { t } = useTranslation();
  const index = taskStatuses.indexOf(task.status);
  const previous = taskStatuses[index - 1];
  const next = taskStatuses[index + 1];
  const highlight = useHighlightClass(task.id);
  const classes = ['board-card', highlight, move && `board-card-move-${move.status}`].filter(Boolean).join(' ');
  return (
    <li
      className={classes}
      aria-busy={move?.status === 'pending' || undefined}
      draggable
      data-task-id={task.id}
      onDragStart={(event) => {
        event.dataTransfer.setData(dragType, task.id);
        event.dataTransfer.setData('text/plain', task.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
    >
      <h3 className="task-title">
        <TaskTitleLink task={task} />
      </h3>
      <LabelChips labels={task.labels} />
      <TaskChips task={task} />
      <TaskAuthors task={task} />
      {move && <MoveNotice task={task} move={move} onRetry={onChangeStatus} onDismiss={onDismissMove} />}
      {/* Dragging needs a pointer; these buttons do the same move from the keyboard. */}
      <div className="task-actions">
        {previous && (
          <button
            type="button"
            onClick={() => onChangeStatus(task, previous)}
            aria-label={t('Move “{{title}}” to {{status}}', { title: task.title, status: statusLabel(previous) })}
          >
            ← {statusLabel(previous)}
          </button>
        )}
        {next && (
          <button
            type="button"
            onClick={() => onChangeStatus(task, next)}
            aria-label={t('Move “{{title}}” to {{status}}', { title: task.title, status: statusLabel(next) })}
          >
            {statusLabel(next)} →
          </button>
        )}
        <EditDeleteButtons task={task} onEdit={onEdit} onDelete={onDelete} />
      </div>
    </li>
  );
}
