// The webhook scenarios' receiver (issue 19): a node:http server on 127.0.0.1 that answers every delivery 200 at
// once, and `count` active webhooks (all events) pointing at it, created through the API for the scenario's length.
import http from 'node:http';

async function api(port, token, method, path, body) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Where the API's deliveries stand: the change log's end, the fan-out's position in it, and deliveries still due. */
async function deliveryBacklog(db) {
  const [row] = await db.query(`SELECT (SELECT COALESCE(MAX(seq), 0) FROM task_changes) AS logged,
    (SELECT last_seq FROM webhook_fanout WHERE id = 1) AS fanned,
    (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at IS NOT NULL) AS pending`);
  return { logged: Number(row.logged), fanned: Number(row.fanned), pending: Number(row.pending) };
}

/** The most `finish()` waits for the backlog to drain after the scenario. */
const DRAIN_LIMIT_MS = 240_000;

/**
 * Starts the receiver and registers the webhooks. `finish()` waits until the API has sent every delivery (the
 * fan-out has reached the change log's end and no delivery is due; at most DRAIN_LIMIT_MS: the API delivers in the
 * background, so some arrive after the measured seconds), removes the webhooks and returns what arrived and how
 * long the backlog took to drain after the scenario.
 *
 * `startCpuMeter()` starts counting server + database CPU once the webhooks exist; read again once the backlog has
 * drained, it gives `cpuMsPerWrite`: each write charged with everything it cost, its deliveries included, even those
 * sent after the measured seconds (that window's CPU over the change-log entries written in it, warm-up included).
 */
export async function startWebhookReceiver(apiPort, token, count, startCpuMeter, db) {
  const deliveries = new Set();
  let lastArrival = performance.now();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      deliveries.add(req.headers['taskflow-delivery']);
      lastArrival = performance.now();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/hook`;
  const webhooks = [];
  for (let i = 0; i < count; i++) {
    webhooks.push(await api(apiPort, token, 'POST', '/webhooks', { url, events: ['*'], description: `bench receiver ${i + 1}` }));
  }
  const loggedAtStart = (await deliveryBacklog(db)).logged;
  const cpuSinceStart = await startCpuMeter();
  return {
    async finish() {
      const ended = performance.now();
      let backlog = await deliveryBacklog(db);
      while ((backlog.fanned < backlog.logged || backlog.pending > 0) && performance.now() - ended < DRAIN_LIMIT_MS) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        backlog = await deliveryBacklog(db);
      }
      const cpuMs = await cpuSinceStart();
      const drained = backlog.fanned >= backlog.logged && backlog.pending === 0;
      const drainSeconds = Math.max(0, (lastArrival - ended) / 1000);
      const [{ writes }] = await db.query(`SELECT COUNT(*) AS writes FROM task_changes WHERE seq > ${loggedAtStart}`);
      for (const webhook of webhooks) await api(apiPort, token, 'DELETE', `/webhooks/${webhook.id}`).catch(() => {});
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      return { count, received: deliveries.size, drainSeconds, drained, cpuMsPerWrite: Number(writes) ? cpuMs / Number(writes) : null, writes: Number(writes) };
    },
  };
}
