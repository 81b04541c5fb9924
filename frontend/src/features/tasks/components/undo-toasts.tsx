import { useEffect } from 'react';
import type { PendingDelete } from '../use-undoable-delete';
import { useTranslation } from 'react-i18next';

interface UndoToastsProps {
  pending: PendingDelete[];
  onUndo: (id: string) => void;
  /** The pointer or focus is on a toast: its grace period must not run out under the person. */
  onHold: () => void;
  onRelease: () => void;
}

const onMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

/** Where typing happens, Ctrl+Z undoes the typing, not a delete. */
function isTextEntry(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

export function UndoToasts({ pending, onUndo, onHold, onRelease }: UndoToastsProps) {
  const { t } = useTranslation();
  const undoable = pending.filter((item) => !item.sent);
  const latest = undoable[undoable.length - 1]?.task.id;
  const shortcut = onMac ? '⌘Z' : t('Ctrl+Z');

  // The last toast gone (undone or sent), nothing is held any more, even if the pointer never left the empty corner.
  useEffect(() => {
    if (latest === undefined) onRelease();
  }, [latest, onRelease]);

  // The keyboard's way to Undo within its few seconds, wherever focus is (announced with each toast).
  useEffect(() => {
    if (latest === undefined) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.key.toLowerCase() !== 'z' || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
      if (isTextEntry(event.target) || document.querySelector('[role="dialog"]')) return;
      event.preventDefault();
      onUndo(latest!);
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [latest, onUndo]);

  return (
    <div
      className="toasts"
      role="status"
      aria-live="polite"
      onMouseEnter={onHold}
      onMouseLeave={onRelease}
      onFocus={onHold}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) onRelease();
      }}
    >
      {pending.map(({ task, sent }) => (
        <div key={task.id} className="toast">
          <span>
            {sent ? t('Deleting “{{title}}”.', { title: task.title }) : t('Deleted “{{title}}”.', { title: task.title })}
            {!sent && <span className="toast-hint"> {t('Press {{shortcut}} to undo.', { shortcut })}</span>}
          </span>
          {!sent && (
            <button
              type="button"
              onClick={() => onUndo(task.id)}
              aria-label={t('Undo deleting “{{title}}”', { title: task.title })}
              aria-keyshortcuts={onMac ? 'Meta+Z' : 'Control+Z'}
            >
              {t('Undo')}
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
