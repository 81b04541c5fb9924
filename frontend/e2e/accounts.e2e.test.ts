import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { apiHelper, browserWindows, screenshot, signIn, type ApiTask } from './browser';

// Against the backend with accounts on (AUTH_MODE=required), started on an empty database with a known SETUP_TOKEN;
// the app calls it through its own origin's /api, so the session cookie is first-party.
const appUrl = inject('authAppUrl');
const api = apiHelper(inject('authApiUrl'));
const setupToken = inject('setupToken');

const admin = { name: 'Ana Admin', email: 'ana@example.com', password: 'ana-long-password' };
const member = { name: 'Bo Member', email: 'bo@example.com', password: 'bo-long-password' };

/** The admin's window, the member's window (another browser profile), and the admin on a phone. */
let adminPage: Page;
let memberPage: Page;
let phonePage: Page;
let invitation = '';
let readToken = '';

const signedInAs = (page: Page) => page.getByRole('navigation', { name: 'Account' }).locator('.signed-in-as');
const taskRow = (page: Page, title: string) => page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').filter({ hasText: title });

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

async function storedTask(title: string): Promise<ApiTask & Record<string, unknown>> {
  const { status, body } = await api.call('GET', '/tasks?limit=1000', undefined, { Authorization: `Bearer ${readToken}` });
  expect(status).toBe(200);
  const task = (body as (ApiTask & Record<string, unknown>)[]).find((candidate) => candidate.title === title);
  expect(task).toBeDefined();
  return task!;
}

describe('A team with accounts', () => {
  const windows = browserWindows();

  beforeAll(async () => {
    adminPage = await windows.open('admin', { width: 1280, height: 860 });
    memberPage = await windows.open('member', { width: 1280, height: 860 });
    phonePage = await windows.open('phone', { width: 390, height: 844 }, true);
  });

  it('keeps the tasks closed to anyone without a credential', async () => {
    const { status, headers } = await api.call('GET', '/tasks');
    expect(status).toBe(401);
    expect(headers.get('WWW-Authenticate')).toContain('Bearer realm="taskflow"');
  });

  it('sets up the empty workspace with the set-up token', async () => {
    await phonePage.goto(appUrl);
    await phonePage.getByRole('heading', { name: 'Set up TaskFlow' }).waitFor();
    await noHorizontalScroll(phonePage);
    await screenshot(phonePage, 'phone-setup', { fullPage: true });

    await adminPage.goto(appUrl);
    await adminPage.getByRole('heading', { name: 'Set up TaskFlow' }).waitFor();
    await adminPage.getByLabel('Set-up token').fill('not-the-token');
    await adminPage.getByLabel('Your name').fill(admin.name);
    await adminPage.getByLabel('Email').fill(admin.email);
    await adminPage.getByLabel('Password').fill(admin.password);
    await adminPage.getByRole('button', { name: 'Create the admin account' }).click();
    await adminPage.getByText('This is not the server’s set-up token.').waitFor();
    await screenshot(adminPage, 'setup');

    await adminPage.getByLabel('Set-up token').fill(setupToken);
    await adminPage.getByRole('button', { name: 'Create the admin account' }).click();
    await adminPage.getByRole('heading', { name: 'Members' }).waitFor();
    expect(new URL(adminPage.url()).pathname).toBe('/members');
    await expect(signedInAs(adminPage).textContent()).resolves.toBe(`Signed in as ${admin.name}`);
    expect((await api.call('GET', '/auth/status')).body).toMatchObject({ setup_required: false });
  });

  it('invites a member, who registers through the link', async () => {
    const form = adminPage.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('Role').selectOption('member');
    await form.getByLabel('Email (optional)').fill(member.email);
    await form.getByRole('button', { name: 'Create invitation link' }).click();
    const link = adminPage.getByLabel('Invitation link');
    invitation = await link.inputValue();
    expect(invitation).toMatch(new RegExp(`^${appUrl}/register\\?invitation=[^&]+$`));
    await adminPage.getByRole('list', { name: 'Pending invitations' }).getByText(member.email).waitFor();

    await memberPage.goto(invitation);
    await memberPage.getByRole('heading', { name: 'Create your account' }).waitFor();
    await memberPage.getByLabel('Your name').fill(member.name);
    await memberPage.getByLabel('Email').fill(member.email);
    await memberPage.getByLabel('Password').fill(member.password);
    await screenshot(memberPage, 'register');
    await memberPage.getByRole('button', { name: 'Create account' }).click();
    await memberPage.getByText('No tasks yet.').waitFor();
    await expect(signedInAs(memberPage).textContent()).resolves.toBe(`Signed in as ${member.name}`);

    // Used: the invitation is no longer pending.
    await adminPage.reload();
    await adminPage.getByText('No pending invitations.').waitFor();
    await adminPage.getByRole('list', { name: 'Members' }).getByText(member.name, { exact: true }).waitFor();

    // An open invitation (no email) for the next admin, left pending.
    await form.getByLabel('Role').selectOption('admin');
    await form.getByRole('button', { name: 'Create invitation link' }).click();
    await adminPage.getByLabel('Invitation link').waitFor();
    await adminPage.getByRole('list', { name: 'Pending invitations' }).getByText('Anyone with the link').waitFor();
    await screenshot(adminPage, 'members', { fullPage: true });
  });

  it('signs the member out, and back in', async () => {
    await memberPage.getByRole('button', { name: 'Sign out' }).click();
    await memberPage.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(memberPage.url()).pathname).toBe('/signin');
    // The session is over on the server too: a reload does not bring it back.
    await memberPage.reload();
    await memberPage.getByRole('heading', { name: 'Sign in' }).waitFor();

    await memberPage.getByLabel('Email').fill(member.email);
    await memberPage.getByLabel('Password').fill('not the password');
    await memberPage.getByRole('button', { name: 'Sign in' }).click();
    await memberPage.getByRole('alert').getByText('Invalid email or password').waitFor();
    await screenshot(memberPage, 'signin');

    await memberPage.getByLabel('Password').fill(member.password);
    await memberPage.getByRole('button', { name: 'Sign in' }).click();
    await memberPage.getByText('No tasks yet.').waitFor();
    await expect(signedInAs(memberPage).textContent()).resolves.toBe(`Signed in as ${member.name}`);
  });

  it('gives the admin an API token, shown once', async () => {
    await adminPage.getByRole('link', { name: 'Account' }).click();
    await adminPage.getByRole('heading', { name: 'Your account' }).waitFor();
    const form = adminPage.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Token name').fill('Reporting script');
    await form.getByLabel('Scope').selectOption('read');
    await form.getByLabel('Expires in (days)').fill('30');
    await form.getByRole('button', { name: 'Create token' }).click();
    readToken = await adminPage.getByLabel('Your new API token').inputValue();
    expect(readToken).toMatch(/^tf_[A-Za-z0-9_-]{43,}$/);
    await adminPage.getByRole('list', { name: 'API tokens' }).getByText('Reporting script').waitFor();
    await expect(adminPage.getByRole('list', { name: 'Sessions' }).getByText('This device').count()).resolves.toBe(1);
    await screenshot(adminPage, 'account', { fullPage: true });

    // A read token reads the tasks and nothing more.
    expect((await api.call('GET', '/tasks', undefined, { Authorization: `Bearer ${readToken}` })).status).toBe(200);
    const write = await api.call('POST', '/tasks', { title: 'Not allowed' }, { Authorization: `Bearer ${readToken}` });
    expect(write.status).toBe(403);
    await adminPage.getByRole('button', { name: 'Done' }).click();
    await expect(adminPage.getByLabel('Your new API token').count()).resolves.toBe(0);
  });

  it('shows who created a task and who last changed it', async () => {
    await memberPage.getByRole('button', { name: '+ New task' }).click();
    const create = memberPage.getByRole('dialog', { name: 'New task' });
    await create.getByLabel('Title').fill('Plan the retrospective');
    await create.getByRole('button', { name: 'Create task' }).click();
    await create.waitFor({ state: 'detached' });
    await taskRow(memberPage, 'Plan the retrospective').getByText(`Created by ${member.name}`).waitFor();

    await memberPage.getByRole('button', { name: 'Edit “Plan the retrospective”' }).click();
    const edit = memberPage.getByRole('dialog', { name: 'Edit task' });
    await edit.getByLabel('Assignee').fill('bo');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await taskRow(memberPage, 'Plan the retrospective').getByText(`last changed by ${member.name}`).waitFor();

    // The admin changes it from their window.
    await adminPage.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'List' }).click();
    await adminPage.getByRole('button', { name: 'Edit “Plan the retrospective”' }).click();
    const adminEdit = adminPage.getByRole('dialog', { name: 'Edit task' });
    await adminEdit.getByText(`Created by ${member.name} on`).waitFor();
    await adminEdit.getByLabel('Priority').selectOption('high');
    await adminEdit.getByRole('button', { name: 'Save changes' }).click();
    await adminEdit.waitFor({ state: 'detached' });

    await adminPage.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Board' }).click();
    await adminPage.getByRole('region', { name: /^To do/ }).getByText(`last changed by ${admin.name}`).waitFor();
    await screenshot(adminPage, 'board-signed-in');

    const stored = await storedTask('Plan the retrospective');
    expect(stored).toMatchObject({ priority: 'high', assignee: 'bo' });
    expect((stored.created_by as { name: string }).name).toBe(member.name);
    expect((stored.updated_by as { name: string }).name).toBe(admin.name);

    // The member sees it after a reload, still signed in: the session comes back from the cookie.
    await memberPage.reload();
    await taskRow(memberPage, 'Plan the retrospective').getByText(`last changed by ${admin.name}`).waitFor();
    await expect(signedInAs(memberPage).textContent()).resolves.toBe(`Signed in as ${member.name}`);
    // No token in storage: only the flag that this browser has a session to restore, which holds no secret.
    await expect(memberPage.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).resolves.toBe(
      '{"taskflow.session":"1"}',
    );
    await screenshot(memberPage, 'tasks-signed-in');
  });

  it('fits a phone: sign-in, members and account', async () => {
    await phonePage.goto(`${appUrl}/members`);
    await signIn(phonePage, admin);
    await phonePage.getByRole('heading', { name: 'Members' }).waitFor();
    expect(new URL(phonePage.url()).pathname).toBe('/members');
    await phonePage.getByRole('list', { name: 'Members' }).getByText(member.name, { exact: true }).waitFor();
    await noHorizontalScroll(phonePage);
    await screenshot(phonePage, 'phone-members', { fullPage: true });

    await phonePage.getByRole('link', { name: 'Account' }).click();
    await phonePage.getByRole('list', { name: 'Sessions' }).getByRole('listitem').nth(1).waitFor();
    await noHorizontalScroll(phonePage);
    await screenshot(phonePage, 'phone-account', { fullPage: true });

    await phonePage.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'List' }).click();
    await taskRow(phonePage, 'Plan the retrospective').waitFor();
    await noHorizontalScroll(phonePage);
    await screenshot(phonePage, 'phone-tasks-signed-in');

    await phonePage.getByRole('button', { name: 'Sign out' }).click();
    await phonePage.getByRole('heading', { name: 'Sign in' }).waitFor();
    await noHorizontalScroll(phonePage);
    await screenshot(phonePage, 'phone-signin');
  });

  it('sends a disabled member’s open page back to sign-in on their next action', async () => {
    await adminPage.getByRole('link', { name: 'Members' }).click();
    await adminPage.getByRole('button', { name: `Disable ${member.name}` }).click();
    await adminPage.getByRole('list', { name: 'Members' }).getByText('Disabled').waitFor();

    // The member's page is still open on the list; the next thing they do needs the server.
    const signInHeading = memberPage.getByRole('heading', { name: 'Sign in' });
    const deadline = Date.now() + 8_000;
    for (const view of ['Board', 'Statistics', 'List', 'Board']) {
      await memberPage.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view }).click();
      if (await signInHeading.waitFor({ timeout: 2_000 }).then(() => true, () => false)) break;
      if (Date.now() > deadline) break;
    }
    await signInHeading.waitFor();
    await memberPage.getByText('Your session has ended.', { exact: false }).waitFor();
    const url = new URL(memberPage.url());
    expect(url.pathname).toBe('/signin');
    expect(url.searchParams.get('next')).toMatch(/^\/\?view=/);

    // Disabled means disabled: the right password is refused like a wrong one.
    await memberPage.getByLabel('Email').fill(member.email);
    await memberPage.getByLabel('Password').fill(member.password);
    await memberPage.getByRole('button', { name: 'Sign in' }).click();
    await memberPage.getByRole('alert').getByText('Invalid email or password').waitFor();

    // Enabled again, the member signs in and lands where they were.
    await adminPage.getByRole('button', { name: `Enable ${member.name}` }).click();
    await adminPage.getByRole('button', { name: `Disable ${member.name}` }).waitFor();
    await memberPage.getByRole('button', { name: 'Sign in' }).click();
    await memberPage.getByRole('navigation', { name: 'Account' }).waitFor();
    const back = new URL(memberPage.url());
    expect(`${back.pathname}${back.search}`).toBe(url.searchParams.get('next'));
  });

  it('says how long to wait after too many failed sign-ins (429)', async () => {
    const page = memberPage;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 6 && !statuses.includes(429); attempt += 1) {
      await page.getByLabel('Email').fill('nobody@example.com');
      await page.getByLabel('Password').fill(`wrong password ${attempt}`);
      const [answer] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/auth/login')),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      statuses.push(answer.status());
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Too many attempts\. Try again in (1[0-5] minutes|\d+ seconds)\.$/);
  });

  it('ran without uncaught errors or Content-Security-Policy violations', () => {
    expect(windows.problems).toEqual([]);
  });
});
