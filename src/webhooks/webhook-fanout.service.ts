import { GoneException, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { runAtomically, WriteStep } from '../database/atomic-write';
import { AppConfig } from '../config/app-config';
import { ChangeLogService } from '../history/change-log.service';
import { TaskChangeResponse } from '../history/dto/task-change-response.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { DeliveryStatus } from './webhook-delivery.entity';
import { bodyAfterId, SHARED_BODY } from './webhook-payloads';
import { eventOfChange, subscribes } from './webhook-events';
import { WebhookFanoutState } from './webhook-fanout.entity';
import { Webhook } from './webhook.entity';

/** How often each instance looks for log entries it has not made deliveries of (other instances' writes, a restart). */
export const FANOUT_INTERVAL_MS = 1_000;
/**
 * After a write, its deliveries are made this much later, with those of every write meanwhile: under load, one
 * pass (a few statements) per interval rather than per write.
 */
const AFTER_WRITE_MS = 100;
const PAGE = 200;
/** Delivery rows per INSERT on SQLite: 10 values each, within its limit on a statement's parameters (32,766). */
const ROWS_PER_INSERT = 2_000;

/**
 * Turns change-log entries into deliveries, after their writes committed: a write never waits for webhooks,
 * and a refused write (no entry) makes none. Every instance may run it (on its own writes at once, and every
 * second); the unique (webhook, change) key makes each delivery once, and the position reached is kept in
 * `webhook_fanout`, so that a restart resumes where the last pass stopped. The timer holds no work of its own.
 */
@Injectable()
export class WebhookFanoutService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private timer: NodeJS.Timeout | undefined;
  private afterWrite: NodeJS.Timeout | undefined;
  private pass: Promise<number> = Promise.resolve(0);
  private queued = false;
  private stopped = false;
  /** Whether the last pass found an active webhook: without one, a write does not start a pass of its own. */
  private listening = false;

  constructor(
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WebhookFanoutState) private readonly state: Repository<WebhookFanoutState>,
    private readonly changeLog: ChangeLogService,
    private readonly sender: WebhookDeliveriesService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.authMode === 'off') return;
    this.changeLog.onChangeLogged(() => {
      if (!this.listening || this.afterWrite) return;
      this.afterWrite = setTimeout(() => {
        this.afterWrite = undefined;
        void this.runSoon();
      }, AFTER_WRITE_MS);
      this.afterWrite.unref();
    });
    this.timer = setInterval(() => void this.runSoon(), FANOUT_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.afterWrite);
    await this.pass.catch(() => undefined);
  }

  /** One more pass after the current one (several calls meanwhile make one). */
  private runSoon(): Promise<number> {
    if (this.queued) return this.pass;
    this.queued = true;
    this.pass = this.pass
      .catch(() => 0)
      .then(() => {
        this.queued = false;
        return this.stopped ? 0 : this.run();
      })
      .catch((error: unknown) => {
        this.logger.warn(`Webhook fan-out paused: ${String(error)}`);
        return 0;
      });
    return this.pass;
  }

  /** Makes the deliveries of every entry logged so far; resolves with how many it made. Tests call it too. */
  async run(): Promise<number> {
    let made = 0;
    for (;;) {
      const { count, more } = await this.fanOutPage();
      made += count;
      if (!more || this.stopped) return made;
    }
  }

  private async fanOutPage(): Promise<{ count: number; more: boolean }> {
    const since = BigInt((await this.state.findOneByOrFail({ id: 1 })).lastSeq);
    const active = await this.webhooks.findBy({ active: true });
    this.listening = active.length > 0;
    if (active.length === 0) {
      // Nobody listens: an entry logged now is nobody's delivery, even if a webhook is created later.
      await this.advance(since, await this.changeLog.latestCursor());
      return { count: 0, more: false };
    }
    let page;
    try {
      page = await this.changeLog.after(since, PAGE);
    } catch (error) {
      if (!(error instanceof GoneException)) throw error;
      this.logger.warn(`Webhook fan-out fell behind the change log's retention after ${since}; it continues from the newest entry`);
      await this.advance(since, await this.changeLog.latestCursor());
      return { count: 0, more: false };
    }
    const payloads: unknown[][] = [];
    const rows = page.changes.flatMap((change) => {
      const receivers = active.filter((webhook) => receives(webhook, change));
      // The entry's body is serialised and stored once for all its webhooks.
      if (receivers.length > 0) payloads.push([change.cursor, bodyAfterId(change)]);
      return receivers.map((webhook) => newDelivery(webhook, change));
    });
    // Ours or another instance's (the unique keys keep the first): each is due at once, and sent once by whichever instance claims it.
    if (rows.length > 0) await runAtomically(this.dataSource, insertSteps(this.dataSource, rows, payloads));
    if (rows.length > 0) this.sender.wake();
    await this.advance(since, BigInt(page.nextCursor));
    // Only a full page goes on at once: a page cut short at a gap still filling waits for the next pass.
    return { count: rows.length, more: page.changes.length === PAGE };
  }

  private async advance(since: bigint, to: bigint): Promise<void> {
    if (to <= since) return;
    await this.state.createQueryBuilder().update().set({ lastSeq: to.toString() }).where('id = 1 AND last_seq < :to', { to: to.toString() }).execute();
  }
}

/** Whether a webhook gets an entry: it listens to its event and existed when it happened. */
function receives(webhook: Webhook, change: TaskChangeResponse): boolean {
  return subscribes(JSON.parse(webhook.events) as string[], eventOfChange(change.kind)) && webhook.createdAt.getTime() <= Date.parse(change.changed_at);
}

const DELIVERY_COLUMNS = ['id', 'webhook_id', 'change_seq', 'event', 'body', 'status', 'attempts', 'last_chance', 'created_at', 'next_attempt_at'];
const DELIVERY_PG_TYPES = ['varchar', 'varchar', 'bigint', 'varchar', 'text', 'varchar', 'int', 'boolean', 'timestamptz', 'timestamptz'];

/** A new delivery of `change` as a row of DELIVERY_COLUMNS; its body is the entry's shared payload (SHARED_BODY). */
function newDelivery(webhook: Webhook, change: TaskChangeResponse): unknown[] {
  // Dated by its change, so that the log lists deliveries in the order their events happened.
  const createdAt = new Date(change.changed_at);
  return [randomUUID(), webhook.id, change.cursor, eventOfChange(change.kind), SHARED_BODY, DeliveryStatus.Pending, 0, false, createdAt, new Date()];
}

/**
 * The deliveries and their entries' payloads, in one transaction, so that no delivery is seen without its payload.
 * PostgreSQL: one statement, its arrays of any length, the payloads written only if a delivery was (when all of them
 * were there, another instance wrote them with their payloads). SQLite: inserts of at most ROWS_PER_INSERT rows.
 */
function insertSteps(dataSource: DataSource, deliveries: unknown[][], payloads: unknown[][]): WriteStep[] {
  const perInsert = dataSource.options.type === 'postgres' ? deliveries.length : ROWS_PER_INSERT;
  const steps: WriteStep[] = [];
  for (let start = 0; start < deliveries.length; start += perInsert) {
    const rows = deliveries.slice(start, start + perInsert);
    steps.push({ rows: { table: 'webhook_deliveries', columns: DELIVERY_COLUMNS, pgTypes: DELIVERY_PG_TYPES, rows, onConflict: '(webhook_id, change_seq) DO NOTHING' } });
  }
  steps.push({ rows: { table: 'webhook_payloads', columns: ['change_seq', 'body_rest'], pgTypes: ['bigint', 'text'], rows: payloads, onConflict: '(change_seq) DO NOTHING' } });
  return steps;
}
