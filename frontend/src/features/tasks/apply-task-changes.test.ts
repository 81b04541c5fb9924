import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { changedTask, makeChange, makeTask } from '../../test/fake-api';
import { applyTaskChanges } from './apply-task-changes';
import { forgetOwnWrites, rememberOwnWrite } from './own-writes';
import type { TaskPage, VersionedTask } from './tasks.api';
import type { Task, TaskListQuery, TaskStats } from './task.types';
import { taskKeys } from './use-tasks';

const stats: TaskStats = {
  total: 3,
  by_status: { todo: 1, in_progress: 1, done: 1 },
  by_priority: { low: 0, medium: 3, high: 0 },
  overdue: 0,
};

function cacheWith(lists: [TaskListQuery, Task[]][], withStats = true) {
  const queryClient = new QueryClient();
  for (const [query, tasks] of lists) {
    queryClient.setQueryData<TaskPage>(taskKeys.list(query), { tasks, total: tasks.length });
  }
  if (withStats) queryClient.setQueryData(taskKeys.stats, stats);
  const hashOf = (key: readonly unknown[]) => queryClient.getQueryCache().find({ queryKey: key, exact: true })!.queryHash;
  return { queryClient, hashOf };
}

const columns = (query: TaskListQuery = {}) =>
  (['todo', 'in_progress', 'done'] as const).map((status) => ({ ...query, status, skip: 0, limit: 100 }));

describe('applyTaskChanges', () => {
  it('replaces a task in place when its place cannot have moved, and refetches nothing', () => {
    const task = makeTask({ title: 'Old title' });
    const query: TaskListQuery = { sort: 'created_at', order: 'desc', skip: 0, limit: 20 };
    const { queryClient } = cacheWith([[query, [task]]]);
    const renamed = changedTask(task, { title: 'New title', assignee: 'bo' });

    const refetch = applyTaskChanges(queryClient, [
      makeChange('updated', renamed, { fields: { title: ['Old title', 'New title'], assignee: [null, 'bo'] } }),
    ]);

    expect(refetch.size).toBe(0);
    expect(queryClient.getQueryData<TaskPage>(taskKeys.list(query))?.tasks).toEqual([renamed]);
  });

  it('refetches the two board columns a moved card leaves and enters, and the statistics, not the third column', () => {
    const task = makeTask({ status: 'todo' });
    const [todo, inProgress, done] = columns({ sort: 'created_at', order: 'desc' });
    const { queryClient, hashOf } = cacheWith([
      [todo, [task]],
      [inProgress, []],
      [done, []],
    ]);
    const moved = changedTask(task, { status: 'in_progress' });

    const refetch = applyTaskChanges(queryClient, [makeChange('updated', moved, { fields: { status: ['todo', 'in_progress'] } })]);

    expect(refetch).toEqual(new Set([hashOf(taskKeys.list(todo)), hashOf(taskKeys.list(inProgress)), hashOf(taskKeys.stats)]));
    // The card is patched where it is, so that the board (grouped by each task's status) moves it at once.
    expect(queryClient.getQueryData<TaskPage>(taskKeys.list(todo))?.tasks[0].status).toBe('in_progress');
  });

  it("refetches nothing for the echo of this page's own move, which its mutation already refetches once", () => {
    const task = makeTask({ status: 'todo' });
    const [todo, inProgress, done] = columns({ sort: 'created_at', order: 'desc' });
    const { queryClient } = cacheWith([
      [todo, [task]],
      [inProgress, []],
      [done, []],
    ]);
    const moved = changedTask(task, { status: 'in_progress' });
    rememberOwnWrite(moved);

    const refetch = applyTaskChanges(queryClient, [makeChange('updated', moved, { fields: { status: ['todo', 'in_progress'] } })]);

    expect(refetch.size).toBe(0);
    forgetOwnWrites();
  });

  it('refetches a searched list when the title changes, and a list sorted by a field that changed', () => {
    const task = makeTask({ title: 'Alpha' });
    const searched: TaskListQuery = { q: 'alp' };
    const byUpdate: TaskListQuery = { sort: 'updated_at' };
    const byCreation: TaskListQuery = { sort: 'created_at' };
    const { queryClient, hashOf } = cacheWith([
      [searched, [task]],
      [byUpdate, [task]],
      [byCreation, [task]],
    ]);

    const refetch = applyTaskChanges(queryClient, [
      makeChange('updated', changedTask(task, { title: 'Beta' }), { fields: { title: ['Alpha', 'Beta'] } }),
    ]);

    expect(refetch).toEqual(new Set([hashOf(taskKeys.list(searched)), hashOf(taskKeys.list(byUpdate))]));
  });

  it('leaves lists alone that a new or deleted task can never be in', () => {
    const highOnly: TaskListQuery = { priority: 'high' };
    const everything: TaskListQuery = {};
    const { queryClient, hashOf } = cacheWith([
      [highOnly, []],
      [everything, []],
    ]);
    const created = makeTask({ priority: 'low' });
    const deleted = makeTask({ priority: 'medium', assignee: 'ana' });

    const refetch = applyTaskChanges(queryClient, [
      makeChange('created', created, { fields: { title: [null, created.title], priority: [null, 'low'] } }),
      makeChange('deleted', deleted, { fields: { title: [deleted.title, null], priority: ['medium', null], assignee: ['ana', null] } }),
    ]);

    expect(refetch).toEqual(new Set([hashOf(taskKeys.list(everything)), hashOf(taskKeys.stats)]));
  });

  it('leaves the statistics alone when nothing they count changed', () => {
    const task = makeTask();
    const { queryClient } = cacheWith([]);
    const refetch = applyTaskChanges(queryClient, [
      makeChange('updated', changedTask(task, { assignee: 'bo' }), { fields: { assignee: [null, 'bo'] } }),
    ]);
    expect(refetch.size).toBe(0);
  });

  it('puts the newest version in an open task, keeping the tag it was read with, and never an older one', () => {
    const task = makeTask({ title: 'Read' });
    const queryClient = new QueryClient();
    queryClient.setQueryData<VersionedTask>(taskKeys.detail(task.id), { task, etag: '"v1"' });
    const first = changedTask(task, { title: 'First' });
    const second = changedTask(first, { title: 'Second' });

    applyTaskChanges(queryClient, [
      makeChange('updated', second, { fields: { title: ['First', 'Second'] } }),
      makeChange('updated', first, { fields: { title: ['Read', 'First'] } }),
    ]);

    expect(queryClient.getQueryData<VersionedTask>(taskKeys.detail(task.id))).toEqual({ task: second, etag: '"v1"' });
  });

  it('forgets a deleted task that nobody has open', () => {
    const task = makeTask();
    const queryClient = new QueryClient();
    queryClient.setQueryData<VersionedTask>(taskKeys.detail(task.id), { task, etag: '"v1"' });

    applyTaskChanges(queryClient, [makeChange('deleted', task, { fields: { title: [task.title, null] } })]);

    expect(queryClient.getQueryData(taskKeys.detail(task.id))).toBeUndefined();
  });
});
