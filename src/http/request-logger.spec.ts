import express from 'express';
import { Writable } from 'node:stream';
import type { LevelWithSilent } from 'pino';
import request from 'supertest';
import { assignRequestId } from '../observability/request-context';
import { createAppLogger, logRequests } from './request-logger';

/** An app as configureApp mounts the two middlewares, and the JSON lines its logger writes. */
function loggedApp(level: LevelWithSilent) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>));
      done();
    },
  });
  const logger = createAppLogger(level, destination);
  const app = express();
  app.use((req, res, next) => {
    assignRequestId(req, res);
    next();
  });
  app.use(logRequests(logger));
  app.get('/ok', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/fault', async (_req, res) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    logger.error({ user: { password: 'hunter2' } }, 'disk on fire');
    res.status(500).json({});
  });
  app.get('/outage', (_req, res) => {
    res.status(503).json({});
  });
  return { app, lines, logger };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('logRequests', () => {
  it('writes one completion line per request at info, with the request id, method, path, status and duration', async () => {
    const { app, lines } = loggedApp('info');
    await request(app).get('/ok?ticket=secret-ticket').set('X-Request-Id', 'req-1').expect(200);
    await settle();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        request_id: 'req-1',
        req: { id: 'req-1', method: 'GET', url: '/ok?ticket=[redacted]', ip: expect.any(String) },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
        msg: expect.stringMatching(/^GET \/ok\?ticket=\[redacted\] 200 \d+ms$/),
      }),
    ]);
  });

  it('puts the request id on every line written while the request is served, across awaits, and redacts secrets', async () => {
    const { app, lines } = loggedApp('info');
    await request(app).get('/fault').set('X-Request-Id', 'fault-7').expect(500);
    await settle();
    expect(lines.map((line) => [line.msg, line.request_id, line.level])).toEqual([
      ['disk on fire', 'fault-7', 50],
      ['GET /fault 500', 'fault-7', 50],
    ]);
    expect(lines[0]?.user).toEqual({ password: '[redacted]' });
    expect(lines[1]?.err).toEqual(expect.objectContaining({ message: 'failed with status code 500' }));
  });

  it('logs a 503 at warn, and nothing of a successful request at warn', async () => {
    const { app, lines } = loggedApp('warn');
    await request(app).get('/ok').expect(200);
    await request(app).get('/outage').set('X-Request-Id', 'outage-1').expect(503);
    await settle();
    expect(lines.map((line) => [line.msg, line.level, line.request_id])).toEqual([['GET /outage 503', 40, 'outage-1']]);
  });

  it('writes lines outside any request without a request id', () => {
    const { logger, lines } = loggedApp('info');
    logger.info('started');
    return settle().then(() => expect(lines).toEqual([expect.not.objectContaining({ request_id: expect.anything() })]));
  });
});
