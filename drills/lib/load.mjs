// Closed-loop load: `concurrency` loops, each sending its next request as soon as the previous one
// ends, over keep-alive connections, until `until()` says stop. Every outcome is kept.
import { keepAliveAgent, newTask, request } from './http.mjs';

/** A mix of the API's everyday requests: lists, single reads, creations, updates. */
export function mixedRequest(ids, counter) {
  const i = counter.next++;
  const id = ids.length > 0 ? ids[i % ids.length] : undefined;
  switch (i % 5) {
    case 0:
      return { method: 'POST', path: '/tasks', json: newTask(i) };
    case 1:
      return id ? { method: 'PATCH', path: `/tasks/${id}`, json: { description: `update ${i}` } } : { path: '/tasks?limit=20' };
    case 2:
      return id ? { path: `/tasks/${id}` } : { path: '/tasks/count' };
    case 3:
      return { path: '/tasks?limit=20&sort=updated_at&order=desc' };
    default:
      return { path: '/tasks/stats' };
  }
}

export async function runLoad({ port, headers = {}, concurrency, until, makeRequest, timeoutMs = 10_000, onResult }) {
  const agent = keepAliveAgent(concurrency);
  const results = [];
  const loop = async () => {
    while (!until()) {
      const spec = makeRequest();
      const outcome = await request({ port, agent, timeoutMs, ...spec, headers: { ...headers, ...spec.headers } }).then(
        (response) => ({ spec, status: response.status, headers: response.headers, json: response.json, ms: response.ms, sentAt: response.sentAt,
          reused: response.reused }),
        (error) => ({ spec, error: error.code ?? error.message, sentAt: error.sentAt, reused: error.reused, failedAt: performance.now() }),
      );
      results.push(outcome);
      onResult?.(outcome);
      // A refused connection means the server is gone; do not spin on it.
      if (outcome.error === 'ECONNREFUSED') await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  agent.destroy();
  return results;
}
