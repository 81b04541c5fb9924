// The load generator, forked as its own process so it never shares an event loop with the server it measures.
// Protocol over IPC: parent sends {run}; worker warms up, sends {warmed}; parent samples the server's CPU and
// resets its peak RSS, sends {go}; worker measures and sends {result}.
import autocannon from 'autocannon';
import { createRandom } from './datagen.mjs';
import { requestFactory } from './scenarios.mjs';

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function attack({ url, connections, seconds, amount, nextRequest }) {
  return new Promise((resolve, reject) => {
    // Latencies are recorded here in full precision (autocannon's histogram rounds to whole milliseconds).
    const latencies = [];
    const statusCodes = {};
    const instance = autocannon({
      url,
      connections,
      // With `amount` (the delete scenario), autocannon stops after that many requests instead of after `seconds`.
      ...(amount === undefined ? { duration: seconds } : { amount }),
      timeout: 30,
      // autocannon checks its stop flag once per sample interval (1 s by default): a 0.8-s quick scenario would run
      // for a whole second, warm-up too. Sampling every 100 ms ends each phase within 0.1 s of its length.
      sampleInt: 100,
      requests: [{ setupRequest: (request) => ({ ...request, ...nextRequest() }) }],
    }, (error, result) => (error ? reject(error) : resolve({ result, latencies, statusCodes })));
    instance.on('response', (client, statusCode, bytes, responseTime) => {
      latencies.push(responseTime);
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    });
  });
}

// Without its parent there is nobody to report to: stop instead of loading a server nobody measures.
process.on('disconnect', () => process.exit(1));

process.once('message', async (job) => {
  try {
    const fixtures = { ...job.fixtures, cursor: 0, deleteCursor: 0, tokenCursor: 0 };
    const nextRequest = requestFactory(job.scenario, fixtures, createRandom(job.seed));
    // Each delete needs an id of its own: the pool is shared out between warm-up and measurement by their
    // durations, so it can never run out and turn the rest of the answers into 404s.
    const pool = fixtures.deleteIds?.length ?? 0;
    const share = job.warmupSeconds / (job.warmupSeconds + job.durationSeconds);
    const amounts = pool > 0 ? [Math.floor(pool * share), pool - Math.floor(pool * share)] : [undefined, undefined];
    if (job.warmupSeconds > 0) {
      await attack({ url: job.url, connections: job.connections, seconds: job.warmupSeconds, amount: amounts[0], nextRequest });
    }
    process.send({ type: 'warmed' });
    await new Promise((resolve) => process.once('message', resolve));
    const started = performance.now();
    const { result, latencies, statusCodes } = await attack({ url: job.url, connections: job.connections,
      seconds: job.durationSeconds, amount: amounts[1], nextRequest });
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const responses = latencies.length;
    const ok = Object.entries(statusCodes).filter(([code]) => code.startsWith('2')).reduce((n, [, c]) => n + c, 0);
    process.send({
      type: 'result',
      result: {
        requests: responses,
        connections: job.connections,
        seconds: elapsed,
        rps: responses / elapsed,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: responses - ok,
        statusCodes,
        poolUsed: fixtures.deleteCursor,
        poolSize: fixtures.deleteIds?.length ?? 0,
      },
    });
  } catch (error) {
    process.send({ type: 'error', message: error.stack ?? String(error) });
  }
  process.removeAllListeners('disconnect');
  process.disconnect();
});
