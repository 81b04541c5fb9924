import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { apiHelper, browserWindows, screenshot, signIn } from './browser';

// Issue 20 in a real browser: keyboard and screen readers (focus that never drops to the body, Undo from the keyboard,
// dialogs, headings, titles, the focus ring, axe-core on every page), a board of 200 tasks, the first screen's
// requests, the pager, long assignees and a signed-out load without console errors.
const appUrl = inject('a11yAppUrl');
const api = apiHelper(inject('a11yApiUrl'));
const setupToken = inject('setupToken');

const admin = { name: 'Ada Admin', email: 'ada@example.com', password: 'ada-long-password' };
const longAssignee = 'x'.repeat(80) + '@example.com';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page as it is now (WCAG 2.x A and AA, and best practices), as readable lines. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the page's Content-Security-Policy does not govern.
  await page.evaluate(`${axeSource}\n;0`);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
  return violations;
}

/** The levels of the page's headings in order, and the jumps of more than one level down among them. */
async function headingJumps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const levels = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'), (heading) => Number(heading.tagName[1]));
    const jumps: string[] = [];
    levels.forEach((level, index) => {
      if (index > 0 && level > levels[index - 1] + 1) jumps.push(`h${levels[index - 1]} → h${level}`);
    });
    if (levels[0] !== 1) jumps.push(`starts at h${levels[0]}`);
    return jumps;
  });
}

/** What holds the keyboard focus: the task it belongs to, the board column, and what it is. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return {
      body: element === null || element === document.body,
      taskId: element?.closest('[data-task-id]')?.getAttribute('data-task-id') ?? null,
      column: element?.closest<HTMLElement>('[data-status]')?.dataset.status ?? null,
      tag: element?.tagName ?? null,
      label: element?.getAttribute('aria-label') ?? (element as HTMLInputElement | null)?.labels?.[0]?.textContent ?? element?.textContent?.trim() ?? '',
      inDialog: element?.closest('[role="dialog"]') !== null && element?.closest('[role="dialog"]') !== undefined,
    };
  });
}

/** Everything the keyboard reaches with Tab on the page as it is. */
function tabStops(page: Page): Promise<number> {
  return page.evaluate(() => {
    const radioGroups = new Set<string>();
    return Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')).filter((element) => {
      if (element.tabIndex < 0 || (element as HTMLButtonElement).disabled || element.getClientRects().length === 0) return false;
      // A group of radio buttons is one Tab stop (the arrow keys move within it).
      const radio = element instanceof HTMLInputElement && element.type === 'radio' ? element.name : null;
      if (radio === null) return true;
      if (radioGroups.has(radio)) return false;
      radioGroups.add(radio);
      return true;
    }).length;
  });
}

/** WCAG's contrast ratio of two CSS colours ("rgb(…)"). */
function contrast(first: string, second: string): number {
  const luminance = (color: string) => {
    const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((part) => {
      const value = Number(part) / 255;
      return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}

/** The focus ring of the focused element and the background it is drawn on (the nearest opaque one around it). */
function ringAndBackground(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    const ring = getComputedStyle(element).outlineColor;
    let around: HTMLElement | null = element.parentElement;
    let background = 'rgb(255, 255, 255)';
    while (around) {
      const color = getComputedStyle(around).backgroundColor;
      if (color !== 'rgba(0, 0, 0, 0)' && color !== 'transparent') {
        background = color;
        break;
      }
      around = around.parentElement;
    }
    return { ring, background, width: getComputedStyle(element).outlineWidth };
  });
}

// The workspace and its 200 tasks, through the API.
const setup = await api.call('POST', '/auth/setup', { setup_token: setupToken, ...admin });
const auth = { Authorization: `Bearer ${setup.body?.access_token as string}` };

describe('Keyboard, screen readers and a board of 200 tasks', () => {
  const windows = browserWindows();
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    expect(setup.status).toBe(201);
    const statuses = ['todo', 'in_progress', 'done'] as const;
    for (let batch = 0; batch < 200; batch += 10) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, offset) => {
          const number = batch + offset + 1;
          return api.call(
            'POST',
            '/tasks',
            {
              title: `Task ${String(number).padStart(3, '0')}`,
              status: statuses[number % 3],
              priority: 'medium',
              assignee: number === 200 ? longAssignee : null,
            },
            auth,
          );
        }),
      );
      for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }
    expect((await api.call('GET', '/tasks?limit=1', undefined, auth)).headers.get('x-total-count')).toBe('200');
    page = await windows.open('ada', { width: 1280, height: 800 });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  });

  it('loads signed out without a console error, and the sign-in page passes axe-core', async () => {
    await page.goto(`${appUrl}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(consoleErrors).toEqual([]);
    expect(await page.title()).toBe('Sign in · TaskFlow');
    expect(await axeViolations(page)).toEqual([]);
    expect(await headingJumps(page)).toEqual([]);
    await signIn(page, admin);
    await page.getByRole('list', { name: 'Tasks' }).waitFor();
    expect(consoleErrors).toEqual([]);
  });

  it('starts the first screen’s independent requests together, not one after another', async () => {
    // A real network's delay on the two that used to wait for each other.
    const delay = (ms: number) => new Promise((done) => setTimeout(done, ms));
    await page.route(/\/api\/auth\/(me|status)$/, async (route) => {
      await delay(400);
      await route.continue();
    });
    await page.route(/\/api\/tasks\?/, async (route) => {
      await delay(400);
      await route.continue();
    });
    const started = new Map<string, number>();
    const finished = new Map<string, number>();
    const name = (url: string) => new URL(url).pathname.replace(/^\/api/, '');
    const onRequest = (request: { url(): string }) => {
      if (!started.has(name(request.url()))) started.set(name(request.url()), performance.now());
    };
    const onFinished = (request: { url(): string }) => {
      if (!finished.has(name(request.url()))) finished.set(name(request.url()), performance.now());
    };
    page.on('request', onRequest);
    page.on('requestfinished', onFinished);
    await page.reload();
    await page.getByRole('list', { name: 'Tasks' }).waitFor();
    await page.getByTestId('count-badge').waitFor();
    page.off('request', onRequest);
    page.off('requestfinished', onFinished);
    await page.unrouteAll();

    for (const path of ['/auth/status', '/auth/refresh', '/auth/me', '/tasks', '/tasks/stats']) expect(started.has(path), path).toBe(true);
    // Status and refresh together; then who is signed in, the list and the statistics together.
    expect(started.get('/auth/refresh')!).toBeLessThan(finished.get('/auth/status')!);
    expect(started.get('/auth/status')!).toBeLessThan(finished.get('/auth/refresh')!);
    expect(started.get('/tasks')!).toBeLessThan(finished.get('/auth/me')!);
    expect(started.get('/tasks/stats')!).toBeLessThan(finished.get('/auth/me')!);
    expect(started.get('/tasks/stats')!).toBeLessThan(finished.get('/tasks')!);
    expect(consoleErrors).toEqual([]);
  });

  it('renders a board of 200 tasks a page per column, with one tab stop per column and arrow keys between them', async () => {
    await page.goto(`${appUrl}/?view=board`);
    await page.locator('[data-status="done"] .board-card').first().waitFor();
    const elements = await page.evaluate(() => document.querySelectorAll('*').length);
    const stops = await tabStops(page);
    console.info(`Board of 200 tasks: ${elements} elements, ${stops} tab stops.`);
    expect(elements).toBeLessThan(1800);
    expect(stops).toBeLessThan(60);
    expect(await page.locator('.board-card').count()).toBe(60);
    expect(await page.getByText('On the board, arrow keys move between cards').isVisible()).toBe(true);

    // From the top of the page: Tab to the first card, then the arrow keys to Done.
    await page.locator('body').focus();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let presses = 0;
    while (presses < 40) {
      await page.keyboard.press('Tab');
      presses += 1;
      if ((await focused(page)).column === 'todo') break;
    }
    expect((await focused(page)).column).toBe('todo');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    presses += 2;
    const done = await focused(page);
    expect(done.column).toBe('done');
    expect(done.taskId).toBe(await page.locator('[data-status="done"] .board-card').first().getAttribute('data-task-id'));
    console.info(`Done's first card: ${presses} key presses from the top of the page.`);
    expect(presses).toBeLessThan(30);
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).taskId).toBe(await page.locator('[data-status="done"] .board-card').nth(1).getAttribute('data-task-id'));
    expect(await axeViolations(page)).toEqual([]);
    expect(await headingJumps(page)).toEqual([]);
    expect(await page.title()).toBe('Board · TaskFlow');
    await screenshot(page, 'a11y-board-200');

    // "Show more" adds the next cards of that column only.
    await page.getByRole('button', { name: 'Show 20 more in To do' }).click();
    expect(await page.locator('[data-status="todo"] .board-card').count()).toBe(40);
    const revealed = await page.locator('[data-status="todo"] .board-card').nth(20).getAttribute('data-task-id');
    await expect.poll(async () => (await focused(page)).taskId, { timeout: 8_000 }).toBe(revealed);
  });

  it('keeps focus on a card moved from the keyboard, in its new column', async () => {
    const card = page.locator('[data-status="todo"] .board-card').first();
    const id = await card.getAttribute('data-task-id');
    await card.focus();
    await page.keyboard.press('Tab'); // the title link
    await page.keyboard.press('Tab'); // "In progress →"
    expect((await focused(page)).label).toMatch(/^Move “Task \d+” to In progress$/);
    await page.keyboard.press('Enter');
    await expect.poll(async () => focused(page), { timeout: 8_000 }).toMatchObject({ taskId: id, column: 'in_progress', body: false });
    await expect.poll(async () => (await api.call('GET', `/tasks/${id}`, undefined, auth)).body.status, { timeout: 8_000 }).toBe('in_progress');
    // Still there once the columns have been fetched again and the card drawn in its sorted place.
    await page.waitForLoadState('networkidle');
    await new Promise((done) => setTimeout(done, 500));
    expect(await focused(page)).toMatchObject({ taskId: id, column: 'in_progress', body: false });
  });

  it('opens the edit dialog with focus in Title, keeps Tab inside it and gives focus back on close', async () => {
    await page.goto(`${appUrl}/`);
    const row = page.locator('.task-row').first();
    await row.getByRole('button', { name: /^Edit/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).label, { timeout: 8_000 }).toBe('Title');
    expect((await focused(page)).inDialog).toBe(true);
    for (let step = 0; step < 25; step += 1) {
      await page.keyboard.press('Tab');
      expect((await focused(page)).inDialog).toBe(true);
    }
    for (let step = 0; step < 5; step += 1) {
      await page.keyboard.press('Shift+Tab');
      expect((await focused(page)).inDialog).toBe(true);
    }
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'a11y-edit-dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await focused(page)).label).toMatch(/^Edit “Task \d+”$/);
  });

  it('moves focus to the next row after a one-click status change takes a row out of a filtered list', async () => {
    await page.goto(`${appUrl}/?status=todo`);
    const rows = page.locator('.task-row');
    await rows.nth(1).waitFor();
    const [first, second] = [await rows.nth(0).getAttribute('data-task-id'), await rows.nth(1).getAttribute('data-task-id')];
    await rows.nth(0).getByRole('button', { name: /^Start: move/ }).focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-task-id="${first}"]`).waitFor({ state: 'detached' });
    await expect.poll(async () => focused(page), { timeout: 8_000 }).toMatchObject({ taskId: second, tag: 'A', body: false });
  });

  it('after Delete focuses the next row; Ctrl+Z undoes within the grace period and focuses the restored task', async () => {
    const rows = page.locator('.task-row');
    const [first, second] = [await rows.nth(0).getAttribute('data-task-id'), await rows.nth(1).getAttribute('data-task-id')];
    await rows.nth(0).getByRole('button', { name: /^Delete/ }).focus();
    await page.keyboard.press('Enter');
    expect((await focused(page)).label).toBe('Delete');
    await page.keyboard.press('Enter');
    await expect.poll(async () => focused(page), { timeout: 8_000 }).toMatchObject({ taskId: second, body: false });
    const toast = page.locator('.toast');
    await toast.getByText('Press Ctrl+Z to undo.').waitFor();
    expect(await page.locator('.toasts').getAttribute('aria-live')).toBe('polite');
    await screenshot(page, 'a11y-undo-toast');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => focused(page), { timeout: 8_000 }).toMatchObject({ taskId: first, body: false });
    expect((await api.call('GET', `/tasks/${first}`, undefined, auth)).status).toBe(200);
  });

  it('does not let the Undo run out while the pointer is on it', async () => {
    const row = page.locator('.task-row').first();
    const id = await row.getAttribute('data-task-id');
    await row.getByRole('button', { name: /^Delete/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    const undo = page.getByRole('button', { name: /^Undo deleting/ });
    await undo.hover();
    await new Promise((done) => setTimeout(done, 6_500));
    expect((await api.call('GET', `/tasks/${id}`, undefined, auth)).status).toBe(200);
    await undo.focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-task-id="${id}"]`).waitFor();
    await expect.poll(async () => (await focused(page)).taskId, { timeout: 8_000 }).toBe(id);
    await page.mouse.move(10, 10);
    await new Promise((done) => setTimeout(done, 5_500));
    expect((await api.call('GET', `/tasks/${id}`, undefined, auth)).status).toBe(200);
  });

  it('takes the pager to the list’s top with focus on its first row', async () => {
    await page.goto(`${appUrl}/`);
    await page.locator('.task-row').first().waitFor();
    await page.getByRole('button', { name: 'Next →' }).scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByText('Page 2 of 10').waitFor();
    await expect.poll(async () => (await focused(page)).tag, { timeout: 8_000 }).toBe('A');
    const firstRow = page.locator('.task-row').first();
    expect((await focused(page)).taskId).toBe(await firstRow.getAttribute('data-task-id'));
    const box = await firstRow.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeLessThan(800);
    expect(await headingJumps(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.title()).toBe('Tasks · TaskFlow');
  });

  it('wraps a long unbroken assignee inside its row and card, on a phone too', async () => {
    const phone = await windows.open('ada-phone', { width: 390, height: 844 }, true);
    await phone.goto(`${appUrl}/signin`);
    await signIn(phone, admin);
    await phone.getByRole('list', { name: 'Tasks' }).waitFor();
    await phone.goto(`${appUrl}/?q=Task%20200`);
    const row = phone.locator('.task-row').first();
    await row.getByText(longAssignee).waitFor();
    const overflow = await row.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await screenshot(phone, 'a11y-long-assignee-phone');
    await phone.goto(`${appUrl}/?view=board`);
    await phone.locator('.board-card').first().waitFor();
    await screenshot(phone, 'a11y-board-phone');
    expect(await axeViolations(phone)).toEqual([]);
  });

  it('draws a focus ring of 3:1 or more on light and dark backgrounds', async () => {
    await page.goto(`${appUrl}/`);
    await page.locator('.task-row').first().waitFor();
    await page.getByRole('button', { name: '+ New task' }).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const light = await ringAndBackground(page);
    expect(light.width).toBe('3px');
    expect(contrast(light.ring, light.background)).toBeGreaterThanOrEqual(3);
    await page.getByRole('link', { name: 'Board' }).focus();
    const dark = await ringAndBackground(page);
    expect(contrast(dark.ring, dark.background)).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'a11y-focus-ring');
  });

  it('gives every page its own title, sequential headings, no axe-core violation and a Tab walk that never loses focus', async () => {
    const task = (await api.call('GET', '/tasks?limit=1', undefined, auth)).body[0] as { key: string; title: string };
    const pages: [string, string, string][] = [
      ['/', 'Tasks · TaskFlow', '.task-row'],
      ['/?view=board', 'Board · TaskFlow', '.board-card'],
      ['/?view=stats', 'Statistics · TaskFlow', '#stats-title'],
      [`/tasks/${task.key}`, `${task.key} ${task.title} · TaskFlow`, '#task-page-title'],
      ['/inbox', 'Inbox · TaskFlow', '#inbox-title'],
      ['/members', 'Members · TaskFlow', '#members-heading'],
      ['/webhooks', 'Webhooks · TaskFlow', '#webhooks-heading'],
      ['/account', 'Your account · TaskFlow', '#profile-heading'],
      ['/projects', 'Projects · TaskFlow', '#projects-heading'],
      ['/my-tasks', 'My tasks · Tasks · TaskFlow', '.page-header'],
      ['/no-such-page', 'Page not found · TaskFlow', '.state-title'],
    ];
    const titles = new Set<string>();
    for (const [path, title, ready] of pages) {
      await page.goto(`${appUrl}${path}`);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.title(), path).toBe(title);
      titles.add(title);
      expect(await headingJumps(page), path).toEqual([]);
      expect(await axeViolations(page), path).toEqual([]);
      // A keyboard-only walk from the top: every Tab lands on something, never on the page itself.
      const stops = Math.min(40, (await tabStops(page)) - 1);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      for (let step = 0; step < stops; step += 1) {
        await page.keyboard.press('Tab');
        expect((await focused(page)).body, `${path}, Tab ${step + 1}`).toBe(false);
      }
    }
    expect(titles.size).toBe(pages.length);
    expect(consoleErrors).toEqual([]);
    expect(windows.problems).toEqual([]);
  });
});
