import { Session } from './session.entity';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A session ends 14 days after its last use... */
export const SESSION_IDLE_LIMIT_MS = 14 * DAY_MS;
/** ...and 30 days after sign-in at the latest. */
export const SESSION_ABSOLUTE_LIMIT_MS = 30 * DAY_MS;

export function sessionEndsAt(session: Pick<Session, 'createdAt' | 'lastUsedAt'>): Date {
  return new Date(
    Math.min(session.lastUsedAt.getTime() + SESSION_IDLE_LIMIT_MS, session.createdAt.getTime() + SESSION_ABSOLUTE_LIMIT_MS),
  );
}
