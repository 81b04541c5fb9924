import { SESSION_ABSOLUTE_LIMIT_MS, SESSION_IDLE_LIMIT_MS, sessionEndsAt } from './session-lifetime';

const DAY = 24 * 60 * 60 * 1000;

describe(sessionEndsAt.name, () => {
  const signedIn = new Date('2026-11-01T00:00:00.000Z');

  it('ends 14 days after the last use', () => {
    expect(sessionEndsAt({ createdAt: signedIn, lastUsedAt: signedIn }).toISOString()).toBe('2026-11-15T00:00:00.000Z');
    expect(SESSION_IDLE_LIMIT_MS).toBe(14 * DAY);
  });

  it('ends 30 days after sign-in at the latest, however recently used', () => {
    const lastUsed = new Date(signedIn.getTime() + 25 * DAY);
    expect(sessionEndsAt({ createdAt: signedIn, lastUsedAt: lastUsed }).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(SESSION_ABSOLUTE_LIMIT_MS).toBe(30 * DAY);
  });
});
