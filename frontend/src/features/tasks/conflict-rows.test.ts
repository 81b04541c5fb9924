import { describe, expect, it } from 'vitest';
import { makeTask } from '../../test/fake-api';
import { conflictRows, rebaseDraft } from './conflict-rows';
import { toFormValues } from './task-form-values';

describe('rebaseDraft', () => {
  it('keeps the fields the person changed and takes every other field from the newer version', () => {
    const original = makeTask({ title: 'Draft plan', priority: 'low', description: null });
    const theirs = { ...original, title: 'Their plan', priority: 'high' as const, updated_at: '2026-12-01T00:00:00.000Z' };
    const draft = { ...toFormValues(original), description: 'Mine', status: 'done' as const };

    const rebased = rebaseDraft(draft, original, theirs);

    expect(rebased).toEqual({ ...toFormValues(theirs), description: 'Mine', status: 'done' });
  });
});

describe('conflictRows', () => {
  it('lists what they changed and what the draft changes, with theirs beside yours', () => {
    const original = makeTask({ title: 'Draft plan', priority: 'low' });
    const theirs = { ...original, priority: 'high' as const };
    const draft = { ...toFormValues(theirs), title: 'My plan' };

    expect(conflictRows(original, theirs, draft)).toEqual([
      { field: 'title', theirs: 'Draft plan', yours: 'My plan' },
      { field: 'priority', theirs: 'high', yours: undefined },
    ]);
  });
});
