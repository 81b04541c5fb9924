import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { conflictRows } from '../conflict-rows';
import { describeValue, fieldLabel } from '../describe-change';
import type { TaskFormValues } from '../task-form-values';
import type { Task } from '../task.types';

interface TaskConflictProps {
  /** The version the person started from. */
  original: Task;
  /** The version saved on the server now. */
  theirs: Task;
  draft: TaskFormValues;
  onDiscardMine: () => void;
}

/**
 * After a 412: the person's changes stay in the form, carried over onto the version saved now, and this shows, field
 * by field, what is saved now beside them, with the two ways on: save the changes onto the saved version (a submit of
 * the form, sent with that version's ETag), or drop them and load the saved version.
 */
export function TaskConflict({ original, theirs, draft, onDiscardMine }: TaskConflictProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const rows = conflictRows(original, theirs, draft);
  const who = theirs.updated_by?.name ?? t('Someone else');

  // Keyboard and screen-reader users land on the explanation rather than on a Save that just failed.
  useEffect(() => {
    panel.current?.focus();
  }, [theirs.updated_at]);

  return (
    <div className="notice notice-warning task-conflict" role="region" aria-labelledby={titleId} tabIndex={-1} ref={panel}>
      <p className="state-title" id={titleId}>
        {t('{{who}} saved this task while you were editing it. Your changes are not saved yet, and still in the form.', { who })}
      </p>
      <table className="conflict-table">
        <caption className="visually-hidden">{t('The saved version beside your changes')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('Field')}</th>
            <th scope="col">{t('Saved now')}</th>
            <th scope="col">{t('Yours')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ field, theirs: saved, yours }) => (
            <tr key={field} data-field={field}>
              <th scope="row">{fieldLabel(field)}</th>
              <td>{describeValue(field, saved)}</td>
              <td>{yours === undefined ? <span className="muted">{t('not changed')}</span> : describeValue(field, yours)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{t('Applying saves the fields you changed onto the saved version; the fields you did not change keep their saved values.')}</p>
      <div className="notice-actions">
        <button type="submit" className="button-primary">
          {t('Apply my changes')}
        </button>
        <button type="button" onClick={onDiscardMine}>
          {t('Discard my changes')}
        </button>
      </div>
    </div>
  );
}
