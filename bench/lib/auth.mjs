// Accounts for the benchmark: the API runs as in production (AUTH_MODE=required), so every scenario sends a
// credential. The first start of a data set creates its admin through POST /auth/setup; later starts sign in.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const BENCH_AUTH_ENV = {
  AUTH_MODE: 'required',
  // The same for every API start within one run of the harness (tokens stay valid across restarts), random per run.
  JWT_SECRET: randomBytes(32).toString('hex'),
  SETUP_TOKEN: 'bench-setup-token-0123456789',
  ACCESS_TOKEN_TTL_MINUTES: '60',
};
const ACCOUNT = { email: 'bench@taskflow.test', name: 'Bench Admin', password: 'bench-password-1234' };

async function post(base, path, body, token) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Signs the bench admin in (creating it on a new data set) and creates a write API token. */
export async function benchCredentials(port) {
  const base = `http://127.0.0.1:${port}`;
  const status = await (await fetch(`${base}/auth/status`)).json();
  const session = status.setup_required
    ? await post(base, '/auth/setup', { setup_token: BENCH_AUTH_ENV.SETUP_TOKEN, ...ACCOUNT })
    : await post(base, '/auth/login', { email: ACCOUNT.email, password: ACCOUNT.password });
  const apiToken = await post(base, '/auth/tokens', { name: `bench ${new Date().toISOString()}`, scope: 'write' },
    session.access_token);
  return { accessToken: session.access_token, apiToken: apiToken.token, userId: session.user.id };
}

/**
 * Many API tokens of the bench user, inserted by SQL (creating them through the API would take minutes), for the
 * scenario that measures the 2-second re-check: each token is looked up again once its cached check is 2 s old.
 */
export async function insertApiTokens(db, userId, count) {
  const tokens = [];
  const rows = [];
  const now = new Date();
  for (let i = 0; i < count; i++) {
    const token = `tf_${randomBytes(32).toString('base64url')}`;
    tokens.push(token);
    rows.push([randomUUID(), userId, `bench re-check ${i}`, 'write', createHash('sha256').update(token).digest('hex'), now]);
  }
  await db.insertApiTokens(rows);
  return tokens;
}
