import { describe, expect, it } from 'vitest';
import { makeTask } from '../../test/fake-api';
import { compareTasks, optimisticLists, type CachedList } from './optimistic-update';
import type { TaskListQuery } from './task.types';

const board = (status: 'todo' | 'in_progress' | 'done', extra: TaskListQuery = {}): TaskListQuery => ({
  sort: 'created_at',
  order: 'desc',
  ...extra,
  status,
  skip: 0,
  limit: 100,
});

describe('compareTasks', () => {
  it('orders as the server does: the sort key in the order asked, then id; no due date last either way', () => {
    const early = makeTask({ due_date: '2026-12-01T10:00:00.000Z', priority: 'high' });
    const late = makeTask({ due_date: '2026-12-02T10:00:00.000Z', priority: 'low' });
    const none = makeTask({ due_date: null, priority: 'high' });
    const sorted = (query: TaskListQuery) => [none, late, early].sort((a, b) => compareTasks(a, b, query)).map((task) => task.id);

    expect(sorted({ sort: 'due_date', order: 'asc' })).toEqual([early.id, late.id, none.id]);
    expect(sorted({ sort: 'due_date', order: 'desc' })).toEqual([late.id, early.id, none.id]);
    expect(sorted({ sort: 'priority', order: 'asc' })).toEqual([late.id, early.id, none.id]);
    expect(sorted({ sort: 'created_at', order: 'desc' })).toEqual([none.id, late.id, early.id]);
  });
});

describe('optimisticLists', () => {
  it('moves a card out of its column and into its new one at its sorted place, with both totals', () => {
    const oldest = makeTask({ title: 'Oldest', status: 'in_progress' });
    const middle = makeTask({ title: 'Middle', status: 'todo' });
    const newest = makeTask({ title: 'Newest', status: 'in_progress' });
    const lists: CachedList[] = [
      [board('todo'), { tasks: [middle], total: 1 }],
      [board('in_progress'), { tasks: [newest, oldest], total: 2 }],
      [board('done'), { tasks: [], total: 0 }],
    ];

    const pages = optimisticLists(lists, middle.id, { status: 'in_progress' });

    expect(pages.get(0)).toEqual({ tasks: [], total: 0 });
    expect(pages.get(1)?.tasks.map((task) => task.title)).toEqual(['Newest', 'Middle', 'Oldest']);
    expect(pages.get(1)?.total).toBe(3);
    expect(pages.has(2)).toBe(false);
  });

  it('changes an unfiltered list in place, and joins no list of other filters', () => {
    const task = makeTask({ status: 'todo', priority: 'low' });
    const lists: CachedList[] = [
      [{ sort: 'created_at', order: 'desc', skip: 0, limit: 20 }, { tasks: [task], total: 1 }],
      [board('done', { priority: 'high' }), { tasks: [], total: 0 }],
    ];

    const pages = optimisticLists(lists, task.id, { status: 'done' });

    expect(pages.get(0)?.tasks[0].status).toBe('done');
    expect(pages.has(1)).toBe(false);
  });

  it('leaves a full page alone when the card belongs after its last task, but counts it', () => {
    const newer = makeTask({ status: 'done' });
    const moved = { ...makeTask({ status: 'todo' }), created_at: '2020-01-01T00:00:00.000Z' };
    const full = { ...board('done'), limit: 1 };
    const lists: CachedList[] = [
      [{ ...board('todo'), limit: 1 }, { tasks: [moved], total: 1 }],
      [full, { tasks: [newer], total: 5 }],
    ];

    const pages = optimisticLists(lists, moved.id, { status: 'done' });

    expect(pages.get(1)).toEqual({ tasks: [newer], total: 6 });
  });
});
