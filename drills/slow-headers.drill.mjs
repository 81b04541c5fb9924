// Slowloris: 200 connections send their headers one byte at a time and never finish. They must be cut
// off once the headers timeout (10 s, src/server/server-limits.ts) has passed, with at most the
// 1 s check interval on top, while ordinary requests keep being answered promptly.
import net from 'node:net';
import { freshDatabase } from './lib/databases.mjs';
import { keepAliveAgent, percentile, request, sleep } from './lib/http.mjs';
import { credentialHeaders, startApi } from './lib/server.mjs';

const HEADERS_TIMEOUT_S = 10;
const SLOW_CLIENTS = 200;

function slowClient(port) {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    const head = 'GET /tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';
    let sent = 0;
    let answer = '';
    const timer = setInterval(() => {
      socket.write(sent < head.length ? head[sent] : 'a');
      sent++;
    }, 500);
    socket.on('data', (chunk) => (answer += chunk));
    const done = () => {
      clearInterval(timer);
      resolve({ seconds: (performance.now() - started) / 1000, status: answer.match(/^HTTP\/1\.1 (\d+)/)?.[1] ?? 'none' });
    };
    socket.on('close', done);
    socket.on('error', () => undefined);
    // Bound the drill even if the server never cuts the client.
    setTimeout(() => socket.destroy(), (HEADERS_TIMEOUT_S + 20) * 1000).unref();
  });
}

export const drill = {
  name: 'slow-headers',
  criteria: `every slow client cut off within ${HEADERS_TIMEOUT_S} + 2 s, ordinary requests all 2xx with p99 under 500 ms`,
  databases: ['sqlite'],
  quick: true,
  async run({ appDir, database }) {
    const db = await freshDatabase(database, 'slow-headers');
    try {
      const api = await startApi({ appDir, databaseUrl: db.url });
      const headers = await credentialHeaders(api);
      const slow = Promise.all(Array.from({ length: SLOW_CLIENTS }, () => slowClient(api.port)));
      const agent = keepAliveAgent(4);
      const latencies = [];
      let failures = 0;
      let finished = false;
      slow.then(() => (finished = true));
      while (!finished) {
        const response = await request({ port: api.port, path: '/tasks?limit=10', headers, agent }).catch(() => null);
        if (response?.status === 200) latencies.push(response.ms);
        else failures++;
        await sleep(50);
      }
      const cut = await slow;
      agent.destroy();
      await api.stop();
      const longest = Math.max(...cut.map((c) => c.seconds));
      const statuses = [...new Set(cut.map((c) => c.status))].join('/');
      const p99 = percentile(latencies, 99);
      return {
        pass: longest <= HEADERS_TIMEOUT_S + 2 && failures === 0 && p99 < 500,
        figures: `${SLOW_CLIENTS} slow clients cut off after ${Math.min(...cut.map((c) => c.seconds)).toFixed(1)}-${longest.toFixed(1)} s ` +
          `(answer ${statuses}); meanwhile ${latencies.length} ordinary requests, ${failures} failed, p99 ${p99.toFixed(0)} ms`,
      };
    } finally {
      await db.drop();
    }
  },
};
