import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { Job } from '../src/jobs/job.entity';
import { JobsService, LEASE_MS, RunningJob } from '../src/jobs/jobs.service';
import { exponentialBackoff } from '../src/jobs/retry-policy';
import { createTestApp, freshDatabase, useTestApp } from './create-test-app';

// The handlers here are registered after the app started, so no poller runs: each test drives the
// worker with runDue(), and the database is the only thing that decides who runs what.

const jobsOf = (app: NestExpressApplication) => app.get(DataSource).getRepository(Job);

describe('Background jobs (e2e)', () => {
  const testApp = useTestApp();
  const jobs = () => testApp().get(JobsService);
  const ran: Array<{ kind: string; payload: unknown; attempts: number }> = [];
  let failuresLeft = 0;

  beforeAll(() => {
    const record = async (payload: unknown, job: RunningJob) => {
      ran.push({ kind: job.kind, payload, attempts: job.attempts });
    };
    jobs().register('test.record', record);
    jobs().register('test.flaky', async (payload: unknown, job: RunningJob) => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error(`refused (attempt ${job.attempts})`);
      }
      await record(payload, job);
    }, { delayMs: exponentialBackoff(1_000, 60_000), maxAttempts: 4 });
  });

  beforeEach(async () => {
    await jobsOf(testApp()).clear();
    ran.length = 0;
    failuresLeft = 0;
  });

  /** Makes a waiting retry due now, as the passing of its back-off would. */
  const makeDue = () => jobsOf(testApp()).update({ status: 'pending' }, { runAt: String(Date.now() - 1) });

  it('runs a job enqueued in a transaction that commits, and not one whose transaction rolls back', async () => {
    await testApp().get(DataSource).transaction((manager) => jobs().enqueue('test.record', { n: 1 }, { manager }));
    await expect(
      testApp().get(DataSource).transaction(async (manager) => {
        await jobs().enqueue('test.record', { n: 2 }, { manager });
        throw new Error('the cause failed');
      }),
    ).rejects.toThrow('the cause failed');
    await expect(jobs().runDue()).resolves.toBe(1);
    expect(ran).toEqual([{ kind: 'test.record', payload: { n: 1 }, attempts: 1 }]);
    const [job] = await jobsOf(testApp()).find();
    expect(job).toMatchObject({ status: 'done', attempts: 1, lockedBy: null, lastError: null });
  });

  it('does not run a job before its run_at', async () => {
    await jobs().enqueue('test.record', { n: 1 }, { runAt: Date.now() + 60_000 });
    await expect(jobs().runDue()).resolves.toBe(0);
    expect(ran).toEqual([]);
  });

  it('creates one job per dedupe key', async () => {
    await expect(jobs().enqueue('test.record', { n: 1 }, { dedupeKey: 'once' })).resolves.toBe(true);
    await expect(jobs().enqueue('test.record', { n: 2 }, { dedupeKey: 'once' })).resolves.toBe(false);
    await jobs().runDue();
    expect(ran.map((run) => run.payload)).toEqual([{ n: 1 }]);
  });

  it('retries a failing job with exponential back-off, keeping the last error, until it succeeds', async () => {
    failuresLeft = 2;
    await jobs().enqueue('test.flaky', { n: 1 });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const before = Date.now();
      await jobs().runDue();
      const after = Date.now();
      const [job] = await jobsOf(testApp()).find();
      expect(job).toMatchObject({ status: 'pending', attempts: attempt, lastError: `refused (attempt ${attempt})`, lockedUntil: null });
      // The wait is measured against the clock around the run, not asserted as a duration.
      expect(Number(job.runAt)).toBeGreaterThanOrEqual(before + 1_000 * 2 ** (attempt - 1));
      expect(Number(job.runAt)).toBeLessThanOrEqual(after + 1_000 * 2 ** (attempt - 1));
      waits.push(Number(job.runAt) - after);
      // Not due yet: nothing runs.
      await expect(jobs().runDue()).resolves.toBe(0);
      await makeDue();
    }
    await jobs().runDue();
    expect(ran).toEqual([{ kind: 'test.flaky', payload: { n: 1 }, attempts: 3 }]);
    await expect(jobsOf(testApp()).findOneByOrFail({})).resolves.toMatchObject({ status: 'done', attempts: 3, lastError: null });
  });

  it('fails a job for good after its last attempt, keeping the error', async () => {
    failuresLeft = 10;
    await jobs().enqueue('test.flaky', { n: 1 });
    for (let attempt = 1; attempt <= 4; attempt++) {
      await jobs().runDue();
      await makeDue();
    }
    await expect(jobs().runDue()).resolves.toBe(0);
    expect(ran).toEqual([]);
    await expect(jobsOf(testApp()).findOneByOrFail({})).resolves.toMatchObject({ status: 'failed', attempts: 4, lastError: 'refused (attempt 4)' });
  });

  it('takes over a job whose instance died while running it, once its lease is over', async () => {
    await jobs().enqueue('test.record', { n: 1 });
    const claimedAt = Date.now();
    await jobsOf(testApp()).update({ kind: 'test.record' }, { attempts: 1, lockedBy: 'a-dead-instance', lockedUntil: String(claimedAt + LEASE_MS) });
    await expect(jobs().runDue()).resolves.toBe(0);
    await jobsOf(testApp()).update({ kind: 'test.record' }, { lockedUntil: String(claimedAt - 1) });
    await expect(jobs().runDue()).resolves.toBe(1);
    expect(ran).toEqual([{ kind: 'test.record', payload: { n: 1 }, attempts: 2 }]);
  });
});

describe('Background jobs across restarts and instances (e2e)', () => {
  let database: { url: string; drop: () => Promise<void> };
  const apps: NestExpressApplication[] = [];
  const start = async () => {
    const app = await createTestApp({ databaseUrl: database.url });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('runs after a restart the jobs enqueued before it', async () => {
    const first = await start();
    await first.get(JobsService).enqueue('test.restart', { n: 1 });
    await first.close();
    apps.splice(0);
    const second = await start();
    const ran: unknown[] = [];
    second.get(JobsService).register('test.restart', async (payload) => void ran.push(payload));
    await second.get(JobsService).runDue();
    expect(ran).toEqual([{ n: 1 }]);
  });

  it('runs each job once with two instances claiming at the same time', async () => {
    const [a, b] = [await start(), await start()];
    const runs: Array<{ instance: string; n: number }> = [];
    for (const app of [a, b]) {
      const service = app.get(JobsService);
      service.register<{ n: number }>('test.once', async ({ n }) => {
        runs.push({ instance: service.instanceId, n });
        // A pause, so that both instances are claiming while runs are in progress.
        await new Promise((resolve) => setImmediate(resolve));
      });
    }
    for (let n = 0; n < 40; n++) await a.get(JobsService).enqueue('test.once', { n });
    await Promise.all([a, b, a, b].map((app) => app.get(JobsService).runDue()));
    expect(runs.map((run) => run.n).sort((x, y) => x - y)).toEqual([...Array(40).keys()]);
    await expect(jobsOf(a).countBy({ kind: 'test.once', status: 'done' })).resolves.toBe(40);
  });

  it('runs a periodic job once per slot, whichever instances schedule it', async () => {
    const [a, b] = [await start(), await start()];
    const slots: number[] = [];
    for (const app of [a, b]) {
      app.get(JobsService).register<{ slot: number }>('test.hourly', async ({ slot }) => void slots.push(slot));
      app.get(JobsService).every('test.hourly', 60 * 60_000, 7 * 60_000);
    }
    await Promise.all([a.get(JobsService).runDue(), b.get(JobsService).runDue()]);
    await a.get(JobsService).runDue();
    expect(slots).toHaveLength(1);
    expect(slots[0] % (60 * 60_000)).toBe(7 * 60_000);
    expect(slots[0]).toBeLessThanOrEqual(Date.now());
    expect(slots[0]).toBeGreaterThan(Date.now() - 60 * 60_000);
  });
});
