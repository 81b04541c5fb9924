import { ConflictException, Injectable, Logger, NotFoundException, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, LessThan, Repository } from 'typeorm';
import { APP_VERSION } from '../config/app-version';
import { AppConfig } from '../config/app-config';
import { runAtomically } from '../database/atomic-write';
import { numberedPlaceholders, storedDate } from '../database/sql-values';
import { JobsService } from '../jobs/jobs.service';
import { NotificationKind } from '../notifications/notification.entity';
import { asWriteSteps } from '../notifications/notification-rows';
import { User } from '../users/user.entity';
import { UserRole } from '../users/user-role';
import { PING_EVENT } from './webhook-events';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';
import { ReceiverAgents } from './webhook-agents';
import { bodyWithId, readPayloads, SHARED_BODY, sweepPayloads } from './webhook-payloads';
import { sendDelivery } from './webhook-sender';
import { signatureHeader } from './webhook-signature';
import { Webhook } from './webhook.entity';

/** The queue (src/jobs) that sends due deliveries, from their own table. */
export const DELIVERY_QUEUE = 'webhook.deliveries';
const SWEEP_JOB = 'webhooks.sweep';
const SWEEP_EVERY_MS = 60_000;
/** The waits after the 1st, 2nd... failed attempt, in units of WEBHOOK_RETRY_BASE_SECONDS; then the delivery fails. */
export const RETRY_WAITS = [1, 5, 30, 120, 360, 720];
const RETENTION_MS = 30 * 24 * 60 * 60_000;
/**
 * Deliveries claimed at once, per instance. A batch is one claiming statement and one transaction recording
 * the outcomes, so that SQLite's single writer sees two short writes per batch, between the API's own.
 */
const BATCH_SIZE = 100;
/**
 * How long a claim holds its deliveries: longer than an attempt can take (10 s) plus recording it. An instance
 * that dies while sending leaves them due again when it ends, to be sent again under the same ids.
 */
export const CLAIM_MS = 60_000;

/** When a delivery is tried again after its `attempts`-th attempt failed (counted from that attempt), or null after the last. */
export function retryTime(attempts: number, attemptedAt: Date, baseSeconds: number): Date | null {
  if (attempts > RETRY_WAITS.length) return null;
  return new Date(attemptedAt.getTime() + RETRY_WAITS[attempts - 1] * baseSeconds * 1000);
}

interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  change_seq: string | number | null;
  event: string;
  /** SHARED_BODY until bodies() fills it in. */
  body: string;
  attempts: number | string;
  last_chance: boolean | number;
}

/** A claimed delivery's attempt, as recorded: deliveries with the same record share one statement. */
interface AttemptRecord {
  status: DeliveryStatus;
  lastChance: boolean;
  responseStatus: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
  /** False when nothing was sent (its webhook is inactive): the delivery waits, its attempts unchanged. */
  attempted: boolean;
}

/**
 * Sends deliveries from their own table, which is their queue: a delivery is due when it is pending and its
 * `next_attempt_at` has come. Each pass of the jobs poller (src/jobs, every second, or woken when deliveries are
 * made) claims a batch of due deliveries in one statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite
 * serialises writers) by setting their `claimed_until` to the end of the claim, sends them over kept
 * connections, and records the outcomes in one transaction, each only where the claim still stands (a
 * redelivery or a pause meanwhile wins). A receiver's failure is recorded on the delivery, never thrown.
 */
@Injectable()
export class WebhookDeliveriesService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly agents: ReceiverAgents;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
  ) {
    this.agents = new ReceiverAgents(config.webhookAllowedHosts);
  }

  onModuleInit(): void {
    // Webhooks do not exist in AUTH_MODE=off: nothing to send, and no poller for it.
    if (this.config.authMode === 'off') return;
    this.jobs.registerQueue(DELIVERY_QUEUE, () => this.sendDue());
    this.jobs.register(SWEEP_JOB, () => this.sweep());
    this.jobs.every(SWEEP_JOB, SWEEP_EVERY_MS);
  }

  /** After the jobs' shutdown (onModuleDestroy) let the attempts in flight finish and record. */
  onApplicationShutdown(): void {
    this.agents.destroy();
  }

  /** New deliveries are due now: sends them without waiting for the next poll. */
  wake(): void {
    if (this.config.authMode !== 'off') this.jobs.wake(DELIVERY_QUEUE);
  }

  async list(webhookId: string, limit: number): Promise<WebhookDelivery[]> {
    return this.deliveries.find({ where: { webhookId }, order: { createdAt: 'DESC', changeSeq: 'DESC', id: 'DESC' }, take: limit });
  }

  /** A `ping` delivery, whatever the webhook's events; 409 when the webhook is inactive. */
  async ping(webhook: Webhook): Promise<void> {
    if (!webhook.active) throw new ConflictException('The webhook is inactive: reactivate it to ping it');
    const id = randomUUID();
    const now = new Date();
    const body = JSON.stringify({ id, event: PING_EVENT, created_at: now.toISOString(), data: { webhook_id: webhook.id } });
    const delivery = this.deliveries.create({
      id, webhookId: webhook.id, changeSeq: null, event: PING_EVENT, body, status: DeliveryStatus.Pending, attempts: 0,
      lastChance: false, responseStatus: null, error: null, createdAt: now, lastAttemptAt: null, nextAttemptAt: now,
    });
    await this.deliveries.insert(delivery);
    this.wake();
  }

  /**
   * One more attempt of the same delivery, now (or when the webhook is reactivated). A settled delivery gets
   * exactly one; a pending one is attempted now and keeps its remaining retries.
   */
  async redeliver(webhook: Webhook, deliveryId: string): Promise<void> {
    const delivery = await this.deliveries.findOneBy({ id: deliveryId, webhookId: webhook.id });
    if (!delivery) throw new NotFoundException(`Delivery ${deliveryId} not found`);
    const settled = delivery.status !== DeliveryStatus.Pending;
    const nextAttemptAt = webhook.active ? new Date() : null;
    await this.deliveries.update(
      { id: delivery.id },
      // A claim in flight loses: its outcome is not recorded over this one.
      { status: DeliveryStatus.Pending, lastChance: settled || delivery.lastChance, nextAttemptAt, claimedUntil: null },
    );
    if (nextAttemptAt) this.wake();
  }

  /** An inactive webhook's pending deliveries wait: none is due. */
  async pause(webhookId: string): Promise<void> {
    await this.deliveries.update({ webhookId, status: DeliveryStatus.Pending }, { nextAttemptAt: null, claimedUntil: null });
  }

  /** A reactivated webhook's waiting deliveries are attempted at once. */
  async resume(webhookId: string): Promise<void> {
    await this.deliveries.update({ webhookId, status: DeliveryStatus.Pending }, { nextAttemptAt: new Date(), claimedUntil: null });
    this.wake();
  }

  /** One batch: claims due deliveries, sends them, records how each went. Tests call it through JobsService.runDue(). */
  async sendDue(): Promise<{ ran: number; more: boolean }> {
    const claimedUntil = new Date(Date.now() + CLAIM_MS);
    const claimed = await this.claim(claimedUntil);
    if (claimed.length === 0) return { ran: 0, more: false };
    await this.fillBodies(claimed);
    const webhooks = new Map((await this.webhooks.findBy({ id: In([...new Set(claimed.map((row) => row.webhook_id))]) })).map((webhook) => [webhook.id, webhook]));
    const attemptedAt = new Date();
    const records = await Promise.all(claimed.map((row) => this.attempt(row, webhooks.get(row.webhook_id), attemptedAt)));
    await this.record(claimed, records, attemptedAt, claimedUntil);
    const failing = new Set(claimed.filter((row, i) => records[i]?.attempted && records[i]?.status !== DeliveryStatus.Succeeded).map((row) => row.webhook_id));
    if (this.config.webhookFailuresToDisable > 0) {
      for (const id of failing) await this.disableIfFailing(webhooks.get(id)!);
    }
    return { ran: claimed.length, more: claimed.length === BATCH_SIZE };
  }

  private async claim(claimedUntil: Date): Promise<ClaimedDelivery[]> {
    const postgres = this.dataSource.options.type === 'postgres';
    const now = storedDate(this.dataSource, new Date());
    // Only `claimed_until` changes, a column no index has: on PostgreSQL a HOT update, no new index entry (migration 1765800000000).
    const sql = `UPDATE webhook_deliveries SET claimed_until = ?
      WHERE id IN (
        SELECT id FROM webhook_deliveries WHERE next_attempt_at <= ? AND status = ? AND (claimed_until IS NULL OR claimed_until <= ?)
        ORDER BY next_attempt_at LIMIT ${BATCH_SIZE} ${postgres ? 'FOR UPDATE SKIP LOCKED' : ''}
      )
      RETURNING id, webhook_id, change_seq, event, body, attempts, last_chance`;
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(postgres ? numberedPlaceholders(sql) : sql, [storedDate(this.dataSource, claimedUntil), now, DeliveryStatus.Pending, now], true);
      return (result.records ?? []) as ClaimedDelivery[];
    } finally {
      await runner.release();
    }
  }

  /** The bodies of entries' deliveries, from their shared payloads (one query per batch); one never found stays empty. */
  private async fillBodies(claimed: ClaimedDelivery[]): Promise<void> {
    const shared = claimed.filter((row) => row.body === SHARED_BODY && row.change_seq !== null);
    const payloads = await readPayloads(this.dataSource, [...new Set(shared.map((row) => String(row.change_seq)))]);
    for (const row of shared) {
      const rest = payloads.get(String(row.change_seq));
      if (rest !== undefined) row.body = bodyWithId(row.id, rest);
    }
  }

  /** Sends one claimed delivery; null when there is nothing to record (its webhook was deleted: so are its deliveries). */
  private async attempt(row: ClaimedDelivery, webhook: Webhook | undefined, batchStart: Date): Promise<AttemptRecord | null> {
    if (!webhook) return null;
    const lastChance = Boolean(row.last_chance);
    if (!webhook.active) return { status: DeliveryStatus.Pending, lastChance, responseStatus: null, error: null, nextAttemptAt: null, attempted: false };
    // Never expected (a payload goes only once no delivery has its entry): a failed attempt, retried, rather than an empty POST.
    const outcome = row.body === SHARED_BODY ? { ok: false, status: null, error: 'The body of this delivery is missing' } : await sendDelivery(
      {
        url: webhook.url,
        body: row.body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': `TaskFlow-Webhooks/${APP_VERSION}`,
          'TaskFlow-Event': row.event,
          'TaskFlow-Delivery': row.id,
          // Signed with the secret as it is now: after a rotation, the old one signs nothing more.
          'TaskFlow-Signature': signatureHeader(webhook.secret, row.body, new Date()),
        },
      },
      this.agents,
    );
    const attempts = Number(row.attempts) + 1;
    // Retries are counted from the batch's attempt time, which is also the `last_attempt_at` recorded.
    const retryAt = outcome.ok || lastChance ? null : retryTime(attempts, batchStart, this.config.webhookRetryBaseSeconds);
    const status = outcome.ok ? DeliveryStatus.Succeeded : retryAt ? DeliveryStatus.Pending : DeliveryStatus.Failed;
    return { status, lastChance: false, responseStatus: outcome.status, error: outcome.error, nextAttemptAt: retryAt, attempted: true };
  }

  /**
   * Records a batch's outcomes in one transaction, one statement per distinct outcome (usually one: every
   * delivery answered 200), each only for deliveries still held by this claim.
   */
  private async record(claimed: ClaimedDelivery[], records: Array<AttemptRecord | null>, attemptedAt: Date, claimedUntil: Date): Promise<void> {
    const groups = new Map<string, { record: AttemptRecord; ids: string[] }>();
    claimed.forEach((row, i) => {
      const record = records[i];
      if (!record) return;
      const key = JSON.stringify(record);
      const group = groups.get(key) ?? { record, ids: [] };
      group.ids.push(row.id);
      groups.set(key, group);
    });
    const steps = [...groups.values()].map(({ record, ids }) => {
      const where = `WHERE claimed_until = ? AND id IN (${ids.map(() => '?').join(', ')})`;
      if (!record.attempted) return { sql: `UPDATE webhook_deliveries SET next_attempt_at = NULL, claimed_until = NULL ${where}`, params: [claimedUntil, ...ids] };
      return {
        sql: `UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, last_chance = ?, response_status = ?, error = ?,
          last_attempt_at = ?, next_attempt_at = ?, claimed_until = NULL ${where}`,
        params: [record.status, record.lastChance, record.responseStatus, record.error, attemptedAt, record.nextAttemptAt, claimedUntil, ...ids],
      };
    });
    if (steps.length > 0) await runAtomically(this.dataSource, steps);
  }

  /**
   * Disables a webhook whose `webhookFailuresToDisable` (20) most recent attempted deliveries (attempted since its creation
   * or reactivation) all failed so far, and tells every admin, in one transaction: only the instance whose
   * update switched it off writes the notifications.
   */
  private async disableIfFailing(webhook: Webhook): Promise<void> {
    const threshold = this.config.webhookFailuresToDisable;
    // Counted in the database rather than read back: only the two figures are needed.
    const recent = this.deliveries
      .createQueryBuilder('delivery')
      .select('delivery.status', 'status')
      .where('delivery.webhookId = :webhookId', { webhookId: webhook.id })
      .andWhere('delivery.lastAttemptAt >= :since', { since: storedDate(this.dataSource, webhook.countingSince) })
      .orderBy('delivery.createdAt', 'DESC')
      .addOrderBy('delivery.changeSeq', 'DESC')
      .limit(threshold);
    const counts = await this.dataSource
      .createQueryBuilder()
      .select('COUNT(*)', 'total')
      .addSelect('SUM(CASE WHEN recent.status = :succeeded THEN 1 ELSE 0 END)', 'succeeded')
      .from(`(${recent.getQuery()})`, 'recent')
      .setParameters({ ...recent.getParameters(), succeeded: DeliveryStatus.Succeeded })
      .getRawOne<{ total: string | number; succeeded: string | number | null }>();
    if (Number(counts?.total ?? 0) < threshold || Number(counts?.succeeded ?? 0) > 0) return;
    const admins = await this.dataSource.getRepository(User).find({ where: { role: UserRole.Admin, disabled: false }, select: { id: true } });
    const at = new Date();
    const disabled = await runAtomically(this.dataSource, [
      { sql: 'UPDATE webhooks SET active = ? WHERE id = ? AND active = ?', params: [false, webhook.id, true], required: true },
      { sql: 'UPDATE webhook_deliveries SET next_attempt_at = NULL, claimed_until = NULL WHERE webhook_id = ? AND status = ?', params: [webhook.id, DeliveryStatus.Pending] },
      ...asWriteSteps(
        admins.map((admin) => ({ userId: admin.id, kind: NotificationKind.WebhookDisabled, task: null, actorId: null, webhook: { id: webhook.id, url: webhook.url }, at })),
        [],
      ),
    ]);
    if (disabled) this.logger.warn(`Webhook ${webhook.id} disabled: its last ${threshold} deliveries failed`);
  }

  /** Every minute, on one instance: drops deliveries past 30 days, and the payloads no delivery needs any more. */
  async sweep(): Promise<void> {
    await this.deliveries.delete({ createdAt: LessThan(new Date(Date.now() - RETENTION_MS)) });
    await sweepPayloads(this.dataSource);
  }
}
