import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { apiHelper, launchChromium, screenshot } from './browser';

const appUrl = inject('appUrl');
const apiUrl = inject('apiUrl');
const api = apiHelper(apiUrl);

let browser: Browser;
let context: BrowserContext;
let page: Page;
let failed = false;
/** Uncaught errors and Content-Security-Policy violations, which a person would not see but should not have. */
const pageProblems: string[] = [];

const rows = () => page.getByRole('list', { name: 'Tasks' }).getByRole('listitem');
const rowTitles = () => page.locator('.task-row .task-title-text').allTextContents();
const badge = () => page.getByTestId('count-badge');
const filters = () => page.getByRole('search', { name: 'Filter and sort tasks' });

async function expectEventually(check: () => Promise<unknown>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

async function createTaskThroughForm(fields: {
  title: string;
  description?: string;
  priority?: string;
  assignee?: string;
  due?: string;
}) {
  await page.getByRole('button', { name: '+ New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill(fields.title);
  if (fields.description) await dialog.getByLabel('Description').fill(fields.description);
  if (fields.priority) await dialog.getByLabel('Priority').selectOption(fields.priority);
  if (fields.assignee) await dialog.getByLabel('Assignee').fill(fields.assignee);
  if (fields.due) await dialog.getByLabel('Due date').fill(fields.due);
  await dialog.getByRole('button', { name: 'Create task' }).click();
  await dialog.waitFor({ state: 'detached' });
}

// Against the backend with accounts off (AUTH_MODE=off): the app as it works without accounts. accounts.e2e.test.ts
// covers the same app with accounts on.
describe("A person's day with TaskFlow", () => {
  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: 'UTC', locale: 'en-GB' });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageProblems.push(`CSP: ${message.text()}`);
    });
  });

  // Each step continues from where the previous one left the page: after a failure, the rest would only
  // fail for the same reason, slowly.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    failed = true;
    await page.screenshot({ path: 'test-results/failure.png' }).catch(() => undefined);
  });
  beforeEach(({ skip }) => {
    if (failed) skip();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('starts on an empty list that says what to do, with no sign-in when accounts are off', async () => {
    await page.goto(appUrl);
    await page.getByText('No tasks yet.').waitFor();
    await expect(page.getByRole('navigation', { name: 'Account' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
    await screenshot(page, 'empty');
  });

  it('creates tasks with the form, from the keyboard too', async () => {
    // An older backlog, so that there is something to page through.
    for (let index = 1; index <= 21; index += 1) {
      const { status } = await api.call('POST', '/tasks', { title: `Backlog item ${String(index).padStart(2, '0')}`, priority: 'low' });
      expect(status).toBe(201);
    }
    await page.reload();
    await badge().getByText('of 21').waitFor();

    // Keyboard only: Tab reaches "New task", with a visible focus ring on the way.
    const newTask = page.getByRole('button', { name: '+ New task' });
    let presses = 0;
    while (!(await newTask.evaluate((button) => button === document.activeElement))) {
      expect(presses++).toBeLessThan(10);
      await page.keyboard.press('Tab');
    }
    await expect(newTask.evaluate((button) => getComputedStyle(button).outlineStyle)).resolves.toBe('solid');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New task' });
    await expect(dialog.getByLabel('Title').evaluate((input) => input === document.activeElement)).resolves.toBe(true);
    // An empty title is refused beside the field before anything is sent.
    await page.keyboard.press('Enter');
    await dialog.getByText('Title is required.').waitFor();
    await page.keyboard.type('Prepare the sprint demo');
    await dialog.getByLabel('Priority').selectOption('high');
    await dialog.getByLabel('Assignee').fill('alice');
    await dialog.getByLabel('Due date').fill('2026-11-30T10:00');
    await screenshot(page, 'create-form');
    await dialog.getByLabel('Title').press('Enter');
    await dialog.waitFor({ state: 'detached' });

    await createTaskThroughForm({
      title: 'Pay the hosting invoice',
      description: 'Invoice #42 from the provider',
      assignee: 'bob',
      due: '2026-11-20T17:00',
    });
    await createTaskThroughForm({ title: 'Review pull requests', priority: 'low', assignee: 'alice' });
    await createTaskThroughForm({ title: 'Write release notes', priority: 'high' });

    await badge().getByText('of 25').waitFor();
    const stored = await api.findByTitle('Prepare the sprint demo');
    expect(stored).toMatchObject({ priority: 'high', assignee: 'alice', status: 'todo', due_date: '2026-11-30T10:00:00.000Z' });
    // Newest first by default.
    expect((await rowTitles()).slice(0, 4)).toEqual([
      'Write release notes',
      'Review pull requests',
      'Pay the hosting invoice',
      'Prepare the sprint demo',
    ]);
    await expect(rows().filter({ hasText: 'Pay the hosting invoice' }).getByText('Overdue').count()).resolves.toBe(1);
  });

  it('edits a task', async () => {
    await page.getByRole('button', { name: 'Edit “Pay the hosting invoice”' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await dialog.getByLabel('Title').fill('Pay the hosting invoice (November)');
    await dialog.getByLabel('Priority').selectOption('high');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });

    await rows().filter({ hasText: 'Pay the hosting invoice (November)' }).waitFor();
    expect(await api.findByTitle('Pay the hosting invoice (November)')).toMatchObject({
      priority: 'high',
      assignee: 'bob',
      description: 'Invoice #42 from the provider',
    });
    await screenshot(page, 'list');
  });

  it('changes a status in one click', async () => {
    await page.getByRole('button', { name: 'Start: move “Write release notes” to In progress' }).click();
    await page.getByRole('button', { name: 'Mark done: move “Write release notes” to Done' }).waitFor();
    // The button changes at once (optimistically); the server has it a moment later.
    await expectEventually(async () => expect((await api.findByTitle('Write release notes'))?.status).toBe('in_progress'));
  });

  it('moves a card across the board by dragging it', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Board' }).click();
    expect(new URL(page.url()).searchParams.get('view')).toBe('board');
    const todo = page.getByRole('region', { name: /^To do/ });
    const inProgress = page.getByRole('region', { name: /^In progress/ });
    const done = page.getByRole('region', { name: /^Done/ });
    const card = todo.locator('.board-card', { hasText: 'Prepare the sprint demo' });
    await card.waitFor();

    await card.dragTo(done);

    await done.locator('.board-card', { hasText: 'Prepare the sprint demo' }).waitFor();
    await expectEventually(async () => expect((await api.findByTitle('Prepare the sprint demo'))?.status).toBe('done'));
    // The keyboard way does the same move.
    await page.getByRole('button', { name: 'Move “Review pull requests” to In progress' }).click();
    await inProgress.locator('.board-card', { hasText: 'Review pull requests' }).waitFor();
    await expectEventually(async () => expect((await api.findByTitle('Review pull requests'))?.status).toBe('in_progress'));
    await expect(todo.locator('.board-card', { hasText: 'Prepare the sprint demo' }).count()).resolves.toBe(0);
    await screenshot(page, 'board');
  });

  it('filters by priority and assignee, with the filters in the URL', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'List' }).click();
    await filters().getByLabel('Priority').selectOption('high');
    await expectEventually(async () =>
      expect((await rowTitles()).sort()).toEqual(
        ['Pay the hosting invoice (November)', 'Prepare the sprint demo', 'Write release notes'].sort(),
      ),
    );
    expect(new URL(page.url()).searchParams.get('priority')).toBe('high');

    await filters().getByLabel('Assignee').fill('alice');
    await expectEventually(async () => expect(await rowTitles()).toEqual(['Prepare the sprint demo']));
    expect(new URL(page.url()).searchParams.get('assignee')).toBe('alice');
    await badge().getByText('25 in total').waitFor();

    await filters().getByRole('button', { name: 'Clear filters' }).click();
    await badge().getByText('Showing 1–20 of 25 tasks').waitFor();
    expect(new URL(page.url()).search).toBe('');
  });

  it('searches title and description as the person types', async () => {
    await filters().getByLabel('Search').fill('INVOICE #42');
    await expectEventually(async () => expect(await rowTitles()).toEqual(['Pay the hosting invoice (November)']));
    expect(new URL(page.url()).searchParams.get('q')).toBe('INVOICE #42');
    await filters().getByLabel('Search').fill('');
    await badge().getByText('Showing 1–20 of 25 tasks').waitFor();
  });

  it('pages through the list', async () => {
    expect(await rows().count()).toBe(20);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: /Next/ }).click();
    await badge().getByText('Showing 21–25 of 25 tasks').waitFor();
    expect(await rows().count()).toBe(5);
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    const expected = (await api.allTasks('&sort=created_at&order=desc&skip=20&limit=20')).map((task) => task.title);
    expect(await rowTitles()).toEqual(expected);
  });

  it('sorts by every key the API offers', async () => {
    for (const [key, label] of [
      ['title', 'Title'],
      ['priority', 'Priority'],
      ['status', 'Status'],
      ['due_date', 'Due date'],
      ['updated_at', 'Updated'],
      ['created_at', 'Created'],
    ] as const) {
      await filters().getByLabel('Sort by').selectOption({ label });
      await filters().getByLabel('Order').selectOption('asc');
      const expected = (await api.allTasks(`&sort=${key}&order=asc`)).slice(0, 20).map((task) => task.title);
      await expectEventually(async () => expect(await rowTitles()).toEqual(expected));
      const params = new URL(page.url()).searchParams;
      expect(params.get('order')).toBe('asc');
      expect(params.get('page')).toBeNull();
      if (key !== 'created_at') expect(params.get('sort')).toBe(key);
    }
    await filters().getByLabel('Sort by').selectOption('title');
    await expectEventually(async () => expect((await rowTitles())[0]).toBe('Backlog item 01'));
  });

  it('shows the statistics', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Statistics' }).click();
    await page.getByRole('heading', { name: 'Statistics' }).waitFor();
    const stats = (await api.call('GET', '/tasks/stats')).body as { total: number; overdue: number; by_status: Record<string, number> };
    expect(stats).toMatchObject({ total: 25, overdue: 1, by_status: { todo: 22, in_progress: 2, done: 1 } });
    const figures = await page.locator('.figure').allTextContents();
    expect(figures).toEqual(['25tasks in total', '1overdue', '1done']);
    await expect(page.locator('.stats canvas').count()).resolves.toBe(2);
    await expect(page.getByRole('img', { name: 'Tasks by status: To do 22, In progress 2, Done 1' }).count()).resolves.toBe(1);
    await screenshot(page, 'statistics');
  });

  it('deletes with a confirmation and undoes it', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'List' }).click();
    await page.getByRole('button', { name: 'Delete “Backlog item 05”' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete task?' });
    await confirm.getByText('“Backlog item 05” will be deleted.').waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();

    await rows().filter({ hasText: 'Backlog item 05' }).waitFor({ state: 'detached' });
    const undo = page.getByRole('button', { name: 'Undo deleting “Backlog item 05”' });
    await screenshot(page, 'undo-delete');
    await undo.click();
    await rows().filter({ hasText: 'Backlog item 05' }).waitFor();
    // Well past the undo window: nothing was deleted.
    await new Promise((done) => setTimeout(done, 6_000));
    expect(await api.findByTitle('Backlog item 05')).toBeDefined();
  });

  it('deletes for good when nobody undoes it', async () => {
    await page.getByRole('button', { name: 'Delete “Backlog item 20”' }).click();
    await page.getByRole('dialog', { name: 'Delete task?' }).getByRole('button', { name: 'Delete' }).click();
    await rows().filter({ hasText: 'Backlog item 20' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Undo deleting “Backlog item 20”' }).waitFor({ state: 'detached', timeout: 10_000 });
    await expectEventually(async () => expect(await api.findByTitle('Backlog item 20')).toBeUndefined());
    await badge().getByText('of 24 tasks').waitFor();
  });

  it('on a conflicting edit keeps the draft beside the saved version and applies it onto that version', async () => {
    await filters().getByLabel('Search').fill('release');
    await expectEventually(async () => expect(await rowTitles()).toEqual(['Write release notes']));
    await page.getByRole('button', { name: 'Edit “Write release notes”' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await dialog.getByLabel('Description').fill('Mention the new board');

    const stored = await api.findByTitle('Write release notes');
    const { status } = await api.call('PATCH', `/tasks/${stored!.id}`, { title: 'Write release notes for 1.1', assignee: 'carol' });
    expect(status).toBe(200);

    await dialog.getByRole('button', { name: 'Save changes' }).click();
    const conflict = dialog.getByRole('region', { name: /saved this task while you were editing it/ });
    await conflict.waitFor();
    // What the person typed stays in the form; what is saved now is shown beside it.
    await expect(dialog.getByLabel('Description').inputValue()).resolves.toBe('Mention the new board');
    // Carried over onto the saved version: the fields the person did not touch show what is saved now.
    await expect(dialog.getByLabel('Title').inputValue()).resolves.toBe('Write release notes for 1.1');
    await expect(dialog.getByLabel('Assignee').inputValue()).resolves.toBe('carol');
    await conflict.getByText('“Write release notes for 1.1”').waitFor();
    await conflict.getByRole('cell', { name: 'carol' }).waitFor();
    await screenshot(page, 'conflict');
    expect((await api.findByTitle('Write release notes for 1.1'))?.description).toBeNull();

    await conflict.getByRole('button', { name: 'Apply my changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await api.findByTitle('Write release notes for 1.1')).toMatchObject({
      description: 'Mention the new board',
      assignee: 'carol',
    });
  });

  it('says when the backend is down, and recovers with Retry', async () => {
    await page.route(`${appUrl}/api/**`, (route) => route.abort('connectionrefused'));
    await page.goto(`${appUrl}/?sort=title&order=asc`);
    const alert = page.getByRole('alert').filter({ hasText: 'The TaskFlow server is not responding.' });
    await alert.waitFor({ timeout: 20_000 });
    await screenshot(page, 'backend-down');
    await page.unroute(`${appUrl}/api/**`);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await alert.waitFor({ state: 'detached' });
    await badge().getByText('of 24 tasks').waitFor();
  });

  it('finds everything as it was after a reload', async () => {
    await filters().getByLabel('Priority').selectOption('high');
    await filters().getByLabel('Order').selectOption('desc');
    // The new order, not just the filtered rows (they are 3 in either order): read before it arrived, the reload's
    // answer would look wrong.
    const descending = ['Write release notes for 1.1', 'Prepare the sprint demo', 'Pay the hosting invoice (November)'];
    await expectEventually(async () => expect(await rowTitles()).toEqual(descending));
    const before = { url: page.url(), titles: await rowTitles() };

    await page.reload();

    await expectEventually(async () => expect(await rowTitles()).toEqual(before.titles));
    expect(page.url()).toBe(before.url);
    await expect(filters().getByLabel('Priority').inputValue()).resolves.toBe('high');
    await expect(filters().getByLabel('Sort by').inputValue()).resolves.toBe('title');
    await expect(filters().getByLabel('Order').inputValue()).resolves.toBe('desc');
    expect(before.titles).toEqual(descending);

    const stored = await api.allTasks('&sort=title&order=asc');
    expect(stored).toHaveLength(24);
    expect(stored.map((task) => [task.title, task.status])).toEqual(
      expect.arrayContaining([
        ['Prepare the sprint demo', 'done'],
        ['Pay the hosting invoice (November)', 'todo'],
        ['Review pull requests', 'in_progress'],
        ['Backlog item 05', 'todo'],
        ['Write release notes for 1.1', 'in_progress'],
      ]),
    );
  });

  it('ran the whole day without uncaught errors or Content-Security-Policy violations', () => {
    expect(pageProblems).toEqual([]);
  });

  it('fits a phone-width screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'UTC', locale: 'en-GB', isMobile: true, hasTouch: true });
    try {
      const phonePage = await phone.newPage();
      await phonePage.goto(`${appUrl}/?sort=title&order=asc&limit=10`);
      await phonePage.getByRole('list', { name: 'Tasks' }).waitFor();
      const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(phonePage, 'phone-list');

      // The filters fold away on a phone, behind a button that says how many are on.
      const phoneFilters = phonePage.getByRole('search', { name: 'Filter and sort tasks' });
      await expect(phoneFilters.isVisible()).resolves.toBe(false);
      await phonePage.getByRole('button', { name: 'Filters and sort' }).click();
      await phoneFilters.getByLabel('Priority').selectOption('high');
      await phonePage.getByRole('button', { name: 'Hide filters (1 active)' }).click();
      await phonePage.getByTestId('count-badge').getByText('of 3 matching tasks').waitFor();
      await expect(phoneFilters.isVisible()).resolves.toBe(false);
      await phonePage.goto(`${appUrl}/?view=board`);
      await phonePage.getByRole('region', { name: /^Done/ }).waitFor();
      await screenshot(phonePage, 'phone-board');
    } finally {
      await phone.close();
    }
  });
});
