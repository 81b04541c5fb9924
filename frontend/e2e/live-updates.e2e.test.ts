import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { apiHelper, browserWindows, screenshot, signIn } from './browser';

// Two people on the same board, each in their own browser profile, against a backend with accounts on
// (AUTH_MODE=required) and a workspace of its own: what one does shows up on the other's screen without a reload.
const appUrl = inject('liveAppUrl');
const api = apiHelper(inject('liveApiUrl'));
const setupToken = inject('setupToken');

const alice = { name: 'Alice Admin', email: 'alice@example.com', password: 'alice-long-password' };
const bob = { name: 'Bob Member', email: 'bob@example.com', password: 'bob-long-password' };
const title = 'Write the release notes';
const second = 'Book the launch room';

let alicePage: Page;
let bobContext: BrowserContext;
let bobPage: Page;
let phonePage: Page;
let aliceToken = '';

/** Opens the board, which asks to sign in first, and signs in there. */
async function signInOnBoard(page: Page, person: { email: string; password: string }) {
  await page.goto(`${appUrl}/?view=board`);
  await signIn(page, person);
  await page.getByRole('navigation', { name: 'Account' }).waitFor();
}

const indicator = (page: Page) => page.getByRole('banner').locator('.live-indicator [role="status"]');
const column = (page: Page, name: string) => page.getByRole('region', { name: new RegExp(`^${name}`) });
const card = (page: Page, status: string, taskTitle: string) =>
  column(page, status).getByRole('listitem').filter({ has: page.getByRole('heading', { name: taskTitle }) });

async function waitForLive(page: Page) {
  await expect.poll(() => indicator(page).textContent(), { timeout: 10_000 }).toBe('Live');
}

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

describe('Two people on one board', () => {
  const windows = browserWindows();

  beforeAll(async () => {
    // The workspace: Alice sets it up and invites Bob, who registers; Alice writes the first tasks.
    const setup = await api.call('POST', '/auth/setup', { setup_token: setupToken, ...alice });
    expect(setup.status).toBe(201);
    aliceToken = setup.body.access_token;
    const auth = { Authorization: `Bearer ${aliceToken}` };
    const invitation = await api.call('POST', '/users/invitations', { role: 'member', email: bob.email }, auth);
    expect(invitation.status).toBe(201);
    expect((await api.call('POST', '/auth/register', { ...bob, invitation: invitation.body.code })).status).toBe(201);
    for (const taskTitle of [title, second]) {
      expect((await api.call('POST', '/tasks', { title: taskTitle }, auth)).status).toBe(201);
    }

    alicePage = await windows.open('live-alice', { width: 1280, height: 860 });
    bobPage = await windows.open('live-bob', { width: 1280, height: 860 });
    bobContext = bobPage.context();
    phonePage = await windows.open('live-phone', { width: 390, height: 844 }, true);
  });

  it('says Live on both boards once signed in', async () => {
    await signInOnBoard(alicePage, alice);
    await signInOnBoard(bobPage, bob);
    for (const page of [alicePage, bobPage]) {
      await card(page, 'To do', title).waitFor();
      await waitForLive(page);
    }
  });

  it('shows a card one person moves on the other’s board within 2 seconds, highlighted, without a reload', async () => {
    const bobLoads: string[] = [];
    bobPage.on('request', (request) => {
      if (request.resourceType() === 'document') bobLoads.push(request.url());
    });
    const moved = Date.now();
    await card(alicePage, 'To do', title).getByRole('button', { name: `Move “${title}” to In progress` }).click();

    const bobCard = card(bobPage, 'In progress', title);
    await bobCard.waitFor({ timeout: 2_000 });
    expect(Date.now() - moved).toBeLessThan(2_000);
    // Someone else changed it: it flashes on Bob's board, not on Alice's, who moved it herself.
    await expect(bobCard.evaluate((element) => element.classList.contains('task-changed'))).resolves.toBe(true);
    await screenshot(bobPage, 'live-board', { animations: 'allow' });
    await expect(
      card(alicePage, 'In progress', title).evaluate((element) => element.classList.contains('task-changed')),
    ).resolves.toBe(false);
    await expect(card(bobPage, 'To do', title).count()).resolves.toBe(0);
    expect(bobLoads).toEqual([]);
  });

  it('tells the story in the task’s history panel', async () => {
    await card(bobPage, 'In progress', title).getByRole('button', { name: `Edit “${title}”` }).click();
    const dialog = bobPage.getByRole('dialog', { name: 'Edit task' });
    const history = dialog.getByRole('region', { name: 'History' });
    const entries = history.getByRole('listitem');
    await entries.nth(1).waitFor();
    await expect(entries.nth(0).textContent()).resolves.toMatch(/^Alice Admin moved it from To do to In progress · just now$/);
    await expect(entries.nth(1).textContent()).resolves.toMatch(/^Alice Admin created it · /);
    await screenshot(bobPage, 'history');
  });

  it('warns the person editing when someone else changes the task, and reloads it on request', async () => {
    const dialog = bobPage.getByRole('dialog', { name: 'Edit task' });
    await dialog.getByLabel('Description').fill('Mention the new board.');

    await card(alicePage, 'In progress', title).getByRole('button', { name: `Move “${title}” to Done` }).click();

    const alert = dialog.getByRole('alert');
    await alert.waitFor({ timeout: 2_000 });
    await expect(alert.locator('.state-title').textContent()).resolves.toBe(
      'Alice Admin changed this task while you were editing: status In progress → Done.',
    );
    await expect(dialog.getByLabel('Description').inputValue()).resolves.toBe('Mention the new board.');
    await screenshot(bobPage, 'live-conflict');

    await alert.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => dialog.getByLabel('Status').inputValue()).toBe('done');
    await expect(dialog.getByLabel('Description').inputValue()).resolves.toBe('');
    await dialog.getByRole('region', { name: 'History' }).getByText('Alice Admin moved it from In progress to Done').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await card(bobPage, 'Done', title).waitFor();
  });

  it('pauses live updates while offline, then resumes by itself and catches up', async () => {
    await bobContext.setOffline(true);
    await expect
      .poll(() => indicator(bobPage).textContent(), { timeout: 15_000 })
      .toMatch(/^(Reconnecting…|Live updates paused)$/);
    // A change while Bob's browser is offline arrives when it is back, from where his stream stopped.
    await card(alicePage, 'To do', second).getByRole('button', { name: `Move “${second}” to In progress` }).click();
    await expect.poll(() => indicator(bobPage).textContent(), { timeout: 15_000 }).toBe('Live updates paused');
    await screenshot(bobPage, 'live-paused');

    await bobContext.setOffline(false);
    await waitForLive(bobPage);
    await card(bobPage, 'In progress', second).waitFor({ timeout: 5_000 });
  });

  it('fits a phone: the indicator, the board and the history', async () => {
    await signInOnBoard(phonePage, bob);
    await waitForLive(phonePage);
    await card(phonePage, 'In progress', second).waitFor();
    await noHorizontalScroll(phonePage);

    await card(alicePage, 'In progress', second).getByRole('button', { name: `Move “${second}” to To do` }).click();
    const moved = card(phonePage, 'To do', second);
    await moved.waitFor({ timeout: 2_000 });
    await screenshot(phonePage, 'phone-live-board', { animations: 'allow' });

    await moved.getByRole('button', { name: `Edit “${second}”` }).click();
    const dialog = phonePage.getByRole('dialog', { name: 'Edit task' });
    await dialog.getByRole('region', { name: 'History' }).getByText(`Alice Admin moved it from In progress to To do`).waitFor();
    await dialog.getByRole('region', { name: 'History' }).scrollIntoViewIfNeeded();
    await noHorizontalScroll(phonePage);
    await screenshot(phonePage, 'phone-history');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('ran without uncaught errors or Content-Security-Policy violations', () => {
    expect(windows.problems).toEqual([]);
  });
});
