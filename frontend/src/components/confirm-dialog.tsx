import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from './modal';

interface ConfirmDialogProps {
  title: string;
  /** What confirming does, in a sentence or two. */
  message: ReactNode;
  /** The danger button's text: the action's own verb ("Revoke", "Delete"), never "OK". */
  confirmLabel: string;
  /** While the action runs the button stays focusable but does nothing. */
  pending: boolean;
  /** Why the last attempt failed, shown above the buttons; the dialog stays open for another try. */
  failure: string | null;
  onConfirm: () => void;
  onClose: () => void;
}

/** "Are you sure?" for an action that cannot be undone: the danger button has the focus, Cancel is next to it. */
export function ConfirmDialog({ title, message, confirmLabel, pending, failure, onConfirm, onClose }: ConfirmDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal title={title} onClose={onClose}>
      <p>{message}</p>
      {failure && (
        <div className="form-error" role="alert">
          <p>{failure}</p>
        </div>
      )}
      <div className="form-actions">
        {/* aria-disabled rather than disabled: a button disabled under the keyboard's focus drops it to the page. */}
        <button
          type="button"
          className="button-danger"
          data-autofocus
          aria-disabled={pending}
          onClick={() => {
            if (!pending) onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" onClick={onClose}>
          {t('Cancel')}
        </button>
      </div>
    </Modal>
  );
}
