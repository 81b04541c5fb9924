import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { QueryError } from '../../../components/query-error';
import { statusLabel, taskStatuses, type Task, type TaskListQuery, type TaskStatus } from '../task.types';
import { useHighlightClass } from '../task-highlights';
import { focusLost, focusTask } from '../task-focus';
import { useTaskColumns } from '../use-tasks';
import { CountBadge } from './count-badge';
import { EditDeleteButtons, LabelChips, TaskAuthors, TaskChips, TaskTitleLink } from './task-meta';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../i18n/i18n';
import { compareTasks } from '../optimistic-update';
import { useMoveStates, withPendingMove, type MoveState } from '../use-move-states';
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
/** Cards a column shows at first and adds with each "Show more": a long board stays light to render and to tab through. */
export const boardPageSize = 20;

type PerColumn<T> = Record<TaskStatus, T>;
const perColumn = <T,>(value: T): PerColumn<T> => ({ todo: value, in_progress: value, done: value });

/** The cards a column draws, top to bottom. */
function cardsIn(column: Element | null): HTMLElement[] {
  return column ? Array.from(column.querySelectorAll<HTMLElement>('.board-card')) : [];
}

export function TaskBoard({ query, filtered, hiddenIds, onEdit, onChangeStatus, onDelete }: TaskBoardProps) {
  const { t } = useTranslation();
  const columns = useTaskColumns(taskStatuses, query);
  const moves = useMoveStates();
  const [dropTarget, setDropTarget] = useState<TaskStatus | null>(null);
  // Each column is one tab stop: the card last focused there (roving tabindex); arrow keys move between cards.
  const [activeIds, setActiveIds] = useState<PerColumn<string | null>>(() => perColumn(null));
  const [shownCounts, setShownCounts] = useState<PerColumn<number>>(() => perColumn(boardPageSize));
  const board = useRef<HTMLDivElement>(null);
  // A card moved from the keyboard keeps focus in its new column, once it has been drawn there.
  const [moved, setMoved] = useState<{ id: string; status: TaskStatus } | null>(null);
  const moveSettled = useRef(false);
  const columnsVersion = columns.map((column) => column.dataUpdatedAt).join();
  const fetching = columns.some((column) => column.isFetching);

  useEffect(() => {
    if (!moved || moveSettled.current) return;
    const card = board.current?.querySelector<HTMLElement>(
      `[data-status="${moved.status}"] [data-task-id="${CSS.escape(moved.id)}"]`,
    );
    const onThisTask = document.activeElement?.closest('[data-task-id]')?.getAttribute('data-task-id') === moved.id;
    // Looked for again whenever a column's data changes: the optimistic move lands a moment after the click, and the
    // refetch after it may draw the card again in its sorted place, which drops the focus it had.
    if (card && card !== document.activeElement && (onThisTask || focusLost())) card.focus();
    // Settled once the server's own column holds the card and nothing is being fetched any more.
    const stored = columns[taskStatuses.indexOf(moved.status)]?.data?.tasks.some((task) => task.id === moved.id);
    if (stored && !fetching) moveSettled.current = true;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- columnsVersion stands for the columns' data
  }, [moved, columnsVersion, fetching]);
  useEffect(() => {
    if (!moved) return;
    // The card stays pinned in its column a little longer; a move that failed never settles and stops here too.
    const done = setTimeout(() => setMoved(null), 10_000);
    return () => clearTimeout(done);
  }, [moved]);

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
  // optimistically shows in its new column before the columns are refetched. A move still on its way wins over
  // what a refetch says meanwhile (a live update from someone else's change reloads the board while the PATCH is
  // in flight): the card stays where the person put it until the server has answered.
  const byId = new Map<string, Task>();
  // Cards drawn in a column their data does not put them in yet: that column is sorted again to place them.
  const heldInPlace = new Set<TaskStatus>();
  for (const column of columns) {
    for (const task of column.data?.tasks ?? []) {
      const shown = withPendingMove(task, moves.states.get(task.id));
      if (shown !== task) heldInPlace.add(shown.status);
      byId.set(task.id, shown);
    }
  }
  const visible = [...byId.values()].filter((task) => !hiddenIds.has(task.id));

  function move(task: Task, status: TaskStatus) {
    moveSettled.current = false;
    setMoved({ id: task.id, status });
    setActiveIds((current) => ({ ...current, [status]: task.id }));
    onChangeStatus(task, status);
  }

  function focusCard(card: HTMLElement | undefined) {
    if (!card) return;
    const status = card.closest<HTMLElement>('[data-status]')?.dataset.status as TaskStatus;
    const id = card.dataset.taskId ?? null;
    setActiveIds((current) => ({ ...current, [status]: id }));
    card.focus();
  }

  function onColumnKeyDown(event: KeyboardEvent, status: TaskStatus) {
    const card = (event.target as HTMLElement).closest<HTMLElement>('.board-card');
    if (!card || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const cards = cardsIn(card.parentElement);
    const at = cards.indexOf(card);
    let next: HTMLElement | undefined;
    if (event.key === 'ArrowDown') next = cards[at + 1];
    else if (event.key === 'ArrowUp') next = cards[at - 1];
    else if (event.key === 'Home') next = cards[0];
    else if (event.key === 'End') next = cards[cards.length - 1];
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      // The nearest column that way with a card: its card at the same height, or its last.
      const step = event.key === 'ArrowLeft' ? -1 : 1;
      for (let index = taskStatuses.indexOf(status) + step; index >= 0 && index < taskStatuses.length && !next; index += step) {
        const others = cardsIn(board.current?.querySelector(`[data-status="${taskStatuses[index]}"]`) ?? null);
        next = others[Math.min(at, others.length - 1)];
      }
    } else return;
    event.preventDefault();
    focusCard(next);
  }

  function drop(event: DragEvent, status: TaskStatus) {
    event.preventDefault();
    setDropTarget(null);
    const task = byId.get(event.dataTransfer.getData(dragType) || event.dataTransfer.getData('text/plain'));
    if (task && task.status !== status) move(task, status);
  }

  const boardColumns = taskStatuses.map((status, index) => {
    const inColumn = visible.filter((task) => task.status === status);
    // The server's order, which compareTasks follows (optimistic-update.ts), with a held card at its place in it.
    const tasks = heldInPlace.has(status) ? inColumn.sort((a, b) => compareTasks(a, b, query)) : inColumn;
    const page = columns[index].data;
    // Only when the server really holds more than the column's page (not after an optimistic move between
    // columns, which adjusts both the page and its total).
    const notLoaded = page ? page.total - page.tasks.length : 0;
    const shownTotal = tasks.length + notLoaded;
    // The column's tab stop: the card focused last, if it is still there, or its first.
    const activeId = tasks.some((task) => task.id === activeIds[status]) ? activeIds[status] : (tasks[0]?.id ?? null);
    const pinned = moved?.status === status ? moved.id : activeId;
    const shown = tasks.filter((task, position) => position < shownCounts[status] || task.id === pinned);
    return { status, tasks, notLoaded, shownTotal, activeId, shown, more: tasks.length - shown.length };
  });
  const drawn = boardColumns.reduce((sum, column) => sum + column.shown.length, 0);

  const hiddenOnBoard = [...byId.keys()].filter((id) => hiddenIds.has(id)).length;
  const total = columns.reduce((sum, column) => sum + (column.data?.total ?? 0), 0) - hiddenOnBoard;
  return (
    <>
      <CountBadge shown={drawn ? [1, drawn] : null} total={Math.max(total, visible.length)} filtered={filtered} />
      <p className="muted small board-keys" id="board-keys">
        {t('On the board, arrow keys move between cards (↑ ↓) and columns (← →); Tab goes to the card’s buttons.')}
      </p>
      <div className="board" ref={board} data-focus-hold={moved?.id}>
      {boardColumns.map(({ status, tasks, notLoaded, shownTotal, activeId, shown, more }) => {
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
            <ul className="board-cards" aria-labelledby={headingId} onKeyDown={(event) => onColumnKeyDown(event, status)}>
              {shown.map((task) => (
                <BoardCard
                  key={task.id}
                  task={task}
                  move={moves.states.get(task.id)}
                  onDismissMove={moves.dismiss}
                  active={task.id === activeId}
                  onFocusCard={() => setActiveIds((current) => (current[status] === task.id ? current : { ...current, [status]: task.id }))}
                  onEdit={onEdit}
                  onChangeStatus={move}
                  onDelete={onDelete}
                />
              ))}
              {tasks.length === 0 && <li className="board-empty muted">{t('Drop a task here')}</li>}
            </ul>
            {more > 0 && (
              <button
                type="button"
                className="board-more"
                onClick={() => {
                  setShownCounts((current) => ({ ...current, [status]: current[status] + boardPageSize }));
                  // Focus goes on to the first card revealed, rather than stay on a button that may be gone.
                  const firstRevealed = tasks.find((task) => !shown.includes(task));
                  if (firstRevealed) focusTask(firstRevealed.id);
                }}
              >
                {t('Show {{count}} more in {{column}}', {
                  count: Math.min(more, boardPageSize),
                  column: statusLabel(status),
                })}
              </button>
            )}
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
  /** The column's one tab stop: it and its buttons are reached by Tab; the other cards by the arrow keys. */
  active: boolean;
  onFocusCard: () => void;
  onEdit: (task: Task) => void;
  onChangeStatus: (task: Task, status: TaskStatus) => void;
  onDelete: (task: Task) => void;
}

function BoardCard({ task, move, onDismissMove, active, onFocusCard, onEdit, onChangeStatus, onDelete }: BoardCardProps) {
  const { t } = useTranslation();
  const tabIndex = active ? 0 : -1;
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
      tabIndex={tabIndex}
      aria-labelledby={`board-card-${task.id}`}
      aria-describedby="board-keys"
      onFocus={onFocusCard}
      onDragStart={(event) => {
        event.dataTransfer.setData(dragType, task.id);
        event.dataTransfer.setData('text/plain', task.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
    >
      <h3 className="task-title" id={`board-card-${task.id}`}>
        <TaskTitleLink task={task} tabIndex={tabIndex} />
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
            tabIndex={tabIndex}
            onClick={() => onChangeStatus(task, previous)}
            aria-label={t('Move “{{title}}” to {{status}}', { title: task.title, status: statusLabel(previous) })}
          >
            ← {statusLabel(previous)}
          </button>
        )}
        {next && (
          <button
            type="button"
            tabIndex={tabIndex}
            onClick={() => onChangeStatus(task, next)}
            aria-label={t('Move “{{title}}” to {{status}}', { title: task.title, status: statusLabel(next) })}
          >
            {statusLabel(next)} →
          </button>
        )}
        <EditDeleteButtons task={task} onEdit={onEdit} onDelete={onDelete} tabIndex={tabIndex} />
      </div>
    </li>
  );
}
