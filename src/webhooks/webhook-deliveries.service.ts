import { ConflictException, Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, LessThan, LessThanOrEqual, Repository } from 'typeorm';
import { APP_VERSION } from '../config/app-version';
import { AppConfig } from '../config/app-config';
import { runAtomically } from '../database/atomic-write';
import { storedDate } from '../database/sql-values';
import { JobsService } from '../jobs/jobs.service';
import { exponentialBackoff } from '../jobs/retry-policy';
import { NotificationKind } from '../notifications/notification.entity';
import { asWriteSteps } from '../notifications/notification-rows';
import { User } from '../users/user.entity';
import { UserRole } from '../users/user-role';
import { PING_EVENT } from './webhook-events';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';
import { sendDelivery } from './webhook-sender';
import { signatureHeader } from './webhook-signature';
import { Webhook } from './webhook.entity';

export const DELIVER_JOB = 'webhook.deliver';
const SWEEP_JOB = 'webhooks.sweep';
const SWEEP_EVERY_MS = 60_000;
/** The waits after the 1st, 2nd... failed attempt, in units of WEBHOOK_RETRY_BASE_SECONDS; then the delivery fails. */
export const RETRY_WAITS = [1, 5, 30, 120, 360, 720];
const RETENTION_MS = 30 * 24 * 60 * 60_000;
/**
 * A due attempt still not made this long after its time gets a second job: its first was never written (the
 * instance died between recording an attempt and scheduling the next) or gave up on database errors. If the
 * first merely runs late, the second finds the attempt made and does nothing.
 */
const LOST_AFTER_MS = 5 * 60_000;

/** When a delivery is tried again after its `attempts`-th attempt failed (counted from that attempt), or null after the last. */
export function retryTime(attempts: number, attemptedAt: Date, baseSeconds: number): Date | null {
  if (attempts > RETRY_WAITS.length) return null;
  return new Date(attemptedAt.getTime() + RETRY_WAITS[attempts - 1] * baseSeconds * 1000);
}

/**
 * The attempt a `webhook.deliver` job makes. An attempt is only made while the delivery still stands where
 * the job left it (same attempts, same due time): a redelivery or a reactivation makes new jobs, and older
 * ones then do nothing.
 */
interface AttemptJob {
  deliveryId: string;
  attempts: number;
  dueAt: number;
}

/**
 * Sends deliveries through the durable jobs (src/jobs): one job per attempt, scheduled by the previous one,
 * so that a delivery's own attempt count, due time and status stay the truth the delivery log shows. A job
 * fails (and is retried by the jobs mechanism) only when the database does; a receiver's failure is
 * recorded on the delivery, never thrown.
 */
@Injectable()
export class WebhookDeliveriesService implements OnModuleInit {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Webhooks do not exist in AUTH_MODE=off: nothing to send, and no poller for it.
    if (this.config.authMode === 'off') return;
    this.jobs.register<AttemptJob>(DELIVER_JOB, (job) => this.attempt(job), { delayMs: exponentialBackoff(5_000, 5 * 60_000), maxAttempts: 10 });
    this.jobs.register(SWEEP_JOB, () => this.sweep());
    this.jobs.every(SWEEP_JOB, SWEEP_EVERY_MS);
  }

  /**
   * Schedules the due attempt of each delivery (a no-op for those whose job exists). `again`: the sweep's second
   * chance for an attempt whose job was lost or gave up, under a key of its own.
   */
  async schedule(deliveries: Array<Pick<WebhookDelivery, 'id' | 'attempts' | 'nextAttemptAt'>>, again = false): Promise<void> {
    for (const delivery of deliveries) {
      if (!delivery.nextAttemptAt) continue;
      const dueAt = delivery.nextAttemptAt.getTime();
      await this.jobs.enqueue<AttemptJob>(DELIVER_JOB, { deliveryId: delivery.id, attempts: delivery.attempts, dueAt }, {
        runAt: dueAt,
        dedupeKey: `${DELIVER_JOB}:${delivery.id}:${delivery.attempts}:${dueAt}${again ? ':again' : ''}`,
      });
    }
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
    await this.schedule([delivery]);
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
      { status: DeliveryStatus.Pending, lastChance: settled || delivery.lastChance, nextAttemptAt },
    );
    await this.schedule([{ id: delivery.id, attempts: delivery.attempts, nextAttemptAt }]);
  }

  /** An inactive webhook's pending deliveries wait: none is due. */
  async pause(webhookId: string): Promise<void> {
    await this.deliveries.update({ webhookId, status: DeliveryStatus.Pending }, { nextAttemptAt: null });
  }

  /** A reactivated webhook's waiting deliveries are attempted at once. */
  async resume(webhookId: string): Promise<void> {
    await this.deliveries.update({ webhookId, status: DeliveryStatus.Pending }, { nextAttemptAt: new Date() });
    await this.schedule(await this.deliveries.find({ where: { webhookId, status: DeliveryStatus.Pending }, select: { id: true, attempts: true, nextAttemptAt: true } }));
  }

  private async attempt(job: AttemptJob): Promise<void> {
    const delivery = await this.deliveries.findOneBy({ id: job.deliveryId });
    const current = delivery && delivery.status === DeliveryStatus.Pending && delivery.attempts === job.attempts && delivery.nextAttemptAt?.getTime() === job.dueAt;
    if (!delivery || !current) return;
    const webhook = await this.webhooks.findOneBy({ id: delivery.webhookId });
    if (!webhook) return;
    if (!webhook.active) {
      await this.deliveries.update({ id: delivery.id, attempts: job.attempts }, { nextAttemptAt: null });
      return;
    }
    const attemptedAt = new Date();
    const outcome = await sendDelivery({
      url: webhook.url,
      body: delivery.body,
      allowedHosts: this.config.webhookAllowedHosts,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': `TaskFlow-Webhooks/${APP_VERSION}`,
        'TaskFlow-Event': delivery.event,
        'TaskFlow-Delivery': delivery.id,
        // Signed with the secret as it is now: after a rotation, the old one signs nothing more.
        'TaskFlow-Signature': signatureHeader(webhook.secret, delivery.body, attemptedAt),
      },
    });
    const attempts = job.attempts + 1;
    const retryAt = outcome.ok || delivery.lastChance ? null : retryTime(attempts, attemptedAt, this.config.webhookRetryBaseSeconds);
    const status = outcome.ok ? DeliveryStatus.Succeeded : retryAt ? DeliveryStatus.Pending : DeliveryStatus.Failed;
    const result = await this.deliveries.update(
      { id: delivery.id, attempts: job.attempts },
      { attempts, status, lastChance: false, responseStatus: outcome.status, error: outcome.error, lastAttemptAt: attemptedAt, nextAttemptAt: retryAt },
    );
    if (!result.affected) return;
    if (retryAt) await this.schedule([{ id: delivery.id, attempts, nextAttemptAt: retryAt }]);
    if (!outcome.ok && this.config.webhookFailuresToDisable > 0) await this.disableIfFailing(webhook);
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
      { sql: 'UPDATE webhook_deliveries SET next_attempt_at = NULL WHERE webhook_id = ? AND status = ?', params: [webhook.id, DeliveryStatus.Pending] },
      ...asWriteSteps(
        admins.map((admin) => ({ userId: admin.id, kind: NotificationKind.WebhookDisabled, task: null, actorId: null, webhook: { id: webhook.id, url: webhook.url }, at })),
        [],
      ),
    ]);
    if (disabled) this.logger.warn(`Webhook ${webhook.id} disabled: its last ${threshold} deliveries failed`);
  }

  /** Every minute, on one instance: reschedules attempts whose job went missing, and drops deliveries past 30 days. */
  async sweep(): Promise<void> {
    const now = Date.now();
    const active = await this.webhooks.find({ where: { active: true }, select: { id: true } });
    const lost = await this.deliveries.find({
      where: { webhookId: In(active.map((webhook) => webhook.id)), status: DeliveryStatus.Pending, nextAttemptAt: LessThanOrEqual(new Date(now - LOST_AFTER_MS)) },
      select: { id: true, attempts: true, nextAttemptAt: true },
      take: 500,
    });
    await this.schedule(lost, true);
    await this.deliveries.delete({ createdAt: LessThan(new Date(now - RETENTION_MS)) });
  }
}
