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

  it('refreshes soon after the next attempt is due, every 2 to 30 s', () => {
    expect(refreshInterval([delivery('pending', 0)], now)).toBe(2_000);
    expect(refreshInterval([delivery('pending', 5_000), delivery('pending', 60_000)], now)).toBe(5_500);
    expect(refreshInterval([delivery('pending', 3_600_000)], now)).toBe(30_000);
  });
});
