/** The signed-in user who writes a task, or null in AUTH_MODE=off. */
export type TaskAuthor = { id: string; name: string } | null;
