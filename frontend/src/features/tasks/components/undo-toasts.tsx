import type { PendingDelete } from '../use-undoable-delete';

interface UndoToastsProps {
  pending: PendingDelete[];
  onUndo: (id: string) => void;
}

export function UndoToasts({ pending, onUndo }: UndoToastsProps) {
  return (
    <div className="toasts" role="status" aria-live="polite">
      {pending.map(({ task, sent }) => (
        <div key={task.id} className="toast">
          <span>
            {sent ? 'Deleting' : 'Deleted'} “{task.title}”.
          </span>
          {!sent && (
            <button type="button" onClick={() => onUndo(task.id)} aria-label={`Undo deleting “${task.title}”`}>
              Undo
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
