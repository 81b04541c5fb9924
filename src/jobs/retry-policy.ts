/** How a kind of job is retried after a failed run. */
export interface RetryPolicy {
  /** The wait before the next run, after `attempts` runs have failed (1 after the first). */
  delayMs: (attempts: number) => number;
  /** No run starts later than this after the job was created; the job then fails for good. */
  giveUpAfterMs?: number;
  /** No more runs than this. */
  maxAttempts?: number;
}

/** Waits of base, 2 × base, 4 × base... up to `maxMs`. */
export function exponentialBackoff(baseMs: number, maxMs: number): RetryPolicy['delayMs'] {
  return (attempts) => Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export const DEFAULT_RETRY: RetryPolicy = { delayMs: exponentialBackoff(5_000, 15 * 60_000), maxAttempts: 10 };

/** When the next run may start, or null when the job has had its last chance. */
export function nextRunAt(policy: RetryPolicy, attempts: number, createdAt: number, now: number): number | null {
  if (policy.maxAttempts !== undefined && attempts >= policy.maxAttempts) return null;
  const runAt = now + policy.delayMs(attempts);
  if (policy.giveUpAfterMs !== undefined && runAt > createdAt + policy.giveUpAfterMs) return null;
  return runAt;
}
