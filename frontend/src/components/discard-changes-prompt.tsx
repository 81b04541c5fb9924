import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

interface DiscardChangesPromptProps {
  onKeepEditing: () => void;
  onDiscard: () => void;
}

/**
 * "Discard changes?" over a dialog whose form holds unsaved changes. An alertdialog: focus starts on the safe
 * choice (Keep editing), and the dialog below is inert until one is made.
 */
export function DiscardChangesPrompt({ onKeepEditing, onDiscard }: DiscardChangesPromptProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const textId = useId();
  const keepRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    keepRef.current?.focus();
  }, []);

  return (
    // A click beside the prompt leaves focus on it rather than dropping it to the page.
    <div className="modal-backdrop discard-backdrop" onMouseDown={(event) => event.target === event.currentTarget && event.preventDefault()}>
      <div
        className="modal discard-prompt"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={textId}
        data-discard-prompt
      >
        <h2 id={titleId}>{t('Discard changes?')}</h2>
        <p id={textId}>{t('What you typed in this dialog has not been saved. Discarding it cannot be undone.')}</p>
        <div className="form-actions">
          <button type="button" className="button-primary" ref={keepRef} onClick={onKeepEditing}>
            {t('Keep editing')}
          </button>
          <button type="button" className="button-danger" onClick={onDiscard}>
            {t('Discard')}
          </button>
        </div>
      </div>
    </div>
  );
}
