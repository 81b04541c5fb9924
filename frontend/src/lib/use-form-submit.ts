import { useCallback, useRef, useState } from 'react';
import { ApiError } from './api-client';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export interface FormFeedback<F extends string> {
  fields: FieldErrors<F>;
  /** Messages about the whole form (or about no field the form shows). */
  general: string[];
}

/**
 * Turns a failure into messages beside the fields: a 422's class-validator messages start with the property they are
 * about ("password must be longer than or equal to 8 characters"); `explain` words the other statuses for this form.
 */
export function toFeedback<F extends string>(
  error: unknown,
  serverFields: Readonly<Record<string, F>>,
  explain?: (error: ApiError) => FormFeedback<F> | undefined,
): FormFeedback<F> {
  if (!(error instanceof ApiError)) return { fields: {}, general: [error instanceof Error ? error.message : String(error)] };
  const explained = explain?.(error);
  if (explained) return explained;
  if (error.status !== 422) return { fields: {}, general: [error.message] };
  const fields: FieldErrors<F> = {};
  const general: string[] = [];
  for (const message of error.messages) {
    const field = serverFields[message.split(/\s/)[0]];
    if (field) fields[field] = fields[field] ? `${fields[field]} ${message}` : message;
    else general.push(message);
  }
  return { fields, general };
}

const none = { fields: {}, general: [] };

/** The busy flag and the messages of a form that sends one request when submitted. */
export function useFormSubmit<F extends string>() {
  const [feedback, setFeedback] = useState<FormFeedback<F>>(none);
  const [busy, setBusy] = useState(false);
  // The submit button stays focusable while busy (aria-disabled), so a second submit has to be refused here.
  const running = useRef(false);

  /** Checks locally first; sends only when nothing is wrong. Resolves true when the action succeeded. */
  const run = useCallback(
    async (
      check: () => FieldErrors<F>,
      action: () => Promise<unknown>,
      onError: (error: unknown) => FormFeedback<F>,
    ): Promise<boolean> => {
      if (running.current) return false;
      const found = check();
      if (Object.values(found).some(Boolean)) {
        setFeedback({ fields: found, general: [] });
        return false;
      }
      setFeedback(none);
      setBusy(true);
      running.current = true;
      try {
        await action();
        return true;
      } catch (error) {
        setFeedback(onError(error));
        return false;
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [],
  );

  const clearField = useCallback((field: F) => {
    setFeedback((current) => (current.fields[field] ? { ...current, fields: { ...current.fields, [field]: undefined } } : current));
  }, []);

  return { feedback, busy, run, clearField, setFeedback };
}
