import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiHelper, browserWindows, screenshot, signIn } from './browser';
import { freePort, serveStatic, startBackend, stopBackend, waitForHealth, type Backend } from './global-setup';
import { linkIn, MailCatcher } from './mail-catcher';

// Email needs SMTP_URL, EMAIL_FROM and APP_URL at the backend's start, and this file's own SMTP server to read what
// arrives: so this file starts a backend of its own (as the global set-up does) in front of the same built app.
const mail = new MailCatcher();
const setupToken = `e2e-setup-${randomBytes(12).toString('hex')}`;
let backend: Backend;
let appServer: Server;
let appUrl = '';
let api: ReturnType<typeof apiHelper>;
let workDir = '';

const admin = { name: 'Ana Admin', email: 'ana@example.com', password: 'ana-long-password' };
const member = { name: 'Bo Member', email: 'bo@example.com', password: 'bo-long-password' };

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'taskflow-email-e2e-'));
  await mail.start();
  const appPort = await freePort();
  appUrl = `http://127.0.0.1:${appPort}`;
  backend = await startBackend(workDir, 'email', {
    AUTH_MODE: 'required',
    SETUP_TOKEN: setupToken,
    JWT_SECRET: randomBytes(32).toString('hex'),
    REGISTRATION: 'invite',
    CORS_ORIGINS: appUrl,
    SMTP_URL: mail.url,
    EMAIL_FROM: 'TaskFlow <tasks@example.com>',
    APP_URL: appUrl,
    NOTIFICATION_EMAIL_DELAY_SECONDS: '1',
  });
  await waitForHealth(backend.url, backend.process, backend.log);
  appServer = serveStatic(inject('appBuildDir'), backend.url);
  await new Promise<void>((done) => appServer.listen(appPort, '127.0.0.1', done));
  api = apiHelper(backend.url);
});

afterAll(async () => {
  await new Promise((done) => appServer?.close(done));
  if (backend) await stopBackend(backend);
  await mail.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** A fresh access token for `person`, for checking through the API what the app stored. */
async function accessToken(person: { email: string; password: string }): Promise<string> {
  const { status, body } = await api.call('POST', '/auth/login', { email: person.email, password: person.password });
  expect(status).toBe(200);
  return (body as { access_token: string }).access_token;
}

async function me(person: { email: string; password: string }): Promise<Record<string, unknown>> {
  const { body } = await api.call('GET', '/auth/me', undefined, { Authorization: `Bearer ${await accessToken(person)}` });
  return body as Record<string, unknown>;
}

const signedInAs = (page: Page) => page.getByRole('navigation', { name: 'Account' }).locator('.signed-in-as');

async function choosePassword(page: Page, password: string, confirmation = password) {
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm the new password').fill(confirmation);
  await page.getByRole('button', { name: 'Set the new password' }).click();
}

describe('Email in the web app', () => {
  const windows = browserWindows();
  let adminPage: Page;
  let memberPage: Page;
  let otherPage: Page;

  beforeAll(async () => {
    adminPage = await windows.open('email-admin', { width: 1280, height: 860 });
    memberPage = await windows.open('email-member', { width: 1280, height: 860 });
    otherPage = await windows.open('email-member-elsewhere', { width: 1280, height: 860 });
  });

  it('sets up the workspace and invites a member by email', async () => {
    const setup = await api.call('POST', '/auth/setup', { setup_token: setupToken, ...admin });
    expect(setup.status).toBe(201);

    await adminPage.goto(`${appUrl}/members`);
    await signIn(adminPage, admin);
    const form = adminPage.getByRole('form', { name: 'Invite someone' });
    const sendByEmail = form.getByRole('checkbox', { name: 'Send by email' });
    await sendByEmail.waitFor();
    expect(await sendByEmail.isChecked()).toBe(true);
    await form.getByLabel('Email', { exact: true }).fill(member.email);
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await adminPage.getByText(`Invitation emailed to ${member.email}, as member.`).waitFor();

    const invitation = await mail.waitFor(member.email, /invited you to TaskFlow/);
    const link = linkIn(invitation, `${appUrl}/register?invitation=`);
    await memberPage.goto(link);
    await memberPage.getByRole('heading', { name: 'Create your account' }).waitFor();
    await memberPage.getByLabel('Your name').fill(member.name);
    await memberPage.getByLabel('Email').fill(member.email);
    await memberPage.getByLabel('Password').fill(member.password);
    await memberPage.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => signedInAs(memberPage).textContent(), { timeout: 10_000 }).toContain(member.name);
  });

  it('resets a forgotten password from the emailed link, ending the session elsewhere', async () => {
    // The member is signed in in another browser; then, signed out here, forgets the password.
    await otherPage.goto(appUrl);
    await signIn(otherPage, member);
    await expect.poll(() => signedInAs(otherPage).textContent(), { timeout: 10_000 }).toContain(member.name);
    await memberPage.getByRole('button', { name: 'Sign out' }).click();

    await memberPage.getByRole('link', { name: 'Forgot password?' }).click();
    await memberPage.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await memberPage.getByLabel('Email').fill(member.email);
    await memberPage.getByRole('button', { name: 'Send the reset link' }).click();
    await memberPage.getByText('Check your email').waitFor();
    await screenshot(memberPage, 'email-forgot-password-sent');

    const email = await mail.waitFor(member.email, /Reset your TaskFlow password/);
    expect(email.html).toContain(`${appUrl}/reset-password?token=`);
    await memberPage.goto(linkIn(email, `${appUrl}/reset-password?token=`));
    await choosePassword(memberPage, 'bo-new-password', 'bo-new-passwort');
    await memberPage.getByText('The two passwords differ. Type the same new password twice.').waitFor();
    await memberPage.getByLabel('Confirm the new password').fill('bo-new-password');
    await memberPage.getByRole('button', { name: 'Set the new password' }).click();
    await memberPage.getByText('Your password has been changed.').waitFor();
    await screenshot(memberPage, 'email-reset-password-done');

    await memberPage.getByRole('link', { name: 'Sign in' }).click();
    member.password = 'bo-new-password';
    await signIn(memberPage, member);
    await expect.poll(() => signedInAs(memberPage).textContent(), { timeout: 10_000 }).toContain(member.name);

    // The other browser's session ended: its next request is refused and it lands on sign-in.
    await expect
      .poll(
        async () => {
          await otherPage.getByRole('link', { name: 'Account' }).click({ timeout: 1000 }).catch(() => undefined);
          return otherPage.getByRole('heading', { name: 'Sign in' }).isVisible();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(true);

    // The link worked once.
    await otherPage.goto(linkIn(email, `${appUrl}/reset-password?token=`));
    await choosePassword(otherPage, 'another-password');
    await otherPage.getByText('This reset link cannot be used').waitFor();
  });

  it('lets an admin create a reset link on the Members page that works once', async () => {
    await adminPage.goto(`${appUrl}/members`);
    await adminPage.getByRole('button', { name: `Create reset link for ${member.name}` }).click();
    const field = adminPage.getByRole('textbox', { name: `Reset link for ${member.name}` });
    await field.waitFor();
    await expect.poll(() => adminPage.evaluate(() => document.activeElement?.textContent ?? ''), { timeout: 10_000 }).toContain('shown only this once');
    await screenshot(adminPage, 'email-admin-reset-link');
    const link = await field.inputValue();
    expect(link.startsWith(`${appUrl}/reset-password?token=`)).toBe(true);
    await adminPage.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => field.count(), { timeout: 10_000 }).toBe(0);

    await otherPage.goto(link);
    await choosePassword(otherPage, 'bo-admin-given');
    await otherPage.getByText('Your password has been changed.').waitFor();
    member.password = 'bo-admin-given';
    expect((await api.call('POST', '/auth/login', { email: member.email, password: member.password })).status).toBe(200);

    await otherPage.goto(link);
    await choosePassword(otherPage, 'bo-second-try');
    await otherPage.getByText('This reset link cannot be used').waitFor();
  });

  it('keeps the notification email preference chosen on the Account page', async () => {
    await memberPage.goto(`${appUrl}/account`);
    await signIn(memberPage, member);
    const section = memberPage.getByRole('region', { name: 'Notification emails' });
    await section.getByRole('radio', { name: 'Once a day' }).check();
    await section.getByRole('button', { name: 'Save email preference' }).click();
    await section.getByRole('status').getByText('Saved.').waitFor();
    await screenshot(memberPage, 'email-account-preference', { fullPage: true });

    await memberPage.reload();
    await expect.poll(() => memberPage.getByRole('radio', { name: 'Once a day' }).isChecked(), { timeout: 10_000 }).toBe(true);
    expect((await me(member)).email_notifications).toBe('daily');
  });

  it('stores the language chosen in the header as the account’s, and applies it at the next sign-in', async () => {
    await memberPage.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await memberPage.getByRole('heading', { name: 'Votre compte' }).waitFor();
    await expect.poll(async () => (await me(member)).locale, { timeout: 10_000 }).toBe('fr');

    // Another browser, in English, signs in: the account's language wins.
    const fresh = await windows.open('email-member-fresh', { width: 1280, height: 860 });
    await fresh.goto(appUrl);
    await signIn(fresh, member);
    await fresh.getByRole('link', { name: 'Mes tâches' }).waitFor();
  });

  it('met no uncaught error or blocked resource', () => {
    expect(windows.problems).toEqual([]);
  });
});
