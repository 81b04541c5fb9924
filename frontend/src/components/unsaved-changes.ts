import { createContext, useContext, useEffect } from 'react';

/**
 * How a form inside a dialog tells the dialog that it holds changes not yet saved, so that closing it (Escape, a
 * click outside, ×, Back) asks before throwing them away. Absent outside a dialog.
 */
export const UnsavedChangesContext = createContext<((unsaved: boolean) => void) | null>(null);

/** Reports whether this form holds unsaved changes to the dialog around it, if any. */
export function useReportUnsavedChanges(unsaved: boolean): void {
  const report = useContext(UnsavedChangesContext);
  useEffect(() => {
    report?.(unsaved);
  }, [report, unsaved]);
  // A form that goes away (saved, or replaced by a newer version) no longer holds anything.
  useEffect(() => () => report?.(false), [report]);
}
