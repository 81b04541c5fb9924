import type { Page, Request } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { apiHelper, browserWindows, screenshot, type ApiTask } from './browser';

// Nothing a person typed or moved is lost or done behind their back: a conflict keeps the draft, closing a dialog
// with changes asks first, offline work says so and Cancel cancels, a moved card lands where it belongs at once.
// Accounts off, on a workspace of its own, so that the board's columns hold only what these tests put there.
const appUrl = inject('typedAppUrl');
const api = apiHelper(inject('typedApiUrl'));

async function createTask(body: Record<string, unknown>): Promise<ApiTask> {
  const created = await api.call('POST', '/tasks', body);
  expect(created.status).toBe(201);
  return created.body as ApiTask;
}

async function removeAllTasks(): Promise<void> {
  for (const task of await api.allTasks()) expect((await api.call('DELETE', `/tasks/${task.id}`)).status).toBe(204);
}

const column = (page: Page, name: string) => page.getByRole('region', { name: new RegExp(`^${name}`) });
/** The titles of a column's cards, top to bottom, without their keys ("TF-4 "). */
const cardTitles = async (page: Page, name: string) =>
  (await column(page, name).locator('.board-card h3').allTextContents()).map((title) => title.replace(/^\S+-\d+\s*/, ''));

describe('Nothing a person typed is lost', () => {
  const windows = browserWindows();
  let page: Page;

  beforeAll(async () => {
    page = await windows.open('typed', { width: 1280, height: 860 });
  });

  it('after "Keep editing" and a 412, keeps the draft, shows their version beside it and applies it onto theirs', async () => {
    await removeAllTasks();
    const task = await createTask({ title: 'Plan the offsite', priority: 'low' });
    const other = await windows.open('typed-other', { width: 1280, height: 860 });

    await page.goto(appUrl);
    await page.getByRole('button', { name: 'Edit “Plan the offsite”' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await dialog.getByLabel('Title').fill('Plan the offsite in May');
    await dialog.getByLabel('Description').fill('Venue, travel and agenda.');

    // Someone else, in another browser, saves a different field meanwhile.
    await other.goto(appUrl);
    await other.getByRole('button', { name: 'Edit “Plan the offsite”' }).click();
    const theirs = other.getByRole('dialog', { name: 'Edit task' });
    await theirs.getByLabel('Priority').selectOption('high');
    await theirs.getByRole('button', { name: 'Save changes' }).click();
    await theirs.waitFor({ state: 'detached' });

    // The live stream tells the first person; they keep editing and save.
    await dialog.getByRole('button', { name: 'Keep editing' }).click({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Save changes' }).click();

    const conflict = dialog.getByRole('region', { name: /saved this task while you were editing it/ });
    await conflict.waitFor();
    expect(await dialog.getByLabel('Title').inputValue()).toBe('Plan the offsite in May');
    expect(await dialog.getByLabel('Description').inputValue()).toBe('Venue, travel and agenda.');
    // Carried over onto their version: the field they changed shows their value, so the form shows what Apply saves.
    expect(await dialog.getByLabel('Priority').inputValue()).toBe('high');
    const rows = await conflict.getByRole('row').allTextContents();
    expect(rows.slice(1)).toEqual([
      'Title“Plan the offsite”“Plan the offsite in May”',
      'PriorityHighnot changed',
      'Descriptionnone“Venue, travel and agenda.”',
    ]);
    expect(await conflict.evaluate((element) => element === document.activeElement)).toBe(true);
    await screenshot(page, 'conflict-keeps-draft');

    await conflict.getByRole('button', { name: 'Apply my changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    const stored = (await api.call('GET', `/tasks/${task.id}`)).body as ApiTask;
    expect(stored).toMatchObject({ title: 'Plan the offsite in May', description: 'Venue, travel and agenda.', priority: 'high' });
    await other.context().close();
  });

  describe('asks before a dialog with typed changes is closed', () => {
    const prompt = () => page.getByRole('alertdialog', { name: 'Discard changes?' });

    async function openEditWithChanges() {
      await page.getByRole('button', { name: 'Edit “Write the agenda”' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit task' });
      await dialog.getByLabel('Title').fill('Write the agenda today');
      return dialog;
    }

    async function keepEditing(dialog: ReturnType<Page['getByRole']>) {
      await prompt().waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep editing');
      await prompt().getByRole('button', { name: 'Keep editing' }).click();
      await prompt().waitFor({ state: 'detached' });
      expect(await dialog.getByLabel('Title').inputValue()).toBe('Write the agenda today');
    }

    beforeAll(async () => {
      await removeAllTasks();
      await createTask({ title: 'Write the agenda' });
    });

    it('a dialog without changes closes at once', async () => {
      await page.goto(appUrl);
      await page.getByRole('button', { name: 'Edit “Write the agenda”' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit task' });
      await dialog.getByLabel('Title').waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await prompt().count()).toBe(0);
    });

    it('Escape asks; Keep editing keeps the draft and gives focus back; Discard closes', async () => {
      const dialog = await openEditWithChanges();
      await page.keyboard.press('Escape');
      await keepEditing(dialog);
      expect(await dialog.getByLabel('Title').evaluate((element) => element === document.activeElement)).toBe(true);

      await page.keyboard.press('Escape');
      await prompt().waitFor();
      await screenshot(page, 'discard-changes-prompt');
      // Escape on the prompt means "keep editing", and Tab stays inside it.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('[role="alertdialog"]') !== null)).toBe(true);
      await page.keyboard.press('Escape');
      await prompt().waitFor({ state: 'detached' });
      await dialog.getByLabel('Title').waitFor();

      await page.keyboard.press('Escape');
      await prompt().getByRole('button', { name: 'Discard' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect((await api.findByTitle('Write the agenda'))?.title).toBe('Write the agenda');
    });

    it('a click outside asks', async () => {
      const dialog = await openEditWithChanges();
      await page.mouse.click(5, 5);
      await keepEditing(dialog);
      await page.mouse.click(5, 5);
      await prompt().getByRole('button', { name: 'Discard' }).click();
      await dialog.waitFor({ state: 'detached' });
    });

    it('the close button asks', async () => {
      const dialog = await openEditWithChanges();
      await dialog.getByRole('button', { name: 'Close dialog' }).click();
      await keepEditing(dialog);
      await dialog.getByRole('button', { name: 'Close dialog' }).click();
      await prompt().getByRole('button', { name: 'Discard' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect((await api.findByTitle('Write the agenda'))?.title).toBe('Write the agenda');
    });

    it("the browser's Back asks, and stays on the page until the person discards", async () => {
      await page.goto(appUrl);
      await page.getByRole('link', { name: 'Board' }).click();
      await page.waitForURL(/view=board/);
      const dialog = await openEditWithChanges();

      await page.evaluate(() => history.back());
      await keepEditing(dialog);
      expect(page.url()).toContain('view=board');

      await page.evaluate(() => history.back());
      await prompt().getByRole('button', { name: 'Discard' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.waitForURL((url) => !url.search.includes('view=board'));
      expect((await api.findByTitle('Write the agenda'))?.title).toBe('Write the agenda');
    });
  });

  describe('offline', () => {
    beforeAll(async () => {
      await removeAllTasks();
    });

    it('creating says it is offline at once, keeps the draft, and Cancel creates nothing when back online', async () => {
      await page.goto(appUrl);
      await page.getByRole('button', { name: '+ New task' }).click();
      const dialog = page.getByRole('dialog', { name: 'New task' });
      await dialog.getByLabel('Title').fill('Order the badges');
      await page.context().setOffline(true);
      await dialog.getByTestId('offline-notice').waitFor();

      await dialog.getByRole('button', { name: 'Create task' }).click();
      await dialog.getByText('You are offline, so nothing was saved.', { exact: false }).waitFor({ timeout: 3000 });
      expect(await dialog.getByRole('button', { name: 'Create task' }).isEnabled()).toBe(true);
      expect(await dialog.getByLabel('Title').inputValue()).toBe('Order the badges');
      await screenshot(page, 'create-offline');

      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.context().setOffline(false);
      await page.waitForTimeout(1500);
      expect(await api.findByTitle('Order the badges')).toBeUndefined();
    });

    it('Cancel while a create is on its way stops it', async () => {
      await page.goto(appUrl);
      // A slow network: the request waits here, and only goes on to the server if the page still wants it.
      let cancelled = false;
      let release: () => void = () => undefined;
      const released = new Promise<void>((done) => (release = done));
      await page.route('**/api/tasks', async (route) => {
        if (route.request().method() !== 'POST') return route.fallback();
        await released;
        await route.continue().catch(() => (cancelled = true));
      });
      page.on('requestfailed', (request) => {
        if (request.method() === 'POST' && /\/api\/tasks$/.test(request.url())) cancelled = true;
      });
      await page.getByRole('button', { name: '+ New task' }).click();
      const dialog = page.getByRole('dialog', { name: 'New task' });
      await dialog.getByLabel('Title').fill('Print the name tags');
      await dialog.getByRole('button', { name: 'Create task' }).click();
      await dialog.getByRole('button', { name: 'Saving…' }).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      release();
      await expect.poll(() => cancelled).toBe(true);
      await page.waitForTimeout(1000);
      await page.unroute('**/api/tasks');
      expect(await api.findByTitle('Print the name tags')).toBeUndefined();
    });

    it('a card moved offline shows it failed, goes back, says no wrong count, and Retry moves it once online', async () => {
      await removeAllTasks();
      await createTask({ title: 'Book the venue' });
      await createTask({ title: 'Send the invitations' });
      await page.goto(`${appUrl}/?view=board`);
      await column(page, 'To do').getByRole('heading', { name: 'Book the venue' }).waitFor();

      await page.context().setOffline(true);
      await page.getByRole('button', { name: 'Move “Book the venue” to In progress' }).click();
      const failed = column(page, 'To do').getByTestId('move-failed');
      await failed.waitFor({ timeout: 3000 });
      expect(await failed.textContent()).toContain('Not moved to In progress: you are offline.');
      // Focus left with the card; it lands on Retry rather than on the page.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
        'Retry moving “Book the venue” to In progress',
      );
      expect(await cardTitles(page, 'To do')).toContain('Book the venue');
      expect(await cardTitles(page, 'In progress')).toEqual([]);
      expect(await page.getByTestId('column-more').count()).toBe(0);
      expect(await page.getByText('narrow the filters').count()).toBe(0);
      await screenshot(page, 'move-failed-offline');

      await page.context().setOffline(false);
      await page.getByRole('button', { name: 'Retry moving “Book the venue” to In progress' }).click();
      await column(page, 'In progress').getByRole('heading', { name: 'Book the venue' }).waitFor();
      await expect.poll(async () => (await api.findByTitle('Book the venue'))?.status).toBe('in_progress');
      await page.getByTestId('move-failed').waitFor({ state: 'detached' });
      expect(await page.getByTestId('column-more').count()).toBe(0);
    });

    it('a move on its way shows as pending on the card', async () => {
      let release: () => void = () => undefined;
      const released = new Promise<void>((done) => (release = done));
      await page.route('**/api/tasks/*', async (route) => {
        if (route.request().method() !== 'PATCH') return route.fallback();
        await released;
        await route.continue();
      });
      await page.getByRole('button', { name: 'Move “Send the invitations” to In progress' }).click();
      const card = column(page, 'In progress').locator('.board-card', { hasText: 'Send the invitations' });
      await card.getByTestId('move-pending').waitFor();
      expect(await card.getAttribute('aria-busy')).toBe('true');
      expect(await card.getByTestId('move-pending').textContent()).toBe('Moving to In progress…');
      // Someone else's change reloads the board while the move is held: the card stays where it was put.
      await createTask({ title: 'Added by a colleague', status: 'todo' });
      await column(page, 'To do').getByRole('heading', { name: 'Added by a colleague' }).waitFor();
      expect(await card.getByTestId('move-pending').textContent()).toBe('Moving to In progress…');
      expect(await cardTitles(page, 'To do')).not.toContain('Send the invitations');
      release();
      await card.getByTestId('move-pending').waitFor({ state: 'detached' });
      await page.unroute('**/api/tasks/*');
    });
  });

  it('a moved card lands at its sorted place at once, and the board reloads once', async () => {
    await removeAllTasks();
    // Created in this order; the board shows the newest first.
    await createTask({ title: 'Oldest in progress', status: 'in_progress' });
    await createTask({ title: 'Middle one', status: 'todo' });
    await createTask({ title: 'Newest in progress', status: 'in_progress' });
    await page.goto(`${appUrl}/?view=board`);
    await column(page, 'In progress').getByRole('heading', { name: 'Newest in progress' }).waitFor();
    await page.waitForTimeout(1000);

    // Every order the In progress column shows, from the click until the reload has settled.
    await page.evaluate(() => {
      const orders: string[][] = [];
      (window as unknown as { columnOrders: string[][] }).columnOrders = orders;
      const record = () => {
        const section = document.querySelector('[data-status="in_progress"]');
        const titles = [...(section?.querySelectorAll('.board-card h3') ?? [])].map((heading) => heading.textContent ?? '');
        orders.push(titles.map((title) => title.replace(/^\S+-\d+\s*/, '')));
      };
      new MutationObserver(record).observe(document.querySelector('.board')!, { childList: true, subtree: true });
    });
    const requests: string[] = [];
    const onRequest = (request: Request) => {
      const url = new URL(request.url());
      if (request.method() === 'GET' && /^\/api\/tasks(\/stats)?$/.test(url.pathname)) {
        requests.push(`${url.pathname}${url.searchParams.get('status') ? `?status=${url.searchParams.get('status')}` : ''}`);
      }
    };
    page.on('request', onRequest);

    await page.getByRole('button', { name: 'Move “Middle one” to In progress' }).click();
    await expect.poll(() => cardTitles(page, 'In progress')).toEqual(['Newest in progress', 'Middle one', 'Oldest in progress']);
    // The reload and the live stream's echo of the move have come and gone.
    await page.waitForTimeout(2500);
    page.off('request', onRequest);

    const orders = await page.evaluate(() => (window as unknown as { columnOrders: string[][] }).columnOrders);
    for (const order of orders.filter((titles) => titles.includes('Middle one'))) {
      expect(order).toEqual(['Newest in progress', 'Middle one', 'Oldest in progress']);
    }
    expect(requests.sort()).toEqual([
      '/api/tasks/stats',
      '/api/tasks?status=done',
      '/api/tasks?status=in_progress',
      '/api/tasks?status=todo',
    ]);
    expect(await page.getByTestId('column-more').count()).toBe(0);
    await screenshot(page, 'move-sorted-place');
  });
});
