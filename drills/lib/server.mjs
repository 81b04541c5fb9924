// Starting the production build the way Render does (render.yaml's Node flags), and signing in when
// accounts exist.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { productionNodeFlags, productionRuntimeEnv } from '../../scripts/production-start.mjs';
import { request } from './http.mjs';

const PRODUCTION_NODE_FLAGS = productionNodeFlags();
const PRODUCTION_RUNTIME_ENV = productionRuntimeEnv();
const SETUP_TOKEN = 'drills-setup-token-0123456789';
// Random for each run of the drills, the same for every server start within it.
const JWT_SECRET = randomBytes(32).toString('hex');

/** The drills run as production does, with accounts on; DRILLS_AUTH_MODE=off runs them on the v1 API. */
export function authEnabled() {
  return process.env.DRILLS_AUTH_MODE !== 'off';
}

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

let nextPort = Number(process.env.DRILLS_BASE_PORT ?? 8450);
export function allocatePort() {
  return nextPort++;
}

/** Spawns `node <flags> dist/main.js` and resolves once /health answers 200. */
export async function startApi({ appDir, databaseUrl, port = allocatePort(), env = {}, timeoutMs = 30_000 }) {
  const auth = authEnabled()
    ? { AUTH_MODE: 'required', SETUP_TOKEN, JWT_SECRET, ACCESS_TOKEN_TTL_MINUTES: '60' }
    : { AUTH_MODE: 'off' };
  const child = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, 'dist/main.js'], {
    cwd: appDir,
    env: { ...process.env, NODE_ENV: 'production', ...PRODUCTION_RUNTIME_ENV, LOG_LEVEL: 'warn', ...auth, ...env, PORT: String(port), DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let log = '';
  const patterns = new Map();
  const keep = (chunk) => {
    log = (log + chunk).slice(-20_000);
    for (const line of String(chunk).split('\n')) {
      for (const [pattern, count] of patterns) if (pattern.test(line)) patterns.set(pattern, count + 1);
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    running.delete(child);
    resolve({ code, signal, at: performance.now() });
  }));
  let exitInfo;
  exited.then((info) => (exitInfo = info));
  const started = performance.now();
  for (;;) {
    if (exitInfo) throw new Error(`the API exited (${exitInfo.code ?? exitInfo.signal}) before it was healthy:\n${log}`);
    const health = await request({ port, path: '/health', timeoutMs: 2_000 }).catch(() => null);
    if (health?.status === 200) break;
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`the API was not healthy after ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    pid: child.pid,
    child,
    exited,
    log: () => log,
    /** Starts counting the log lines that match `pattern`; returns a function giving the count so far. */
    countLines: (pattern) => {
      patterns.set(pattern, 0);
      return () => patterns.get(pattern);
    },
    rssMb: () => {
      const match = readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
      return match ? Number(match[1]) / 1024 : NaN;
    },
    signal: (name) => child.kill(name),
    async stop() {
      if (exitInfo) return exitInfo;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const info = await exited;
      clearTimeout(timer);
      return info;
    },
  };
}

/**
 * The headers every drill request carries: `Authorization` when accounts are on (the first admin is
 * set up on first use of a database), nothing otherwise.
 */
export async function credentialHeaders(api) {
  if (!authEnabled()) return {};
  const setup = await request({
    port: api.port,
    method: 'POST',
    path: '/auth/setup',
    json: { setup_token: SETUP_TOKEN, email: 'drills@example.com', name: 'Drills', password: 'drills-password-123' },
  });
  let token = setup.json?.access_token;
  if (setup.status === 409) {
    const login = await request({
      port: api.port,
      method: 'POST',
      path: '/auth/login',
      json: { email: 'drills@example.com', password: 'drills-password-123' },
    });
    token = login.json?.access_token;
  }
  if (!token) throw new Error(`could not sign in: ${setup.status} ${setup.body}`);
  return { authorization: `Bearer ${token}` };
}

