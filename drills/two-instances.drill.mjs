// Two instances on one database. (1) Conditional updates: clients read a counter task with its ETag
// and write counter+1 with If-Match, through either instance; every 200 must be one increment, so the
// final value equals the number of successful writes (no lost update). (2) Idempotent retries: each
// creation is sent with its own Idempotency-Key to both instances at once and retried on 409/503/
// network errors; every key must end up with exactly one task, and every answer naming the same task.
import { freshDatabase } from './lib/databases.mjs';
import { keepAliveAgent, request, sleep } from './lib/http.mjs';
import { credentialHeaders, startApi } from './lib/server.mjs';

async function retrying(send) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await send().catch(() => null);
    if (response && response.status !== 409 && response.status !== 503) return response;
    await sleep(20 + Math.random() * 50);
  }
  return null;
}

export const drill = {
  name: 'two-instances',
  criteria: 'no lost conditional update, exactly one task per idempotency key',
  databases: ['sqlite', 'postgres'],
  quick: true,
  async run({ appDir, database, quick }) {
    const db = await freshDatabase(database, 'two-instances');
    try {
      const first = await startApi({ appDir, databaseUrl: db.url });
      const second = await startApi({ appDir, databaseUrl: db.url });
      // Each instance has its own sessions; signing in on the first is enough since both share the database.
      const headers = await credentialHeaders(first);
      const ports = [first.port, second.port];
      const agents = ports.map(() => keepAliveAgent(16));
      const counter = await request({ port: first.port, method: 'POST', path: '/tasks', json: { title: 'counter', description: '0' }, headers });

      let increments = 0;
      let preconditionFailures = 0;
      const writers = Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < (quick ? 25 : 100); i++) {
          const port = ports[(w + i) % 2];
          const agent = agents[(w + i) % 2];
          const current = await request({ port, agent, path: `/tasks/${counter.json.id}`, headers });
          const next = String(Number(current.json.description) + 1);
          const write = await request({ port, agent, method: 'PATCH', path: `/tasks/${counter.json.id}`, json: { description: next },
            headers: { ...headers, 'if-match': current.headers.etag } });
          if (write.status === 200) increments++;
          else if (write.status === 412) preconditionFailures++;
          else throw new Error(`conditional update answered ${write.status}: ${write.body}`);
        }
      });
      await Promise.all(writers);
      const final = Number((await request({ port: second.port, path: `/tasks/${counter.json.id}`, headers })).json.description);

      const keys = Array.from({ length: quick ? 60 : 300 }, (_, i) => `drill-${process.pid}-${i}`);
      const answers = await Promise.all(keys.flatMap((key, i) => ports.map((port, p) => retrying(() => request({
        port, agent: agents[p], method: 'POST', path: '/tasks', json: { title: `idempotent ${i}` }, headers: { ...headers, 'idempotency-key': key },
      })))));
      const unanswered = answers.filter((answer) => answer === null || answer.status !== 201).length;
      const replayed = answers.filter((answer) => answer?.headers['idempotent-replayed'] === 'true').length;
      const list = await request({ port: first.port, path: '/tasks?limit=1000', headers });
      const titles = list.json.filter((task) => task.title.startsWith('idempotent ')).map((task) => task.title);
      const duplicates = titles.length - new Set(titles).size;
      const missing = keys.length - new Set(titles).size;
      const mismatched = keys.filter((_, i) => answers[2 * i]?.json?.id !== answers[2 * i + 1]?.json?.id).length;
      agents.forEach((agent) => agent.destroy());
      await Promise.all([first.stop(), second.stop()]);
      return {
        pass: final === increments && duplicates === 0 && missing === 0 && mismatched === 0 && unanswered === 0,
        figures: `${increments} conditional increments acknowledged (${preconditionFailures} × 412), counter ${final}; ` +
          `${keys.length} keys sent twice each: ${titles.length} tasks, ${duplicates} duplicates, ${missing} missing, ${replayed} replays, ` +
          `${mismatched} keys answered with two different tasks, ${unanswered} not answered 201`,
      };
    } finally {
      await db.drop();
    }
  },
};
