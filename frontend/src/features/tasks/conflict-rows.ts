import { comparedFields, type ComparedField } from './describe-change';
import { toUpdateBody, type TaskFormValues } from './task-form-values';
import type { Task } from './task.types';

export interface ConflictRow {
  field: ComparedField;
  theirs: unknown;
  /** Undefined when the person did not change the field: theirs stays. */
  yours: unknown;
}

/**
 * Each field that someone else changed since the form's version, or that the person changed in their draft: what
 * is saved now beside what the person typed.
 */
export function conflictRows(base: Task, theirs: Task, draft: TaskFormValues): ConflictRow[] {
  const yours = toUpdateBody(draft, base) as Partial<Record<ComparedField, unknown>>;
  return comparedFields
    .filter((field) => field in yours || base[field] !== theirs[field])
    .map((field) => ({ field, theirs: theirs[field], yours: field in yours ? yours[field] : undefined }));
}
