import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { makeUser, serveAccounts } from '../../test/fake-accounts';
import { api, changedTask, makeChange, makeTask, server } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';
import { describeChange } from '../tasks/describe-change';
import type { Task, TaskChange } from '../tasks/task.types';
import type { Comment } from './comment.types';

const ana = { id: '10000000-0000-4000-8000-0000000000a1', name: 'Ana' };
const bo = { id: '10000000-0000-4000-8000-0000000000b2', name: 'Bo' };

function commentEntry(kind: 'comment_created' | 'comment_updated' | 'comment_deleted', task: Task, body: string | null): TaskChange {
  const comment: Comment | null =
    body === null
      ? null
      : { id: '30000000-0000-4000-8000-000000000001', task_id: task.id, body, author: ana, mentions: [bo], created_at: task.updated_at, edited_at: null };
  return { ...makeChange(kind, task, { user: ana }), comment };
}

describe('Comment entries of the history', () => {
  it('are put in words, with the text on one line and mentions as names', () => {
    const task = makeTask();
    expect(describeChange(commentEntry('comment_created', task, `Over to you\n<@${bo.id}>`))).toBe('Ana commented: “Over to you @Bo”');
    expect(describeChange(commentEntry('comment_updated', task, 'Fixed'))).toBe('Ana edited a comment: “Fixed”');
    expect(describeChange(commentEntry('comment_deleted', task, null))).toBe('Ana deleted a comment');
  });

  it('sit among the field changes in the task page’s history, newest first', async () => {
    serveAccounts({ user: makeUser({ id: ana.id, name: 'Ana' }) });
    const task = makeTask({ title: 'Timeline' });
    const moved = changedTask(task, { status: 'in_progress' });
    const history = [
      commentEntry('comment_created', moved, 'Started'),
      makeChange('updated', moved, { fields: { status: ['todo', 'in_progress'] }, user: ana }),
      makeChange('created', task, { user: ana }),
    ];
    server.use(
      http.get(api('/tasks/:id'), () => HttpResponse.json(moved, { headers: { ETag: '"1"' } })),
      http.get(api('/tasks/:id/history'), () => HttpResponse.json(history, { headers: { 'X-Total-Count': '3' } })),
      http.get(api('/users'), () => HttpResponse.json([])),
      http.get(api('/tasks/:id/comments'), () => HttpResponse.json([], { headers: { 'X-Total-Count': '0' } })),
      http.get(api('/tasks/:id/watchers'), () => HttpResponse.json([])),
      http.get(api('/notifications/unread-count'), () => HttpResponse.json({ unread: 0 })),
    );
    renderApp(`/tasks/${task.key}`);
    const list = await screen.findByRole('list', { name: 'History' });
    const entries = await within(list).findAllByRole('listitem');
    expect(entries.map((entry) => entry.textContent?.split(' · ')[0])).toEqual([
      'Ana commented: “Started”',
      'Ana moved it from To do to In progress',
      'Ana created it',
    ]);
  });
});
