import type { PendingDelete } from '../use-undoable-delete';
import { useTranslation } from 'react-i18next';

interface UndoToastsProps {
  pending: PendingDelete[];
  onUndo: (id: string) => void;
}

export function UndoToasts({ pending, onUndo }: UndoToastsProps) {
  const { t } = useTranslation();
  return (
    <div className="toasts" role="status" aria-live="polite">
      {pending.map(({ task, sent }) => (
        <div key={task.id} className="toast">
          <span>{sent ? t('Deleting “{{title}}”.', { title: task.title }) : t('Deleted “{{title}}”.', { title: task.title })}</span>
          {!sent && (
            <button type="button" onClick={() => onUndo(task.id)} aria-label={t('Undo deleting “{{title}}”', { title: task.title })}>
              {t('Undo')}
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
