import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    apiUrl: string;
  }
}

const frontendDir = resolve(__dirname, '..');
const repoDir = resolve(frontendDir, '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

async function waitForHealth(url: string, backend: ChildProcess, log: () => string): Promise<void> {
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
 * The Content-Security-Policy the static site is published with (render.yaml), with the test API's origin allowed
 * to connect, so that anything the policy would block in production fails here too.
 */
function contentSecurityPolicy(apiOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${apiOrigin}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Serves the built app as a static host does: files as they are, index.html for every other path. */
function serveStatic(root: string, apiOrigin: string): Server {
  const policy = contentSecurityPolicy(apiOrigin);
  return createServer((request, response) => {
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

/**
 * Starts the real backend on a fresh SQLite file, builds the app against it and serves the build, the way a
 * person's browser meets them in production.
 */
export default async function setup(project: TestProject) {
  const workDir = mkdtempSync(join(tmpdir(), 'taskflow-e2e-'));
  const [apiPort, appPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const appUrl = `http://127.0.0.1:${appPort}`;

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

  let output = '';
  const backend = spawn(process.execPath, ['dist/main.js'], {
    cwd: repoDir,
    env: {
      ...process.env,
      PORT: String(apiPort),
      DATABASE_URL: `sqlite:///${join(workDir, 'e2e.db')}`,
      NODE_ENV: 'test',
      CORS_ORIGINS: appUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  backend.stdout?.on('data', collect);
  backend.stderr?.on('data', collect);

  let server: Server | undefined;
  try {
    const outDir = join(workDir, 'dist');
    await Promise.all([
      waitForHealth(apiUrl, backend, () => output),
      (async () => {
        // Vite reads VITE_* variables from the environment, as `VITE_API_URL=... npm run build` would set them.
        process.env.VITE_API_URL = apiUrl;
        await build({
          root: frontendDir,
          configFile: join(frontendDir, 'vite.config.ts'),
          logLevel: 'warn',
          build: { outDir, emptyOutDir: true },
        });
      })(),
    ]);
    server = serveStatic(outDir, apiUrl);
    await new Promise<void>((done) => server!.listen(appPort, '127.0.0.1', done));
  } catch (error) {
    backend.kill();
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }

  project.provide('appUrl', appUrl);
  project.provide('apiUrl', apiUrl);

  return async () => {
    await new Promise((done) => server?.close(done));
    const exitedEarly = backend.exitCode !== null || backend.signalCode !== null;
    backend.kill();
    await new Promise((done) => (backend.exitCode !== null ? done(null) : backend.once('exit', done)));
    // The backend's own log explains a failed step (a crash, a 500) better than the browser can.
    mkdirSync(join(frontendDir, 'test-results'), { recursive: true });
    writeFileSync(join(frontendDir, 'test-results', 'backend.log'), output);
    if (exitedEarly) console.error(`The backend stopped during the tests; its log is in test-results/backend.log`);
    rmSync(workDir, { recursive: true, force: true });
  };
}
