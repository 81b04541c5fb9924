import { comparedFields, type ComparedField } from './describe-change';
import { toFormValues, toUpdateBody, type TaskFormField, type TaskFormValues } from './task-form-values';
import type { Task } from './task.types';

export interface ConflictRow {
  field: ComparedField;
  theirs: unknown;
  /** Undefined when the person did not change the field: theirs stays. */
  yours: unknown;
}

/**
 * The draft carried over onto a newer version: the fields the person changed from the version they started from
 * keep what they typed; every other field takes the newer version's value. Saving it then sends exactly the
 * person's changes.
 */
export function rebaseDraft(draft: TaskFormValues, from: Task, onto: Task): TaskFormValues {
  const [started, newer] = [toFormValues(from), toFormValues(onto)];
  const rebased = { ...newer };
  for (const field of Object.keys(draft) as TaskFormField[]) {
    if (JSON.stringify(draft[field]) !== JSON.stringify(started[field])) Object.assign(rebased, { [field]: draft[field] });
  }
  return rebased;
}

/**
 * Each field that someone else changed since the version the person started from, or that the draft changes from
 * the version saved now: what is saved now beside what the person typed.
 */
export function conflictRows(original: Task, theirs: Task, draft: TaskFormValues): ConflictRow[] {
  const yours = toUpdateBody(draft, theirs) as Partial<Record<ComparedField, unknown>>;
  return comparedFields
    .filter((field) => field in yours || original[field] !== theirs[field])
    .map((field) => ({ field, theirs: theirs[field], yours: field in yours ? yours[field] : undefined }));
}
