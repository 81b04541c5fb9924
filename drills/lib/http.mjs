// A small HTTP client on node:http, so that every figure the drills print comes from requests whose
// timing and failures they fully see (a status, a reset, a timeout).
import http from 'node:http';

/**
 * Sends one request; resolves { status, headers, body, json, ms, sentAt, reused } or rejects with the
 * network error (error.code ECONNRESET, ECONNREFUSED, TIMEOUT...). `sentAt` is when the whole request
 * was handed to the kernel on a connected socket, which is what "in flight" means in the drills;
 * `reused` says the connection had already carried an answer (the server had accepted it).
 */
export function request({ port, method = 'GET', path = '/', headers = {}, json, body, agent = false, timeoutMs = 10_000 }) {
  const payload = json !== undefined ? JSON.stringify(json) : body;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          if (req.socket) req.socket.answeredBefore = true;
          resolve({ status: res.statusCode, headers: res.headers, body: text, json: parsed, ms: performance.now() - started, sentAt, reused });
        });
        res.on('error', reject);
      },
    );
    // Sent means written to a connected socket: on a new connection Node buffers the request (and says
    // 'finish') before the TCP handshake is even done.
    let sentAt;
    let finished = false;
    let connected = false;
    const markSent = () => {
      if (finished && connected && sentAt === undefined) sentAt = performance.now();
    };
    req.on('finish', () => {
      finished = true;
      markSent();
    });
    let reused = false;
    req.on('socket', (socket) => {
      reused = socket.answeredBefore === true;
      const onConnect = () => {
        connected = true;
        markSent();
      };
      if (socket.connecting) socket.once('connect', onConnect);
      else onConnect();
    });
    req.setTimeout(timeoutMs, () => {
      const error = new Error(`no answer within ${timeoutMs} ms`);
      error.code = 'TIMEOUT';
      req.destroy(error);
    });
    req.on('error', (error) => {
      error.sentAt = sentAt;
      error.reused = reused;
      reject(error);
    });
    req.end(payload);
  });
}

export function keepAliveAgent(maxSockets = 64) {
  return new http.Agent({ keepAlive: true, maxSockets });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function newTask(i) {
  return { title: `drill task ${i}`, priority: ['low', 'medium', 'high'][i % 3], assignee: `user${i % 7}` };
}
