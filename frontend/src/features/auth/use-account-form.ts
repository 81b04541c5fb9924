import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { ApiError } from '../../lib/api-client';
import { toFeedback, useFormSubmit, type FieldErrors, type FormFeedback } from '../../lib/use-form-submit';

interface AccountFormOptions<F extends string> {
  /** The API's name for each field, so that a 422's messages appear beside the right input. */
  serverFields: Readonly<Record<string, F>>;
  /** Called after every edit, with the field edited. */
  onEdit?: (field: F) => void;
}

/**
 * The values, busy flag and messages of an account form (set-up, registration, sign-in, profile), so that each form
 * says only what is its own: its fields, how it checks and sends them, and the failures only it words.
 */
export function useAccountForm<F extends string>(initial: Record<F, string>, { serverFields, onEdit }: AccountFormOptions<F>) {
  const [values, setValues] = useState(initial);
  const { feedback, busy, run, clearField } = useFormSubmit<F>();

  /** The props a `<Field>` needs to show one value: the value, its error, and an edit that clears that error. */
  function bind(field: F) {
    return {
      value: values[field],
      error: feedback.fields[field],
      onChange: (event: ChangeEvent<HTMLInputElement>) => {
        setValues((current) => ({ ...current, [field]: event.target.value }));
        clearField(field);
        onEdit?.(field);
      },
    };
  }

  /** The form's submit handler: `send` runs only when `check` finds nothing wrong; `explain` words this form's statuses. */
  function submitWith(
    check: () => FieldErrors<F>,
    send: () => Promise<unknown>,
    explain?: (failure: ApiError) => FormFeedback<F> | undefined,
  ) {
    return async (event: FormEvent) => {
      event.preventDefault();
      await run(check, send, (error) => toFeedback(error, serverFields, explain));
    };
  }

  return { values, setValues, feedback, busy, bind, submitWith };
}
