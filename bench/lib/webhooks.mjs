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

/**
 * Starts the receiver and registers the webhooks. `finish()` waits until deliveries stop arriving (2 s without
 * one, at most 120 s: the API delivers in the background, so some arrive after the measured seconds), removes the
 * webhooks and returns what arrived and how long the backlog took to drain after the scenario.
 *
 * `startCpuMeter()` starts counting server + database CPU once the webhooks exist, read when the last delivery has
 * arrived, so that `cpuMsPerWrite` charges each write with everything it cost, its deliveries included, even
 * those sent after the measured seconds: that window's CPU divided by the writes delivered (deliveries received /
 * webhooks; each write is one event to every webhook), warm-up writes included on both sides.
 */
export async function startWebhookReceiver(apiPort, token, count, startCpuMeter) {
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
  const cpuSinceStart = await startCpuMeter();
  return {
    async finish() {
      const ended = performance.now();
      while (performance.now() - lastArrival < 2000 && performance.now() - ended < 120_000) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const drainSeconds = Math.max(0, (lastArrival - ended) / 1000);
      const drained = performance.now() - lastArrival >= 2000;
      const cpuMs = await cpuSinceStart();
      const writes = deliveries.size / count;
      for (const webhook of webhooks) await api(apiPort, token, 'DELETE', `/webhooks/${webhook.id}`).catch(() => {});
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      return { count, received: deliveries.size, drainSeconds, drained, cpuMsPerWrite: writes ? cpuMs / writes : null };
    },
  };
}
