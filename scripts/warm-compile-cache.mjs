// Fills dist/.compile-cache (src/server/compile-cache.ts) at build time, so that the first production start after a
// deploy already finds its modules compiled: render.yaml's build command runs it after `npm run build`. It starts
// the build once as render.yaml does (its Node flags, NODE_ENV=production) but on a throw-away SQLite database,
// accounts off and nothing configured to send, waits for a healthy GET /health and stops it; the start writes what
// it compiled. PostgreSQL's driver, which that start does not load, is compiled into the cache here too.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire, enableCompileCache, flushCompileCache } from 'node:module';
import { createServer, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { productionNodeFlags } from './production-start.mjs';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'dist', 'main.js');
const CACHE_DIR = join(ROOT, 'dist', '.compile-cache');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const healthy = (port) => new Promise((resolve) => {
  get({ host: '127.0.0.1', port, path: '/health', timeout: 2000 }, (response) => {
    response.resume();
    resolve(response.statusCode === 200);
  }).on('error', () => resolve(false));
});

async function startOnce() {
  const work = mkdtempSync(join(tmpdir(), 'taskflow-warm-'));
  const port = await freePort();
  // Only what the start needs: no database, error tracker or mail server of the deployment is ever reached.
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', PORT: String(port),
    DATABASE_URL: `sqlite:///${join(work, 'warm.db')}`, AUTH_MODE: 'off', LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, [...productionNodeFlags(), MAIN], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const started = Date.now();
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}) before it was healthy`);
      if (Date.now() - started > 120_000) throw new Error('the API was not healthy after 120 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(work, { recursive: true, force: true });
  }
}

await startOnce();
// The same directory and options as src/server/compile-cache.ts, then PostgreSQL's driver as the API requires it.
enableCompileCache({ directory: CACHE_DIR, portable: true });
createRequire(MAIN)('pg');
flushCompileCache();
console.log(`Compile cache written to ${CACHE_DIR}`);
