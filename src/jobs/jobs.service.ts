import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import type { RowsToInsert } from '../database/atomic-write';
import { captureBackgroundFault } from '../observability/error-tracking';
import { DEFAULT_RETRY, RetryPolicy, nextRunAt } from './retry-policy';

/** How often each instance looks for due jobs. */
export const POLL_INTERVAL_MS = 1_000;
/** How long a claimed run holds its job; a run still going then may be started again elsewhere. */
export const LEASE_MS = 5 * 60_000;
/** How long shutdown waits for the runs in progress. */
const SHUTDOWN_WAIT_MS = 5_000;
/** The longest pause between two full batches of a queue (see drainQueue). */
const QUEUE_PAUSE_MAX_MS = 1_000;
/** Jobs claimed per query. */
const BATCH_SIZE = 10;
/** Finished jobs (and the periodic slots they record) are kept this long. */
const FINISHED_RETENTION_MS = 7 * 24 * 60 * 60_000;
const PRUNE_INTERVAL_MS = 60 * 60_000;

export interface RunningJob {
  id: string;
  kind: string;
  /** Runs started so far, this one included. */
  attempts: number;
  /** Epoch ms. */
  createdAt: number;
  /** True when a failure of this run fails the job for good (its retry policy allows no other). */
  lastAttempt: boolean;
}

export type JobHandler<P> = (payload: P, job: RunningJob) => Promise<void>;

/**
 * A dedupe key that holds only until its job starts: while one job of that key waits, another is not created
 * (the waiting one will do the work of both); once it has started, the next gets a job of its own. For work
 * that gathers what has piled up, such as one email for a user's notifications of the last seconds.
 */
export function untilStartedKey(name: string): string {
  return `${UNTIL_STARTED_PREFIX}${name}`;
}
const UNTIL_STARTED_PREFIX = 'until-started:';

export interface EnqueueOptions {
  /** The caller's transaction: the job exists only if that transaction commits. */
  manager?: EntityManager;
  /** Not before (default: now). */
  runAt?: Date | number;
  /** A second job with the same key is not created (see also untilStartedKey). */
  dedupeKey?: string;
}

interface Registration {
  handler: JobHandler<unknown>;
  retry: RetryPolicy;
}

/**
 * Background work kept in a feature's own table rather than as one job per item (webhook deliveries): `drain`
 * claims a bounded batch of due items, runs it, records the outcomes, and says how many it ran and whether more may be
 * due at once (a full batch).
 */
export type QueueDrain = () => Promise<{ ran: number; more: boolean }>;

interface PeriodicSchedule {
  everyMs: number;
  offsetMs: number;
  /** The last slot this instance made sure exists. */
  lastSlot?: number;
}

interface ClaimedRow {
  id: string;
  kind: string;
  payload: string;
  attempts: number | string;
  created_at: number | string;
}

/**
 * The one durable background-job mechanism. A job is a row of `jobs`, written in its cause's transaction;
 * every instance polls for due jobs of the kinds it has handlers for and claims them in one statement
 * (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers), so that each run happens on one
 * instance. A failed run is retried with its kind's back-off; a run whose instance died is taken over
 * when its lease ends. Nothing lives only in memory, so a restart loses nothing.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  /** Names this instance's claims. */
  readonly instanceId = randomUUID();
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, Registration>();
  private readonly schedules = new Map<string, PeriodicSchedule>();
  private readonly queues = new Map<string, QueueDrain>();
  /** Queues woken since their last drain: one drain each, after the pass in progress. */
  private readonly woken = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<number> = Promise.resolve(0);
  private stopped = false;
  private failing = false;
  private lastPruneAt = 0;
  /** Kinds the poller leaves alone until then (epoch ms), on this instance: see pause(). */
  private readonly pausedUntil = new Map<string, number>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Who runs jobs of `kind`; call it at start-up (onModuleInit). */
  register<P>(kind: string, handler: JobHandler<P>, retry: RetryPolicy = DEFAULT_RETRY): void {
    if (this.handlers.has(kind)) throw new Error(`A handler for job kind ${kind} is already registered`);
    this.handlers.set(kind, { handler: handler as JobHandler<unknown>, retry });
  }

  /**
   * Drains `name`'s queue on every pass of the poller (each second) and of runDue(), after the due jobs, one
   * batch after another while `drain` says more are due. Call it at start-up (onModuleInit).
   */
  registerQueue(name: string, drain: QueueDrain): void {
    if (this.queues.has(name)) throw new Error(`A queue named ${name} is already registered`);
    this.queues.set(name, drain);
  }

  /** Drains `name`'s queue soon, without waiting for the next poll (new items are due now); several calls make one drain. */
  wake(name: string): void {
    if (this.stopped || this.woken.has(name) || !this.queues.has(name)) return;
    this.woken.add(name);
    const drain = () => {
      this.woken.delete(name);
      return this.drainQueue(name);
    };
    this.pass = this.pass.then(drain, drain).catch((error: unknown) => {
      this.logger.warn(`Queue ${name} paused: ${String(error)}`);
      return 0;
    });
  }

  /**
   * Runs `kind` (registered too) once per slot of `everyMs` starting `offsetMs` after the epoch, on one
   * instance: every instance creates the slot's job under the same dedupe key, and only the first insert
   * wins. The payload is `{ slot }`, the slot's start (epoch ms). After a downtime, the current slot runs.
   */
  every(kind: string, everyMs: number, offsetMs = 0): void {
    this.schedules.set(kind, { everyMs, offsetMs });
  }

  /**
   * The poller claims no job of `kind` on this instance for `ms`. A handler whose service is unreachable (an SMTP
   * server refusing connections) calls it, so that the jobs waiting for that service do not each fail in turn, every
   * second, each failure a claim and a write competing with the API's own queries. The jobs keep their own back-off;
   * runDue() (tests running jobs at once) ignores pauses.
   */
  pause(kind: string, ms: number): void {
    this.pausedUntil.set(kind, Math.max(this.pausedUntil.get(kind) ?? 0, Date.now() + ms));
  }

  /**
   * The same jobs as rows for a write that runs its own statements (atomic-write.ts), in its transaction. A job
   * whose dedupe key already exists is not created.
   */
  static rowsToInsert(jobs: Array<{ kind: string; payload: unknown; runAt: number; dedupeKey?: string }>, now: number): RowsToInsert {
    return {
      table: 'jobs',
      columns: ['id', 'kind', 'payload', 'dedupe_key', 'status', 'run_at', 'attempts', 'created_at'],
      pgTypes: ['varchar', 'varchar', 'text', 'varchar', 'varchar', 'bigint', 'int', 'bigint'],
      rows: jobs.map((job) => [randomUUID(), job.kind, JSON.stringify(job.payload), job.dedupeKey ?? null, 'pending', job.runAt, 0, now]),
      onConflict: '(dedupe_key) DO NOTHING',
    };
  }

  /** Creates a job; false when its dedupe key already exists. */
  async enqueue<P>(kind: string, payload: P, options: EnqueueOptions = {}): Promise<boolean> {
    const manager = options.manager ?? this.dataSource.manager;
    const now = Date.now();
    const runAt = options.runAt === undefined ? now : Number(options.runAt instanceof Date ? options.runAt.getTime() : options.runAt);
    const rows = await this.execute(
      manager,
      `INSERT INTO jobs (id, kind, payload, dedupe_key, status, run_at, attempts, created_at)
       VALUES (:id, :kind, :payload, :dedupeKey, 'pending', :runAt, 0, :now)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      { id: randomUUID(), kind, payload: JSON.stringify(payload), dedupeKey: options.dedupeKey ?? null, runAt, now },
    );
    return rows.length === 1;
  }

  onApplicationBootstrap(): void {
    // An instance with no handlers (no email configured, ...) does not poll at all.
    if (this.handlers.size > 0 || this.queues.size > 0) this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // Before the database closes, a run in progress may finish and record its outcome, within what is left
    // of Render's 30 s after the HTTP drain. A run cut short is taken over when its lease ends.
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.pass.catch(() => undefined),
      new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, SHUTDOWN_WAIT_MS);
      }),
    ]);
    clearTimeout(timeout);
  }

  /**
   * One pass now: creates the periodic slots that are due, then claims and runs due jobs until none is
   * left. Resolves with the number of runs. The poller calls it; tests call it to run jobs at once.
   */
  runDue(): Promise<number> {
    return this.queuePass(false);
  }

  private queuePass(honourPauses: boolean): Promise<number> {
    this.pass = this.pass.then(
      () => this.runPass(honourPauses),
      () => this.runPass(honourPauses),
    );
    return this.pass;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.queuePass(true)
        .then(() => {
          if (this.failing) this.logger.log('Background jobs run again');
          this.failing = false;
        })
        .catch((error: unknown) => {
          // Once per outage, not once per second: the database is down or unreachable.
          if (!this.failing) this.logger.warn(`Background jobs paused: ${String(error)}`);
          this.failing = true;
        })
        .finally(() => this.schedule(POLL_INTERVAL_MS));
    }, delayMs);
    this.timer.unref();
  }

  private async runPass(honourPauses: boolean): Promise<number> {
    if (this.stopped) return 0;
    await this.createPeriodicSlots();
    let ran = 0;
    for (;;) {
      const claimed = await this.claim(honourPauses);
      await Promise.all(claimed.map((row) => this.run(row)));
      ran += claimed.length;
      // Claims again until nothing is due: a run may have queued a job due at once (a request's email).
      if (claimed.length === 0 || this.stopped) break;
    }
    for (const name of this.queues.keys()) ran += await this.drainQueue(name);
    await this.pruneFinished();
    return ran;
  }

  /** Batches of `name`'s queue until it says none is due; resolves with the number of items run. */
  private async drainQueue(name: string): Promise<number> {
    const drain = this.queues.get(name)!;
    let ran = 0;
    while (!this.stopped) {
      const started = performance.now();
      const batch = await drain();
      ran += batch.ran;
      if (!batch.more) break;
      // A backlog (a receiver back after an outage, retries coming due together) drains at most half the time:
      // after each full batch, a pause as long as the batch took, during which requests have the process and the database.
      await new Promise((resolve) => setTimeout(resolve, Math.min(QUEUE_PAUSE_MAX_MS, performance.now() - started)));
    }
    return ran;
  }

  private async createPeriodicSlots(): Promise<void> {
    const now = Date.now();
    for (const [kind, schedule] of this.schedules) {
      const slot = Math.floor((now - schedule.offsetMs) / schedule.everyMs) * schedule.everyMs + schedule.offsetMs;
      if (slot === schedule.lastSlot) continue;
      await this.enqueue(kind, { slot }, { runAt: slot, dedupeKey: `${kind}@${slot}` });
      schedule.lastSlot = slot;
    }
  }

  private async claim(honourPauses: boolean): Promise<ClaimedRow[]> {
    const now = Date.now();
    const kinds = [...this.handlers.keys()].filter((kind) => !honourPauses || (this.pausedUntil.get(kind) ?? 0) <= now);
    if (kinds.length === 0) return [];
    const skipLocked = this.dataSource.options.type === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    return this.execute(
      this.dataSource.manager,
      `UPDATE jobs SET attempts = attempts + 1, locked_until = :lockedUntil, locked_by = :instance,
         dedupe_key = CASE WHEN dedupe_key LIKE '${UNTIL_STARTED_PREFIX}%' THEN NULL ELSE dedupe_key END
       WHERE id IN (
         SELECT id FROM jobs
         WHERE status = 'pending' AND run_at <= :now AND (locked_until IS NULL OR locked_until <= :now) AND kind IN (:...kinds)
         ORDER BY run_at
         LIMIT ${BATCH_SIZE}
         ${skipLocked}
       )
       RETURNING id, kind, payload, attempts, created_at`,
      { now, lockedUntil: now + LEASE_MS, instance: this.instanceId, kinds },
    );
  }

  private async run(row: ClaimedRow): Promise<void> {
    const registration = this.handlers.get(row.kind)!;
    const attempts = Number(row.attempts);
    const createdAt = Number(row.created_at);
    const lastAttempt = nextRunAt(registration.retry, attempts, createdAt, Date.now()) === null;
    const job: RunningJob = { id: row.id, kind: row.kind, attempts, createdAt, lastAttempt };
    try {
      await registration.handler(JSON.parse(row.payload), job);
    } catch (error) {
      await this.recordFailure(job, registration.retry, error);
      return;
    }
    await this.finish(job.id, 'done', null);
  }

  private async recordFailure(job: RunningJob, retry: RetryPolicy, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const runAt = nextRunAt(retry, job.attempts, job.createdAt, Date.now());
    if (runAt === null) {
      this.logger.error(`Job ${job.kind} ${job.id} failed for good after ${job.attempts} attempts: ${message}`);
      captureBackgroundFault(error, { job_kind: job.kind, job_id: job.id });
      await this.finish(job.id, 'failed', message);
      return;
    }
    this.logger.warn(`Job ${job.kind} ${job.id} failed (attempt ${job.attempts}), retried in ${Math.round((runAt - Date.now()) / 1000)} s: ${message}`);
    await this.execute(
      this.dataSource.manager,
      `UPDATE jobs SET run_at = :runAt, locked_until = NULL, locked_by = NULL, last_error = :message
       WHERE id = :id AND locked_by = :instance`,
      { runAt, message, id: job.id, instance: this.instanceId },
    );
  }

  private async finish(id: string, status: 'done' | 'failed', message: string | null): Promise<void> {
    // Only while this instance still holds the job: after a lost lease, the new holder records the outcome.
    await this.execute(
      this.dataSource.manager,
      `UPDATE jobs SET status = :status, finished_at = :now, locked_until = NULL, locked_by = NULL, last_error = :message
       WHERE id = :id AND locked_by = :instance`,
      { status, now: Date.now(), message, id, instance: this.instanceId },
    );
  }

  private async pruneFinished(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPruneAt < PRUNE_INTERVAL_MS) return;
    this.lastPruneAt = now;
    await this.execute(this.dataSource.manager, `DELETE FROM jobs WHERE status <> 'pending' AND finished_at < :before`, {
      before: now - FINISHED_RETENTION_MS,
    });
  }

  /** Runs SQL with named parameters; returns the rows it returned (RETURNING), on either database. */
  private async execute(manager: EntityManager, sql: string, parameters: ObjectLiteral): Promise<ClaimedRow[]> {
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters);
    const runner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(query, values, true);
      return (result.records ?? []) as ClaimedRow[];
    } finally {
      if (!manager.queryRunner) await runner.release();
    }
  }
}
