import type { Task, TaskStatus } from '../task.types';
import { useHighlightClass } from '../task-highlights';
import { AdvanceButton, EditDeleteButtons, LabelChips, StatusBadge, TaskAuthors, TaskMeta, TaskTitleLink } from './task-meta';
import { useTranslation } from 'react-i18next';

interface TaskListProps {
  tasks: Task[];
  onEdit: (task: Task) => void;
  onChangeStatus: (task: Task, status: TaskStatus) => void;
  onDelete: (task: Task) => void;
}

export function TaskList({ tasks, onEdit, onChangeStatus, onDelete }: TaskListProps) {
  const { t } = useTranslation();
  return (
    <ul className="task-list" aria-label={t('Tasks')}>
      {tasks.map((task) => (
        <TaskRow key={task.id} task={task} onEdit={onEdit} onChangeStatus={onChangeStatus} onDelete={onDelete} />
      ))}
    </ul>
  );
}

function TaskRow({ task, onEdit, onChangeStatus, onDelete }: Omit<TaskListProps, 'tasks'> & { task: Task }) {
  const highlight = useHighlightClass(task.id);
  return (
    <li className={highlight ? `task-row ${highlight}` : 'task-row'} data-task-id={task.id}>
      <div className="task-row-main">
        <h3 className="task-title">
          <StatusBadge status={task.status} /> <TaskTitleLink task={task} focusTarget />
        </h3>
        <LabelChips labels={task.labels} />
        {task.description && <p className="task-description">{task.description}</p>}
        <TaskMeta task={task} />
        <TaskAuthors task={task} />
      </div>
      <div className="task-actions">
        <AdvanceButton task={task} onChangeStatus={onChangeStatus} />
        <EditDeleteButtons task={task} onEdit={onEdit} onDelete={onDelete} />
      </div>
    </li>
  );
}
