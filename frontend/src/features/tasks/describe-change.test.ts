import { describe, expect, it } from 'vitest';
import { makeChange, makeTask } from '../../test/fake-api';
import { describeChange, describeDifferences, formatRelative } from './describe-change';
import { reconnectDelay } from './task-events';

const ana = { id: '10000000-0000-4000-8000-000000000001', name: 'Ana' };

describe('describeChange', () => {
  it('puts each kind of change in words', () => {
    const task = makeTask();
    const sentence = (fields: Record<string, [unknown, unknown]>) => describeChange(makeChange('updated', task, { fields, user: ana }));
    expect(describeChange(makeChange('created', task, { user: ana }))).toBe('Ana created it');
    expect(describeChange(makeChange('deleted', task, { user: null }))).toBe('Someone deleted it');
    expect(sentence({ status: ['todo', 'in_progress'] })).toBe('Ana moved it from To do to In progress');
    expect(sentence({ assignee: ['bo', null] })).toBe('Ana unassigned bo');
    expect(sentence({ assignee: ['bo', 'cy'] })).toBe('Ana reassigned it from bo to cy');
    expect(sentence({ due_date: ['2026-12-01T09:30:00.000Z', null] })).toBe('Ana removed the due date');
    expect(sentence({ description: ['Old', 'New'] })).toBe('Ana changed the description');
    expect(sentence({})).toBe('Ana saved it without changing anything');
    expect(sentence({ title: ['x'.repeat(80), 'Short'] })).toBe(`Ana changed the title from “${'x'.repeat(59)}…” to “Short”`);
  });

  it('lists what differs between two versions for the conflict message', () => {
    const before = makeTask({ status: 'in_progress', title: 'A' });
    expect(describeDifferences(before, { ...before, status: 'done', title: 'B', description: 'New' })).toEqual([
      'status In progress → Done',
      'title “A” → “B”',
      'the description',
    ]);
  });
});

describe('formatRelative', () => {
  it('says how long ago, briefly', () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    const ago = (seconds: number) => formatRelative(new Date(now - seconds * 1000).toISOString(), now);
    expect(ago(10)).toBe('just now');
    expect(ago(-30)).toBe('just now');
    expect(ago(120)).toBe('2 min ago');
    expect(ago(3 * 3600)).toBe('3 h ago');
    expect(ago(26 * 3600)).toBe('yesterday');
    expect(ago(3 * 86400)).toBe('3 days ago');
    expect(ago(30 * 86400)).toMatch(/2026/);
  });
});

describe('reconnectDelay', () => {
  it('doubles from 1 s up to 30 s, with jitter', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 10].map((failures) => reconnectDelay(failures, middle))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(reconnectDelay(1, () => 0)).toBe(800);
    expect(reconnectDelay(1, () => 1)).toBe(1200);
  });
});
