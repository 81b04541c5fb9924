import { describe, expect, it } from 'vitest';
import { refreshInterval } from './use-webhooks';
import type { Delivery } from './webhook.types';

const now = Date.parse('2026-12-01T10:00:00.000Z');

function delivery(status: Delivery['status'], nextInMs: number | null): Delivery {
  return {
    id: 'd',
    event: 'task.created',
    status,
    attempts: 1,
    response_status: null,
    error: null,
    created_at: '2026-12-01T09:59:00.000Z',
    last_attempt_at: null,
    next_attempt_at: nextInMs === null ? null : new Date(now + nextInMs).toISOString(),
  };
}

describe('refreshInterval', () => {
  it('does not refresh a settled log, nor one whose deliveries wait for a paused webhook', () => {
    expect(refreshInterval(undefined, now)).toBe(false);
    expect(refreshInterval([delivery('succeeded', null), delivery('failed', null)], now)).toBe(false);
    expect(refreshInterval([delivery('pending', null)], now)).toBe(false);
  });

  it('refreshes every 2 to 5 s while an attempt is due within a minute (or in flight), every 30 s otherwise', () => {
    expect(refreshInterval([delivery('pending', 0)], now)).toBe(2_000);
    expect(refreshInterval([delivery('pending', 3_000), delivery('pending', 60_000)], now)).toBe(3_500);
    // An attempt in flight: the API shows its claim's end, up to a minute ahead.
    expect(refreshInterval([delivery('pending', 59_000)], now)).toBe(5_000);
    expect(refreshInterval([delivery('pending', 3_600_000)], now)).toBe(30_000);
  });
});
