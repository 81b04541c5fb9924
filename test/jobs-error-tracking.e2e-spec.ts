import { NestExpressApplication } from '@nestjs/platform-express';
import * as Sentry from '@sentry/nestjs';
import { DataSource } from 'typeorm';
import { JobsService } from '../src/jobs/jobs.service';
import { createObservedApp } from './observability-test-app';
import { FakeSentryIngest } from './sentry-ingest';

const PINO_ERROR = 50;

describe('A job that fails for good (e2e)', () => {
  const ingest = new FakeSentryIngest();
  const logLines: string[] = [];
  let app: NestExpressApplication;

  beforeAll(async () => {
    const dsn = await ingest.start();
    app = await createObservedApp({ logLines, config: { sentryDsn: dsn, sentryEnvironment: 'staging' } });
    await app.get(DataSource).query('DELETE FROM jobs');
  });
  afterAll(async () => {
    await app.close();
    await Sentry.close(2_000);
    await ingest.stop();
  });

  it('is logged at error level and reported to the error tracker with its kind and id', async () => {
    const jobs = app.get(JobsService);
    jobs.register('test.doomed', async () => {
      throw new Error('the printer is on fire');
    }, { delayMs: () => 1_000, maxAttempts: 1 });
    await jobs.enqueue('test.doomed', {});
    await jobs.runDue();
    const [{ id }] = await app.get(DataSource).query(`SELECT id FROM jobs WHERE kind = 'test.doomed' AND status = 'failed'`);
    const [event] = await ingest.waitForEvents(1);
    expect(event).toMatchObject({ environment: 'staging', tags: { phase: 'background', job_kind: 'test.doomed', job_id: id } });
    const exception = (event.exception as { values: { value: string }[] }).values.at(-1);
    expect(exception?.value).toBe('the printer is on fire');
    const errorLines = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.level === PINO_ERROR);
    expect(errorLines).toEqual([expect.objectContaining({ context: 'Jobs', msg: `Job test.doomed ${id} failed for good after 1 attempts: the printer is on fire` })]);
  });
});
