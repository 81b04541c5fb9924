import { useBlocker } from '@tanstack/react-router';
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DiscardChangesPrompt } from './discard-changes-prompt';
import { UnsavedChangesContext } from './unsaved-changes';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

const focusable = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog that keeps keyboard focus inside while open and gives it back to the opener on close. When a form
 * inside reports unsaved changes (useReportUnsavedChanges), Escape, a click outside, × and the browser's Back ask
 * "Discard changes?" first; without changes they close at once.
 */
export function Modal({ title, onClose, children }: ModalProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  const unsavedRef = useRef(false);
  const [asking, setAsking] = useState(false);
  const askingRef = useRef(false);
  // Where focus was when the prompt opened, to go back there on "Keep editing".
  const focusBeforePrompt = useRef<HTMLElement | null>(null);

  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  const reportUnsaved = useCallback((unsaved: boolean) => {
    unsavedRef.current = unsaved;
  }, []);

  // Back (or any navigation) while changes are unsaved waits for the person's answer; closing the tab or reloading
  // gets the browser's own question.
  const blocker = useBlocker({
    shouldBlockFn: () => {
      if (!unsavedRef.current) return false;
      if (!askingRef.current) focusBeforePrompt.current = document.activeElement as HTMLElement | null;
      askingRef.current = true;
      return true;
    },
    enableBeforeUnload: () => unsavedRef.current,
    withResolver: true,
  });
  const prompted = asking || blocker.status === 'blocked';

  const ask = useCallback(() => {
    if (!askingRef.current) focusBeforePrompt.current = document.activeElement as HTMLElement | null;
    askingRef.current = true;
    setAsking(true);
  }, []);

  const requestClose = useCallback(() => {
    if (unsavedRef.current) ask();
    else onCloseRef.current();
  }, [ask]);
  const requestCloseRef = useRef(requestClose);
  useEffect(() => {
    requestCloseRef.current = requestClose;
  }, [requestClose]);

  function keepEditing() {
    if (blocker.status === 'blocked') blocker.reset();
    askingRef.current = false;
    setAsking(false);
    const back = focusBeforePrompt.current;
    const dialog = dialogRef.current;
    // After the dialog stops being inert in this render.
    queueMicrotask(() => {
      if (back?.isConnected && dialog?.contains(back)) back.focus();
      else (dialog?.querySelector<HTMLElement>('[data-autofocus]') ?? dialog)?.focus();
    });
  }

  function discard() {
    unsavedRef.current = false;
    askingRef.current = false;
    if (blocker.status === 'blocked') blocker.proceed();
    onCloseRef.current();
  }

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
      // While the prompt is open its own buttons answer it; Escape means "keep editing" there.
      const prompt = document.querySelector<HTMLElement>('[data-discard-prompt]');
      if (event.key === 'Escape') {
        event.stopPropagation();
        if (prompt) prompt.querySelector<HTMLElement>('button')?.click();
        else requestCloseRef.current();
        return;
      }
      const container = prompt ?? dialog;
      if (event.key !== 'Tab' || !container) return;
      const items = Array.from(container.querySelectorAll<HTMLElement>(focusable));
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
    // Focus that leaves the dialog another way (a click on the page behind, a script) comes back to it; the
    // "Discard changes?" prompt over it is part of it.
    function onFocusIn(event: FocusEvent) {
      if (!dialog || !(event.target instanceof Element) || dialog.contains(event.target)) return;
      if (event.target.closest('[data-discard-prompt]')) return;
      dialog.focus();
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
    <div
      className="modal-backdrop"
      onMouseDown={(event) => {
        if (event.target !== event.currentTarget) return;
        // Focus stays in the dialog (or moves to the prompt) rather than dropping to the page.
        event.preventDefault();
        if (!prompted) requestClose();
      }}
    >
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={dialogRef}
        tabIndex={-1}
        inert={prompted}
      >
        <div className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="button-ghost" onClick={requestClose} aria-label={t('Close dialog')}>
            ×
          </button>
        </div>
        <UnsavedChangesContext.Provider value={reportUnsaved}>{children}</UnsavedChangesContext.Provider>
      </div>
      {prompted && <DiscardChangesPrompt onKeepEditing={keepEditing} onDiscard={discard} />}
    </div>
  );
}
