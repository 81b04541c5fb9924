import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The app over a backend with accounts off (`AUTH_MODE=off`), and that backend's own address. */
    appUrl: string;
    apiUrl: string;
    /** The app over a backend with accounts on (`AUTH_MODE=required`, an empty database), and that backend. */
    authAppUrl: string;
    authApiUrl: string;
    /** The SETUP_TOKEN the accounts backends were started with. */
    setupToken: string;
    /** Another app and backend with accounts on and an empty database, for two people watching the same board. */
    liveAppUrl: string;
    liveApiUrl: string;
    /** One more with accounts on and an empty database, for a team organising work in projects. */
    collabAppUrl: string;
    collabApiUrl: string;
    /** One more with accounts on and an empty database, for a conversation in comments and the inbox. */
    commentsAppUrl: string;
    commentsApiUrl: string;
    /** One more with accounts off and an empty database, for what a person typed and moved (its board's counts). */
    typedAppUrl: string;
    typedApiUrl: string;
    /** One more with accounts on, allowed to deliver webhooks to 127.0.0.1 and retrying them after 1, 5, 30… seconds. */
    hooksAppUrl: string;
    hooksApiUrl: string;
    /** The built app, for a file that starts a backend of its own (e-mail, with the file's own SMTP server). */
    appBuildDir: string;
    /** One more with accounts on and an empty database, for the keyboard, screen-reader and first-screen checks. */
    a11yAppUrl: string;
    a11yApiUrl: string;
  }
}

const frontendDir = resolve(__dirname, '..');
const repoDir = resolve(frontendDir, '..');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

export async function waitForHealth(url: string, backend: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (backend.exitCode !== null) throw new Error(`The backend exited with ${backend.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`The backend did not answer /health within 60 s:\n${log()}`);
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * The Content-Security-Policy the static site is published with (render.yaml), connecting to its own origin only
 * (the API is under /api there), so that anything the policy would block in production fails here too.
 */
function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Forwards a request under /api to the backend without the prefix, as the static host's rewrite does in production
 * (render.yaml), so that the session cookie is the app's own.
 */
function proxyToApi(request: IncomingMessage, response: ServerResponse, apiOrigin: string): void {
  const url = new URL(request.url ?? '/', 'http://host');
  const target = new URL(`${url.pathname.replace(/^\/api/, '') || '/'}${url.search}`, apiOrigin);
  const upstream = httpRequest(target, { method: request.method, headers: { ...request.headers, host: target.host } }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on('error', () => {
    response.writeHead(502, { 'Content-Type': 'text/plain' });
    response.end('The backend is not reachable.');
  });
  request.pipe(upstream);
}

/** Serves the built app as a static host does: /api to the backend, files as they are, index.html for other paths. */
export function serveStatic(root: string, apiOrigin: string): Server {
  const policy = contentSecurityPolicy();
  return createServer((request, response) => {
    if (/^\/api(\/|\?|$)/.test(request.url ?? '')) {
      proxyToApi(request, response, apiOrigin);
      return;
    }
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    response.writeHead(200, {
      'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': policy,
    });
    response.end(readFileSync(file));
  });
}

export interface Backend {
  name: string;
  url: string;
  process: ChildProcess;
  log: () => string;
}

/** Starts the built backend on a free port and a fresh SQLite file in `workDir`. */
export async function startBackend(workDir: string, name: string, env: Record<string, string>): Promise<Backend> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: repoDir,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: `sqlite:///${join(workDir, `${name}.db`)}`,
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { name, url: `http://127.0.0.1:${port}`, process: child, log: () => output };
}

export async function stopBackend(backend: Backend): Promise<void> {
  const { name } = backend;
  const exitedEarly = backend.process.exitCode !== null || backend.process.signalCode !== null;
  backend.process.kill();
  await new Promise((done) => (backend.process.exitCode !== null ? done(null) : backend.process.once('exit', done)));
  // The backend's own log explains a failed step (a crash, a 500) better than the browser can.
  mkdirSync(join(frontendDir, 'test-results'), { recursive: true });
  writeFileSync(join(frontendDir, 'test-results', `backend-${name}.log`), backend.log());
  if (exitedEarly) console.error(`The ${name} backend stopped during the tests; its log is in test-results/backend-${name}.log`);
}

/**
 * Starts the real backend on fresh SQLite files, with accounts off (the tasks screens as before) and twice with
 * accounts on (empty workspaces to set up: one for the accounts, one for live updates), builds the app once and
 * serves the build in front of each, with /api forwarded to its backend: the way a person's browser meets them in
 * production.
 */
export default async function setup(project: TestProject) {
  const workDir = mkdtempSync(join(tmpdir(), 'taskflow-e2e-'));
  const setupToken = `e2e-setup-${randomBytes(12).toString('hex')}`;

  const backendEntry = join(repoDir, 'dist', 'main.js');
  // A missing build on a shared checkout usually means `nest build` is rewriting it right now: give that a
  // moment before starting a second build into the same folder.
  for (let waited = 0; !existsSync(backendEntry) && waited < 30_000; waited += 1000) {
    await new Promise((done) => setTimeout(done, 1000));
  }
  if (!existsSync(backendEntry)) {
    const built = spawnSync('npm', ['run', 'build'], { cwd: repoDir, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('Building the backend (npm run build in the repository root) failed.');
  }

  const backends: Backend[] = [];
  const servers: Server[] = [];
  const [appPort, authAppPort, liveAppPort, collabAppPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const commentsAppPort = await freePort();
  const typedAppPort = await freePort();
  const a11yAppPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const authAppUrl = `http://127.0.0.1:${authAppPort}`;
  const liveAppUrl = `http://127.0.0.1:${liveAppPort}`;
  const collabAppUrl = `http://127.0.0.1:${collabAppPort}`;
  const commentsAppUrl = `http://127.0.0.1:${commentsAppPort}`;
  const typedAppUrl = `http://127.0.0.1:${typedAppPort}`;
  const hooksAppPort = await freePort();
  const hooksAppUrl = `http://127.0.0.1:${hooksAppPort}`;
  const a11yAppUrl = `http://127.0.0.1:${a11yAppPort}`;
  try {
    const off = await startBackend(workDir, 'off', { AUTH_MODE: 'off', CORS_ORIGINS: appUrl });
    backends.push(off);
    const accountsOn = (origin: string) => ({
      AUTH_MODE: 'required',
      SETUP_TOKEN: setupToken,
      JWT_SECRET: randomBytes(32).toString('hex'),
      REGISTRATION: 'invite',
      CORS_ORIGINS: origin,
    });
    const required = await startBackend(workDir, 'required', accountsOn(authAppUrl));
    backends.push(required);
    // Its own workspace, so that neither file depends on what the other did or on the order they run in.
    const live = await startBackend(workDir, 'live', accountsOn(liveAppUrl));
    backends.push(live);
    const collab = await startBackend(workDir, 'collab', accountsOn(collabAppUrl));
    backends.push(collab);
    const comments = await startBackend(workDir, 'comments', accountsOn(commentsAppUrl));
    backends.push(comments);
    const typed = await startBackend(workDir, 'typed', { AUTH_MODE: 'off', CORS_ORIGINS: typedAppUrl });
    backends.push(typed);
    // Webhooks to the test's own receiver on 127.0.0.1, which the URL rules otherwise refuse; retries in seconds.
    const hooks = await startBackend(workDir, 'hooks', {
      ...accountsOn(hooksAppUrl),
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_BASE_SECONDS: '1',
    });
    backends.push(hooks);
    const a11y = await startBackend(workDir, 'a11y', accountsOn(a11yAppUrl));
    backends.push(a11y);

    const outDir = join(workDir, 'dist');
    await Promise.all([
      waitForHealth(off.url, off.process, off.log),
      waitForHealth(required.url, required.process, required.log),
      waitForHealth(live.url, live.process, live.log),
      waitForHealth(collab.url, collab.process, collab.log),
      waitForHealth(comments.url, comments.process, comments.log),
      waitForHealth(typed.url, typed.process, typed.log),
      waitForHealth(hooks.url, hooks.process, hooks.log),
      waitForHealth(a11y.url, a11y.process, a11y.log),
      (async () => {
        // The app calls /api on its own origin, as in production; an inherited override would point it elsewhere.
        delete process.env.VITE_API_URL;
        await build({
          root: frontendDir,
          configFile: join(frontendDir, 'vite.config.ts'),
          logLevel: 'warn',
          build: { outDir, emptyOutDir: true },
        });
      })(),
    ]);
    for (const [port, backend] of [
      [appPort, off],
      [authAppPort, required],
      [liveAppPort, live],
      [collabAppPort, collab],
      [commentsAppPort, comments],
      [typedAppPort, typed],
      [hooksAppPort, hooks],
      [a11yAppPort, a11y],
    ] as const) {
      const server = serveStatic(outDir, backend.url);
      servers.push(server);
      await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    }

    project.provide('appUrl', appUrl);
    project.provide('apiUrl', off.url);
    project.provide('authAppUrl', authAppUrl);
    project.provide('authApiUrl', required.url);
    project.provide('setupToken', setupToken);
    project.provide('liveAppUrl', liveAppUrl);
    project.provide('liveApiUrl', live.url);
    project.provide('collabAppUrl', collabAppUrl);
    project.provide('collabApiUrl', collab.url);
    project.provide('commentsAppUrl', commentsAppUrl);
    project.provide('commentsApiUrl', comments.url);
    project.provide('typedAppUrl', typedAppUrl);
    project.provide('typedApiUrl', typed.url);
    project.provide('hooksAppUrl', hooksAppUrl);
    project.provide('hooksApiUrl', hooks.url);
    project.provide('appBuildDir', outDir);
    project.provide('a11yAppUrl', a11yAppUrl);
    project.provide('a11yApiUrl', a11y.url);
  } catch (error) {
    for (const backend of backends) backend.process.kill();
    for (const server of servers) server.close();
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }

  return async () => {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
    await Promise.all(backends.map((backend) => stopBackend(backend)));
    rmSync(workDir, { recursive: true, force: true });
  };
}
