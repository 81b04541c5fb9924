import { exponentialBackoff, nextRunAt } from './retry-policy';

describe(nextRunAt.name, () => {
  const delayMs = exponentialBackoff(1_000, 10_000);
  const now = 1_000_000;

  it('doubles the wait after each failure, up to its ceiling', () => {
    expect([1, 2, 3, 4, 5, 6].map(delayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('gives up after maxAttempts runs', () => {
    expect(nextRunAt({ delayMs, maxAttempts: 3 }, 2, now, now)).toBe(now + 2_000);
    expect(nextRunAt({ delayMs, maxAttempts: 3 }, 3, now, now)).toBeNull();
  });

  it('starts no run later than giveUpAfterMs after the job was created', () => {
    const policy = { delayMs, giveUpAfterMs: 60_000 };
    expect(nextRunAt(policy, 4, now, now + 52_000)).toBe(now + 60_000);
    expect(nextRunAt(policy, 4, now, now + 52_001)).toBeNull();
  });
});
