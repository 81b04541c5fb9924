import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { makeUser, serveAccounts } from '../../../test/fake-accounts';
import { api, makeChange, makeTask, server } from '../../../test/fake-api';
import { FakeEventSource } from '../../../test/fake-event-source';
import { renderApp } from '../../../test/render-app';
import type { User } from '../../auth/auth.types';
import type { Task } from '../../tasks/task.types';
import type { Comment } from '../comment.types';

const ada = makeUser({ name: 'Ada Lovelace' });
const bob = makeUser({ name: 'Bob Builder' });
const admin = makeUser({ name: 'Alice Admin', role: 'admin' });
const person = (user: User) => ({ id: user.id, name: user.name });

let commentCounter = 0;
function makeComment(task: Task, author: User, body: string, mentions: User[] = []): Comment {
  commentCounter += 1;
  return {
    id: `30000000-0000-4000-8000-${String(commentCounter).padStart(12, '0')}`,
    task_id: task.id,
    body,
    author: person(author),
    mentions: mentions.map(person),
    created_at: new Date(Date.now() - (100 - commentCounter) * 60_000).toISOString(),
    edited_at: null,
  };
}

/** A task page's server: the task, the team, its thread (GET follows the cursor, POST appends), its watchers. */
function serveTaskPage(task: Task, comments: Comment[], options: { author?: User; postStatus?: number; pageSize?: number } = {}) {
  const pageSize = options.pageSize ?? 2;
  const posted: string[] = [];
  server.use(
    http.get(api('/tasks/:id'), () => HttpResponse.json(task, { headers: { ETag: '"1"' } })),
    http.get(api('/users'), () => HttpResponse.json([ada, bob, admin])),
    http.get(api('/tasks/:id/comments'), ({ request }) => {
      // A few at a time, so that the thread has to follow X-Next-Cursor to reach the newest.
      const start = Number(new URL(request.url).searchParams.get('cursor') ?? 0);
      const headers: Record<string, string> = { 'X-Total-Count': String(comments.length) };
      if (start + pageSize < comments.length) headers['X-Next-Cursor'] = String(start + pageSize);
      return HttpResponse.json(comments.slice(start, start + pageSize), { headers });
    }),
    http.post(api('/tasks/:id/comments'), async ({ request }) => {
      const { body } = (await request.json()) as { body: string };
      posted.push(body);
      if (options.postStatus) {
        return HttpResponse.json({ statusCode: options.postStatus, error: 'Conflict', message: 'The project is archived' }, { status: options.postStatus });
      }
      const mentioned = [ada, bob, admin].filter((user) => body.includes(`<@${user.id}>`));
      const comment = makeComment(task, options.author ?? ada, body, mentioned);
      comments.push(comment);
      return HttpResponse.json(comment, { status: 201 });
    }),
    http.get(api('/tasks/:id/watchers'), () => HttpResponse.json([person(ada)])),
    http.get(api('/notifications/unread-count'), () => HttpResponse.json({ unread: 0 })),
  );
  return posted;
}

afterEach(() => sessionStorage.clear());

describe('Comments on the task page', () => {
  it('shows the whole thread, oldest at the top, with mentions as names', async () => {
    serveAccounts({ user: ada });
    const task = makeTask({ title: 'Fix login' });
    serveTaskPage(task, [
      makeComment(task, bob, 'First'),
      makeComment(task, ada, `Thanks <@${bob.id}>`, [bob]),
      makeComment(task, bob, 'Third, on the second page'),
    ]);
    renderApp(`/tasks/${task.key}`);

    const list = await screen.findByRole('list', { name: 'Comments' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('First');
    expect(items[1]).toHaveTextContent('Thanks @Bob Builder');
    expect(items[1]).not.toHaveTextContent('<@');
    expect(items[2]).toHaveTextContent('Third, on the second page');
  });

  it('shows the newest 20 at first, and earlier ones on request above them', { timeout: 15_000 }, async () => {
    serveAccounts({ user: ada });
    const task = makeTask();
    serveTaskPage(task, Array.from({ length: 23 }, (_, index) => makeComment(task, bob, `Comment number ${index + 1}`)), { pageSize: 10 });
    const { user } = renderApp(`/tasks/${task.key}`);
    const earlier = await screen.findByRole('button', { name: 'Show earlier comments (3)' });
    const list = screen.getByRole('list', { name: 'Comments' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(20);
    expect(within(list).getAllByRole('listitem')[0]).toHaveTextContent('Comment number 4');
    expect(within(list).getAllByRole('listitem')[19]).toHaveTextContent('Comment number 23');
    await user.click(earlier);
    expect(within(list).getAllByRole('listitem')).toHaveLength(23);
    expect(within(list).getAllByRole('listitem')[0]).toHaveTextContent('Comment number 1');
    expect(screen.queryByRole('button', { name: /Show earlier/ })).not.toBeInTheDocument();
  });

  it('lands on the comment a link names, even an older one, and focuses it', { timeout: 15_000 }, async () => {
    serveAccounts({ user: ada });
    const task = makeTask();
    const comments = Array.from({ length: 25 }, (_, index) => makeComment(task, bob, `Comment number ${index + 1}`));
    serveTaskPage(task, comments, { pageSize: 10 });
    renderApp(`/tasks/${task.key}#comment-${comments[1].id}`);
    const target = await screen.findByText('Comment number 2');
    const item = target.closest('li')!;
    await waitFor(() => expect(item).toHaveFocus());
    expect(item).toHaveAttribute('aria-current', 'location');
    const list = screen.getByRole('list', { name: 'Comments' });
    expect(within(list).getAllByRole('listitem')[0]).toBe(item);
    expect(screen.getByRole('button', { name: 'Show the earlier comment' })).toBeInTheDocument();
  });

  it('shows no comments with accounts off', async () => {
    const task = makeTask({ title: 'No accounts' });
    server.use(http.get(api('/tasks/:id'), () => HttpResponse.json(task, { headers: { ETag: '"1"' } })));
    renderApp(`/tasks/${task.key}`);
    await screen.findByRole('heading', { name: 'No accounts' });
    expect(screen.queryByRole('heading', { name: 'Comments' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Watch' })).not.toBeInTheDocument();
  });

  it('mentions a member picked with the keyboard and sends with Ctrl+Enter', async () => {
    serveAccounts({ user: ada });
    const task = makeTask();
    const posted = serveTaskPage(task, []);
    const { user } = renderApp(`/tasks/${task.key}`);

    const field = await screen.findByLabelText('Add a comment');
    await user.type(field, 'Please look @a');
    const options = await screen.findByRole('listbox', { name: 'Members to mention' });
    expect(within(options).getAllByRole('option').map((option) => option.textContent)).toEqual(['@Ada Lovelace', '@Alice Admin']);
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowUp}{Enter}');
    expect(field).toHaveValue(`Please look <@${admin.id}> `);
    await user.type(field, 'thanks');
    await user.keyboard('{Control>}{Enter}{/Control}');

    await waitFor(() => expect(posted).toEqual([`Please look <@${admin.id}> thanks`]));
    const list = await screen.findByRole('list', { name: 'Comments' });
    expect(await within(list).findByText('@Alice Admin')).toBeInTheDocument();
    expect(field).toHaveValue('');
  });

  it('closes the mention list with Escape and keeps the text as typed', async () => {
    serveAccounts({ user: ada });
    const task = makeTask();
    serveTaskPage(task, []);
    const { user } = renderApp(`/tasks/${task.key}`);
    const field = await screen.findByLabelText('Add a comment');
    await user.type(field, '@ad');
    await screen.findByRole('listbox');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(field).toHaveValue('@ad');
  });

  it('keeps the draft when the server refuses the comment, and says why', async () => {
    serveAccounts({ user: ada });
    const task = makeTask();
    const posted = serveTaskPage(task, [], { postStatus: 409 });
    const { user } = renderApp(`/tasks/${task.key}`);
    const field = await screen.findByLabelText('Add a comment');
    await user.type(field, 'An important thought');
    await user.click(screen.getByRole('button', { name: 'Comment' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Your comment was not posted: The project is archived');
    expect(posted).toEqual(['An important thought']);
    expect(field).toHaveValue('An important thought');
  });

  it('keeps an unsent draft when the page is left and opened again', async () => {
    serveAccounts({ user: ada });
    const task = makeTask();
    serveTaskPage(task, []);
    const first = renderApp(`/tasks/${task.key}`);
    await first.user.type(await screen.findByLabelText('Add a comment'), 'Half a thought');
    first.unmount();

    renderApp(`/tasks/${task.key}`);
    expect(await screen.findByLabelText('Add a comment')).toHaveValue('Half a thought');
  });

  it('counts a comment over 10,000 characters and does not send it', async () => {
    serveAccounts({ user: ada });
    const task = makeTask();
    const posted = serveTaskPage(task, []);
    const { user } = renderApp(`/tasks/${task.key}`);
    const field = await screen.findByLabelText('Add a comment');
    await user.click(field);
    await user.paste('é'.repeat(10_001));
    expect(screen.getByText('1 character over the limit of 10,000')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Comment' })).toHaveAttribute('aria-disabled', 'true');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await user.keyboard('{Backspace}');
    expect(screen.queryByText(/over the limit/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Comment' })).toHaveAttribute('aria-disabled', 'false');
    expect(posted).toEqual([]);
  });

  it('lets the author edit and delete, an admin delete, and nobody else either', async () => {
    serveAccounts({ user: ada });
    const task = makeTask();
    serveTaskPage(task, [makeComment(task, ada, 'Mine'), makeComment(task, bob, 'Bob’s')]);
    renderApp(`/tasks/${task.key}`);
    const mine = await screen.findByRole('listitem', { name: 'Comment by Ada Lovelace' });
    expect(within(mine).getByRole('button', { name: 'Edit your comment' })).toBeInTheDocument();
    expect(within(mine).getByRole('button', { name: 'Delete the comment by Ada Lovelace' })).toBeInTheDocument();
    const bobs = screen.getByRole('listitem', { name: 'Comment by Bob Builder' });
    expect(within(bobs).queryByRole('button')).not.toBeInTheDocument();
  });

  it('an admin deletes someone else’s comment after confirming', async () => {
    serveAccounts({ user: admin });
    const task = makeTask();
    const comments = [makeComment(task, bob, 'Spam')];
    serveTaskPage(task, comments);
    const deleted: string[] = [];
    server.use(
      http.delete(api('/tasks/:id/comments/:commentId'), ({ params }) => {
        deleted.push(String(params.commentId));
        comments.splice(0, 1);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderApp(`/tasks/${task.key}`);
    const bobs = await screen.findByRole('listitem', { name: 'Comment by Bob Builder' });
    expect(within(bobs).queryByRole('button', { name: /Edit/ })).not.toBeInTheDocument();
    await user.click(within(bobs).getByRole('button', { name: 'Delete the comment by Bob Builder' }));
    await user.click(within(bobs).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByText('Spam')).not.toBeInTheDocument());
    expect(deleted).toHaveLength(1);
    expect(await screen.findByText('No comments yet.')).toBeInTheDocument();
  });

  it('edits one’s own comment, Ctrl+Enter saving it', async () => {
    serveAccounts({ user: ada });
    const task = makeTask();
    const comments = [makeComment(task, ada, 'Typo hree')];
    serveTaskPage(task, comments);
    server.use(
      http.patch(api('/tasks/:id/comments/:commentId'), async ({ request }) => {
        const { body } = (await request.json()) as { body: string };
        comments[0] = { ...comments[0], body, edited_at: new Date().toISOString() };
        return HttpResponse.json(comments[0]);
      }),
    );
    const { user } = renderApp(`/tasks/${task.key}`);
    const mine = await screen.findByRole('listitem', { name: 'Comment by Ada Lovelace' });
    await user.click(within(mine).getByRole('button', { name: 'Edit your comment' }));
    const field = within(mine).getByLabelText('Edit your comment');
    await user.clear(field);
    await user.type(field, 'Typo here');
    await user.keyboard('{Meta>}{Enter}{/Meta}');
    expect(await within(mine).findByText('Typo here')).toBeInTheDocument();
    expect(within(mine).getByText(/edited/)).toBeInTheDocument();
  });

  it('shows a comment someone else writes as it arrives on the live stream', async () => {
    serveAccounts({ user: ada });
    const task = makeTask();
    const comments = [makeComment(task, ada, 'Anyone?')];
    serveTaskPage(task, comments);
    renderApp(`/tasks/${task.key}`);
    await screen.findByText('Anyone?');
    await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
    FakeEventSource.latest().open();

    const reply = makeComment(task, bob, 'On it');
    comments.push(reply);
    const change = { ...makeChange('comment_created', task, { user: person(bob) }), comment: reply };
    FakeEventSource.latest().emitNamed('comment.created', change, change.cursor);

    expect(await screen.findByText('On it')).toBeInTheDocument();
  });
});
