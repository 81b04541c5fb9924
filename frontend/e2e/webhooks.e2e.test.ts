import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiHelper, browserWindows, screenshot, signIn } from './browser';

// Issue 19's web app in a real browser, against a backend started with WEBHOOK_ALLOWED_HOSTS=127.0.0.1 and
// WEBHOOK_RETRY_BASE_SECONDS=1 (global-setup.ts), delivering to a receiver this file runs on 127.0.0.1.
const appUrl = inject('hooksAppUrl');
const api = apiHelper(inject('hooksApiUrl'));
const setupToken = inject('setupToken');

const ana = { name: 'Ana Admin', email: 'ana@example.com', password: 'ana-long-password' };
const bo = { name: 'Bo Member', email: 'bo@example.com', password: 'bo-long-password' };

const setup = await api.call('POST', '/auth/setup', { setup_token: setupToken, ...ana });
const auth = { Authorization: `Bearer ${setup.body?.access_token as string}` };
const webhooksApi = (await api.call('GET', '/webhooks', undefined, auth)).status === 200;
if (!webhooksApi) console.warn('webhooks.e2e: this backend has no /webhooks (issue 19\'s API): skipped.');

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { id: string; event: string; data: Record<string, unknown> };
}

/** The receiver: records every request, and answers 200 or, while `failing`, 500. */
function startReceiver() {
  const received: Received[] = [];
  const state = { failing: false };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: request.headers, raw, body: JSON.parse(raw) });
      response.writeHead(state.failing ? 500 : 200, { 'Content-Type': 'text/plain' });
      response.end(state.failing ? 'down for maintenance' : 'ok');
    });
  });
  return { server, received, state };
}

/** Whether `TaskFlow-Signature` is `t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` under `secret`. */
function signedWith(delivery: Received, secret: string): boolean {
  const header = String(delivery.headers['taskflow-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${delivery.raw}`).digest('hex');
  return expected === match[2] && Math.abs(Date.now() / 1000 - Number(match[1])) < 300;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The name (aria-label, label or text) of the element with the keyboard focus. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return '';
    const label = element.getAttribute('aria-label') ?? (element as HTMLInputElement).labels?.[0]?.textContent;
    return (label ?? element.textContent ?? '').replace(/\s+/g, ' ').trim();
  });
}

/** Presses Tab until the element named `name` has the focus (at most `limit` times); fails otherwise. */
async function tabTo(page: Page, name: string | RegExp, limit = 40): Promise<void> {
  const seen: string[] = [];
  for (let step = 0; step < limit; step += 1) {
    await page.keyboard.press('Tab');
    const current = await focusedName(page);
    seen.push(current);
    if (typeof name === 'string' ? current === name : name.test(current)) return;
  }
  throw new Error(`Tab never reached "${String(name)}"; it went through: ${seen.join(' | ')}`);
}

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

describe.skipIf(!webhooksApi)('An admin wires TaskFlow to a receiver with a webhook', () => {
  const windows = browserWindows();
  const receiver = startReceiver();
  let receiverUrl = '';
  let page: Page;
  let secret = '';
  let webhookId = '';
  const item = () => page.getByRole('listitem', { name: receiverUrl });
  const rows = (event: string): Locator => item().getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(event) }) });

  beforeAll(async () => {
    expect(setup.status).toBe(201);
    await new Promise<void>((done) => receiver.server.listen(0, '127.0.0.1', done));
    receiverUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/taskflow`;
    page = await windows.open('ana', { width: 1280, height: 900 });
    await page.goto(`${appUrl}/signin`);
    await signIn(page, ana);
    await page.getByRole('navigation', { name: 'Account' }).waitFor();
  });

  afterAll(async () => {
    await new Promise((done) => receiver.server.close(done));
  });

  it('opens the Webhooks page from the header by keyboard', async () => {
    const link = page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Webhooks' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Webhooks', level: 2 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/webhooks');
    await expect(page.title()).resolves.toContain('Webhooks');
    await page.getByText('No webhooks yet.').waitFor();
  });

  it('shows a refused address beside the field and keeps it', async () => {
    const form = page.getByRole('form', { name: 'New webhook' });
    await form.getByLabel('Payload URL').fill('http://10.1.2.3/hook');
    await form.getByRole('button', { name: 'Create webhook' }).click();
    const url = form.getByLabel('Payload URL');
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
    await form.getByText(/^url is not allowed/).waitFor();
    await expect(url.inputValue()).resolves.toBe('http://10.1.2.3/hook');
    await screenshot(page, 'webhooks-refused-url');
  });

  it('creates a webhook by keyboard and shows its secret once', async () => {
    const form = page.getByRole('form', { name: 'New webhook' });
    await form.getByLabel('Payload URL').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(receiverUrl);
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Description (optional)');
    await page.keyboard.type('The e2e receiver');
    await tabTo(page, 'Create webhook', 5);
    await page.keyboard.press('Enter');

    const notice = page.getByRole('status').filter({ hasText: 'This secret is shown only once.' });
    await notice.waitFor();
    // The notice takes the focus, so that a screen reader reads it and the keyboard is next to the copy button.
    await expect(notice.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    secret = await page.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43,}$/);
    await screenshot(page, 'webhooks-secret');

    await tabTo(page, 'Copy', 3);
    await page.keyboard.press('Space');
    await page.getByText(/Copied to the clipboard\.|Press Ctrl\+C/).waitFor();
    await tabTo(page, 'I have copied it', 3);
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('Signing secret').count()).resolves.toBe(0);

    const list = (await api.call('GET', '/webhooks', undefined, auth)).body as { id: string; url: string; events: string[]; secret?: string }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ url: receiverUrl, events: ['*'], description: 'The e2e receiver', active: true });
    expect(list[0].secret).toBeUndefined();
    webhookId = list[0].id;
    await item().getByText('Active').waitFor();
  });

  it('sends a ping by keyboard; the receiver gets it signed and the log shows it succeeded with 200', async () => {
    await item().getByRole('button', { name: 'Edit' }).focus();
    await tabTo(page, 'Send ping', 4);
    await page.keyboard.press('Enter');
    await item().getByText('Ping sent: its delivery shows in the log below.').waitFor();

    const ping = await until('the ping at the receiver', () => receiver.received.find((delivery) => delivery.body.event === 'ping'));
    expect(ping.headers['taskflow-event']).toBe('ping');
    expect(ping.headers['content-type']).toContain('application/json');
    expect(ping.headers['user-agent']).toMatch(/^TaskFlow-Webhooks\//);
    expect(ping.body.data).toEqual({ webhook_id: webhookId });
    expect(signedWith(ping, secret)).toBe(true);

    const row = rows('Ping').first();
    await row.getByText('Succeeded').waitFor();
    await expect(row.getAttribute('data-delivery-id')).resolves.toBe(ping.headers['taskflow-delivery']);
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['Succeeded', '200', '1']);
    await screenshot(page, 'webhooks-ping');
  });

  it('pauses and resumes the webhook', async () => {
    await item().getByRole('button', { name: 'Pause' }).focus();
    await page.keyboard.press('Enter');
    await item().getByText('Paused', { exact: true }).waitFor();
    expect((await api.call('GET', `/webhooks/${webhookId}`, undefined, auth)).body.active).toBe(false);
    await item().getByRole('button', { name: 'Resume' }).press('Enter');
    await item().getByText('Active', { exact: true }).waitFor();
    expect((await api.call('GET', `/webhooks/${webhookId}`, undefined, auth)).body.active).toBe(true);
  });

  it('rotates the secret after a confirmation; the next ping is signed with the new one only', async () => {
    await item().getByRole('button', { name: 'Rotate secret' }).press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await dialog.waitFor();
    // Escape leaves everything as it was, and gives the focus back.
    await page.keyboard.press('Escape');
    await expect(dialog.count()).resolves.toBe(0);
    expect(await focusedName(page)).toBe('Rotate secret');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await focusedName(page)).toBe('Rotate secret');
    await page.keyboard.press('Enter');
    const fresh = await item().getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(fresh).not.toBe(secret);
    await item().getByRole('button', { name: 'I have copied it' }).press('Enter');
    await expect.poll(() => focusedName(page)).toBe('Rotate secret');

    const before = receiver.received.length;
    await item().getByRole('button', { name: 'Send ping' }).press('Enter');
    const ping = await until('the second ping', () => receiver.received.slice(before).find((delivery) => delivery.body.event === 'ping'));
    expect(signedWith(ping, fresh)).toBe(true);
    expect(signedWith(ping, secret)).toBe(false);
    secret = fresh;
  });

  it('shows failed attempts and the next one while the receiver answers 500, then redelivers', async () => {
    receiver.state.failing = true;
    const created = await api.call('POST', '/tasks', { title: 'Ship the webhooks page' }, auth);
    expect(created.status).toBe(201);
    // Attempts at 0 s and 1 s (WEBHOOK_RETRY_BASE_SECONDS=1), then 5 s later: two fail before the third is due.
    const attempts = await until('two failed attempts', () => {
      const seen = receiver.received.filter((delivery) => delivery.body.event === 'task.created');
      return seen.length >= 2 ? seen : undefined;
    });
    expect(new Set(attempts.map((delivery) => delivery.headers['taskflow-delivery'])).size).toBe(1);
    const deliveryId = String(attempts[0].headers['taskflow-delivery']);

    const row = rows('Task created').first();
    await expect.poll(async () => (await row.getByRole('cell').allTextContents()).slice(1, 3), { timeout: 10_000 }).toEqual(['500', '2']);
    const [status, , , next] = await row.getByRole('cell').allTextContents();
    expect(status).toMatch(/^Pending/);
    expect(status).toContain('500');
    expect(next).not.toBe('—');
    await screenshot(page, 'webhooks-failing');

    receiver.state.failing = false;
    await row.getByRole('button', { name: /^Redeliver Task created of / }).focus();
    await page.keyboard.press('Space');
    await item().getByText('Delivery of Task created sent again.').waitFor();
    await expect.poll(async () => (await row.getByRole('cell').allTextContents()).slice(0, 3), { timeout: 10_000 }).toEqual([
      'Succeeded',
      '200',
      '3',
    ]);
    const last = receiver.received.filter((delivery) => delivery.headers['taskflow-delivery'] === deliveryId).at(-1)!;
    expect(last.body.data).toMatchObject({ kind: 'created', task_id: created.body.id });
    expect(signedWith(last, secret)).toBe(true);
    await screenshot(page, 'webhooks-desktop', { fullPage: true });
  });

  it('fits a phone screen', async () => {
    const phone = await windows.open('ana-phone', { width: 360, height: 780 }, true);
    await phone.goto(`${appUrl}/signin?next=/webhooks`);
    await signIn(phone, ana);
    await phone.getByRole('heading', { name: 'Webhooks', level: 2 }).waitFor();
    await phone.getByRole('listitem', { name: receiverUrl }).getByRole('button', { name: 'Show delivery log' }).click();
    await phone.getByRole('table').waitFor();
    await noHorizontalScroll(phone);
    await screenshot(phone, 'webhooks-phone', { fullPage: true });
  });

  it('deletes the webhook after a confirmation and leaves the focus on the list', async () => {
    await item().getByRole('button', { name: 'Delete' }).press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete webhook?' });
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    await page.getByText('No webhooks yet.').waitFor();
    await expect.poll(() => focusedName(page)).toBe('All webhooks');
    expect((await api.call('GET', '/webhooks', undefined, auth)).body).toEqual([]);
  });

  it('shows a member no link, and a clear message at the address', async () => {
    const invitation = await api.call('POST', '/users/invitations', { role: 'member', email: bo.email }, auth);
    expect(invitation.status).toBe(201);
    expect((await api.call('POST', '/auth/register', { invitation: invitation.body.code, ...bo })).status).toBe(201);
    const member = await windows.open('bo', { width: 1280, height: 800 });
    await member.goto(`${appUrl}/signin?next=/webhooks`);
    await signIn(member, bo);
    await member.getByRole('heading', { name: 'Webhooks are for admins' }).waitFor();
    await expect(member.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Webhooks' }).count()).resolves.toBe(0);
  });

  it('met no uncaught error or blocked request', () => {
    expect(windows.problems).toEqual([]);
  });
});
