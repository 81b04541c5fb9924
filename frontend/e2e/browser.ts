import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeEach } from 'vitest';

/** Debian's chromium, never a browser build downloaded by a tool. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

// Every run writes here; TASKFLOW_SCREENSHOTS=docs writes the committed set shown in the README instead.
const screenshotDir = resolve(
  __dirname,
  '..',
  process.env.TASKFLOW_SCREENSHOTS === 'docs' ? 'docs' : join('test-results', 'screenshots'),
);

/**
 * What the person sees in the window (fixed toasts and dialogs stay where they are on screen), or with `fullPage` the
 * whole page, for pages taller than a screen.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean; animations?: 'allow' | 'disabled' } = {},
): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // Let fonts, charts and transitions settle so the picture shows what a person sees; `animations: 'allow'` catches
  // one in the act instead (a highlight).
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({
    path: join(screenshotDir, `${name}.png`),
    animations: options.animations ?? 'disabled',
    fullPage: options.fullPage,
  });
}

/**
 * The windows of a file whose tests build on each other, each window its own browser profile (its own cookies, so its
 * own session). Gathers uncaught errors and Content-Security-Policy violations from all of them. After a failed test
 * it keeps a picture of every window (test-results/failure-<name>.png) and skips the tests left, which would only
 * fail in its wake. Call it inside `describe`, whose hooks it adds.
 */
export function browserWindows() {
  let browser: Browser | undefined;
  const windows: { name: string; page: Page }[] = [];
  const problems: string[] = [];
  let failed = false;

  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    failed = true;
    for (const { name, page } of windows) {
      await page.screenshot({ path: `test-results/failure-${name}.png` }).catch(() => undefined);
    }
  });
  beforeEach(({ skip }) => {
    if (failed) skip();
  });
  afterAll(async () => {
    for (const { page } of windows) await page.context().close().catch(() => undefined);
    await browser?.close();
  });

  return {
    /** The uncaught errors and Content-Security-Policy violations seen so far, in any window. */
    problems,
    async open(name: string, viewport: { width: number; height: number }, phone = false): Promise<Page> {
      browser ??= await launchChromium();
      const context = await browser.newContext({ viewport, timezoneId: 'UTC', locale: 'en-GB', isMobile: phone, hasTouch: phone });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      windows.push({ name, page });
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
      });
      return page;
    },
  };
}

/** Signs in on the sign-in page the window shows or is about to show. */
export async function signIn(page: Page, person: { email: string; password: string }): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export interface ApiTask {
  id: string;
  title: string;
  description: string | null;
  status: string;
  priority: string;
  assignee: string | null;
  due_date: string | null;
  updated_at: string;
}

/** Direct calls to the backend, to arrange data and to check what the app really stored. */
export function apiHelper(apiUrl: string) {
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }
  return {
    call,
    async allTasks(query = ''): Promise<ApiTask[]> {
      const params = new URLSearchParams(query);
      if (!params.has('limit')) params.set('limit', '1000');
      const { status, body } = await call('GET', `/tasks?${params}`);
      if (status !== 200) throw new Error(`GET /tasks answered ${status}`);
      return body as ApiTask[];
    },
    async findByTitle(title: string): Promise<ApiTask | undefined> {
      const tasks = await this.allTasks();
      return tasks.find((task) => task.title === title);
    },
  };
}
