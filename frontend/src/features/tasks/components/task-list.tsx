import type { Task, TaskStatus } from '../task.types';
import { useHighlightClass } from '../task-highlights';
import { AdvanceButton, EditDeleteButtons, LabelChips, StatusBadge, TaskAuthors, TaskMeta, TaskTitleLink } from './task-meta';
import { useTranslation } from 'react-i18next';
import { useMoveStates, withPendingMove, type MoveState } from '../use-move-states';
import { MoveNotice } from './move-notice';

interface TaskListProps {
  tasks: Task[];
  onEdit: (task: Task) => void;
  onChangeStatus: (task: Task, status: TaskStatus) => void;
  onDelete: (task: Task) => void;
}

export function TaskList({ tasks, onEdit, onChangeStatus, onDelete }: TaskListProps) {
  const { t } = useTranslation();
  const moves = useMoveStates();
  return (
    <ul className="task-list" aria-label={t('Tasks')}>
      {tasks.map((task) => {
        const move = moves.states.get(task.id);
        return (
          <TaskRow
            key={task.id}
            task={withPendingMove(task, move)}
            move={move}
            onDismissMove={moves.dismiss}
            onEdit={onEdit}
            onChangeStatus={onChangeStatus}
            onDelete={onDelete}
          />
        );
      })}
    </ul>
  );
}

interface TaskRowProps extends Omit<TaskListProps, 'tasks'> {
  task: Task;
  /** Its status change on the way, or failed (the row then shows its old status again). */
  move?: MoveState;
  onDismissMove: (taskId: string) => void;
}

function TaskRow({ task, move, onDismissMove, onEdit, onChangeStatus, onDelete }: TaskRowProps) {
  const highlight = useHighlightClass(task.id);
  const classes = ['task-row', highlight, move && `task-row-move-${move.status}`].filter(Boolean).join(' ');
  return (
    <li className={classes} data-task-id={task.id} aria-busy={move?.status === 'pending' || undefined}>
      <div className="task-row-main">
        <h3 className="task-title">
          <StatusBadge status={task.status} /> <TaskTitleLink task={task} focusTarget />
        </h3>
        <LabelChips labels={task.labels} />
        {task.description && <p className="task-description">{task.description}</p>}
        <TaskMeta task={task} />
        <TaskAuthors task={task} />
        {move && <MoveNotice task={task} move={move} onRetry={onChangeStatus} onDismiss={onDismissMove} />}
      </div>
      <div className="task-actions">
        <AdvanceButton task={task} onChangeStatus={onChangeStatus} />
        <EditDeleteButtons task={task} onEdit={onEdit} onDelete={onDelete} />
      </div>
    </li>
  );
}
