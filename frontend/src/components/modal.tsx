import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

const focusable = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** A modal dialog that keeps keyboard focus inside while open and gives it back to the opener on close. */
export function Modal({ title, onClose, children }: ModalProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);

  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const dialog = dialogRef.current;
    if (!dialog) return;
    // Content marks where work starts (a form's first field) with data-autofocus; React's autoFocus would be
    // undone by a Strict Mode remount, whose cleanup gives focus back to the opener. Content that loads later (the
    // edit form after its task) gets focus when it arrives, unless the person has moved it meanwhile; until then the
    // dialog itself holds it, never the close button.
    const workStart = () => dialog.querySelector<HTMLElement>('[data-autofocus]');
    (workStart() ?? dialog).focus();
    const arrival = new MutationObserver(() => {
      const start = workStart();
      if (!start) return;
      if (document.activeElement === dialog) start.focus();
      arrival.disconnect();
    });
    if (!workStart()) arrival.observe(dialog, { childList: true, subtree: true });

    function onKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape') {
        event.stopPropagation();
        onCloseRef.current();
        return;
      }
      if (event.key !== 'Tab' || !dialog) return;
      const items = Array.from(dialog.querySelectorAll<HTMLElement>(focusable));
      if (items.length === 0) return;
      const [head, tail] = [items[0], items[items.length - 1]];
      const inside = items.includes(document.activeElement as HTMLElement);
      if (event.shiftKey && (document.activeElement === head || !inside)) {
        event.preventDefault();
        tail.focus();
      } else if (!event.shiftKey && (document.activeElement === tail || !inside)) {
        event.preventDefault();
        head.focus();
      }
    }
    // Focus that leaves the dialog another way (a click on the page behind, a script) comes back to it.
    function onFocusIn(event: FocusEvent) {
      if (dialog && event.target instanceof Node && !dialog.contains(event.target)) dialog.focus();
    }
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      arrival.disconnect();
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('focusin', onFocusIn);
      if (opener?.isConnected && opener !== document.body) opener.focus();
    };
  }, []);

  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={dialogRef} tabIndex={-1}>
        <div className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="button-ghost" onClick={onClose} aria-label={t('Close dialog')}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
