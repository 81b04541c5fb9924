import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';

// A web app built with VITE_SENTRY_DSN reports a render error to a real local HTTP server standing in for
// Sentry's ingest endpoint. The app gets its own build here; the API is played by the browser's request routing.

const frontendDir = resolve(__dirname, '..');
const events: Record<string, unknown>[] = [];
let ingest: Server;
let site: Server;
let browser: Browser;
let workDir: string;
let siteUrl: string;

function listen(server: Server): Promise<number> {
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)));
}

function startIngest(): Server {
  return createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      // An envelope: a header line, then (item header, payload) line pairs; keep the `event` payloads.
      const lines = body.split('\n').filter(Boolean);
      for (let index = 1; index + 1 < lines.length; index += 2) {
        if ((JSON.parse(lines[index]) as { type?: string }).type === 'event') events.push(JSON.parse(lines[index + 1]));
      }
      response.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end('{}');
    });
  });
}

/** The build served as the static host serves it, with render.yaml's policy allowing the local ingest server. */
function serveBuild(root: string, ingestOrigin: string): Server {
  const policy = `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ${ingestOrigin}`;
  return createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://site').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    const type = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' }[extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': policy }).end(readFileSync(file));
  });
}

describe('browser error tracking', () => {
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'taskflow-sentry-e2e-'));
    ingest = startIngest();
    const ingestPort = await listen(ingest);
    const outDir = join(workDir, 'dist');
    delete process.env.VITE_API_URL;
    process.env.VITE_SENTRY_DSN = `http://0123456789abcdef@127.0.0.1:${ingestPort}/7`;
    process.env.VITE_SENTRY_ENVIRONMENT = 'e2e';
    try {
      await build({
        root: frontendDir,
        configFile: join(frontendDir, 'vite.config.ts'),
        logLevel: 'warn',
        build: { outDir, emptyOutDir: true },
      });
    } finally {
      delete process.env.VITE_SENTRY_DSN;
      delete process.env.VITE_SENTRY_ENVIRONMENT;
    }
    site = serveBuild(outDir, `http://127.0.0.1:${ingestPort}`);
    siteUrl = `http://127.0.0.1:${await listen(site)}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => site?.close(done));
    await new Promise((done) => ingest?.close(done));
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('reports an error thrown while rendering to the ingest server, and shows a fallback screen', async () => {
    const page = await browser.newPage();
    // The API answers as a backend with accounts off would, except that the task list is not a list: the list
    // view throws while rendering it.
    await page.route(
      (url) => url.origin === siteUrl && url.pathname.startsWith('/api/'),
      (route) => {
        const path = new URL(route.request().url()).pathname;
        if (path === '/api/auth/status') {
          return route.fulfill({ json: { auth_mode: 'off', setup_required: false, registration: 'invite' } });
        }
        if (path === '/api/auth/refresh') {
          return route.fulfill({ status: 401, json: { statusCode: 401, error: 'Unauthorized', message: 'No session' } });
        }
        if (path === '/api/tasks') return route.fulfill({ json: { not: 'a list' }, headers: { 'X-Total-Count': '1' } });
        return route.fulfill({ status: 404, json: { statusCode: 404, error: 'Not Found', message: `Cannot GET ${path}` } });
      },
    );
    await page.goto(`${siteUrl}/?invitation=secret-invitation-code`);
    const deadline = Date.now() + 20_000;
    while (events.length === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 200));
    // Not a blank page: a friendly screen in place of the broken view, with the header still there.
    await page.getByRole('alert').getByText('Something went wrong on this page.').waitFor();
    await page.getByRole('button', { name: 'Reload the page' }).waitFor();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    await page.close();

    expect(events.length).toBeGreaterThan(0);
    const [event] = events;
    expect(event).toMatchObject({ environment: 'e2e', platform: 'javascript' });
    const exception = (event.exception as { values: { type: string; value: string }[] }).values.at(-1);
    expect(exception?.type).toBe('TypeError');
    expect(exception?.value).toMatch(/is not a function|is not iterable/);
    expect(JSON.stringify(events)).not.toContain('secret-invitation-code');
  });
});
