/** A project key after trimming and upper-casing: an ASCII letter, then 1 to 9 letters or digits. */
export const PROJECT_KEY = /^[A-Z][A-Z0-9]{1,9}$/;

/** A task key: `<project key>-<number>`, in any case (`tf-12`). */
const TASK_KEY = /^([A-Za-z][A-Za-z0-9]{1,9})-([1-9][0-9]{0,9})$/;

/** How keys are stored and compared: trimmed, upper-case. */
export function normalizeProjectKey(key: string): string {
  return key.trim().toUpperCase();
}

/** The project key and number a task key names, or null when `text` is not a task key. */
export function parseTaskKey(text: string): { projectKey: string; number: number } | null {
  const match = TASK_KEY.exec(text);
  if (!match) return null;
  const number = Number(match[2]);
  return Number.isSafeInteger(number) && number <= 2_147_483_647 ? { projectKey: match[1].toUpperCase(), number } : null;
}

export function taskKey(projectKey: string, number: number): string {
  return `${projectKey}-${number}`;
}
