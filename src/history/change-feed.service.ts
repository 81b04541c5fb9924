import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse as parsePostgresUrl } from 'pg-connection-string';
import type { ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { isPostgresUrl } from '../database/data-source.options';
import { ChangeLogService, GAP_WAIT_MS, LoggedWrite } from './change-log.service';
import { TaskChangeResponse } from './dto/task-change-response.dto';
import { CHANGES_CHANNEL, CHANGES_ONLY, PostgresChangeListener } from './postgres-change-listener';

const PAGE = 500;
/** A safety net under NOTIFY (and the SQLite in-process signal): look for changes at least this often. */
const FALLBACK_POLL_MS = 5_000;

/** Gets the changes of one read of the log, in cursor order. */
export type ChangeSubscriber = (changes: TaskChangeResponse[]) => void;

/**
 * This instance's reader of the change log: one query per batch of changes, whatever the number of
 * open streams, fanned out to every subscriber in cursor order. Woken by this instance's writes, by
 * PostgreSQL NOTIFY for the other instances' writes (sent by notifyOtherInstances), and by a slow
 * fallback timer; idle while no stream is open.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ChangeFeed');
  private readonly subscribers = new Set<ChangeSubscriber>();
  private readonly notificationListeners = new Set<() => void>();
  private cursor = 0n;
  private polling: Promise<void> | undefined;
  private pollRequested = false;
  private fallbackTimer: NodeJS.Timeout | undefined;
  private listener: PostgresChangeListener | undefined;
  /** A wake-up was skipped because no stream was open: the cursor may be behind the log. */
  private stale = false;
  private notifying = false;
  /** The writes waiting for the next NOTIFY, if any: whether one of them created notifications. */
  private notifyAgain: LoggedWrite | undefined;

  constructor(
    private readonly changeLog: ChangeLogService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.cursor = await this.changeLog.latestCursor();
    const postgres = isPostgresUrl(this.config.databaseUrl);
    this.changeLog.onChangeLogged((write) => {
      this.wake(write);
      if (postgres) this.notifyOtherInstances(write);
    });
    if (postgres) {
      this.listener = new PostgresChangeListener(listenerConnection(this.config.databaseUrl), (notifications) => this.wake({ notifications }));
      this.listener.start();
    }
    this.fallbackTimer = setInterval(() => this.wake({ notifications: true }), FALLBACK_POLL_MS);
    this.fallbackTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.fallbackTimer);
    await this.listener?.stop();
    await this.polling;
  }

  /** The newest cursor delivered to subscribers. */
  get deliveredThrough(): bigint {
    return this.cursor;
  }

  /**
   * Brings the cursor to the newest change when the feed skipped reads while no stream was open; a
   * stream calls it before it takes `deliveredThrough` as its starting point.
   */
  async catchUpIfIdle(): Promise<void> {
    if (!this.stale || this.subscribers.size > 0) return;
    this.stale = false;
    this.cursor = await this.changeLog.latestCursor();
  }

  subscribe(subscriber: ChangeSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /**
   * Calls `listener` whenever the feed is woken for news that may include notifications (a write that created
   * some, on this instance or another, or the fallback timer), while streams are open: the notification feed
   * reads then, and not for the writes that created none.
   */
  onNotificationsMayBeNew(listener: () => void): void {
    this.notificationListeners.add(listener);
  }

  /** Reads what is new; concurrent wake-ups share one read, and one more follows if needed. */
  wake(news: LoggedWrite = { notifications: false }): void {
    // Nobody to deliver to: no read at all (writes then cost the log no extra query).
    if (this.subscribers.size === 0) {
      this.stale = true;
      return;
    }
    if (news.notifications) for (const listener of this.notificationListeners) listener();
    if (this.polling) {
      this.pollRequested = true;
      return;
    }
    this.polling = this.poll()
      .catch((error: unknown) => this.logger.warn(`Reading the change log failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.polling = undefined;
        if (this.pollRequested) {
          this.pollRequested = false;
          this.wake();
        }
      });
  }

  /**
   * Tells the other instances' listeners that the log has news. Sent after the write committed, in its
   * own statement, at most one at a time (a burst of writes shares one): a NOTIFY inside the write's
   * transaction would take PostgreSQL's global notification lock at every commit and serialise writes.
   */
  private notifyOtherInstances(write: LoggedWrite): void {
    if (this.notifying) {
      this.notifyAgain = { notifications: write.notifications || (this.notifyAgain?.notifications ?? false) };
      return;
    }
    this.notifying = true;
    this.dataSource
      .query(`SELECT pg_notify('${CHANGES_CHANNEL}', $1)`, [write.notifications ? '' : CHANGES_ONLY])
      .catch(() => undefined)
      .finally(() => {
        this.notifying = false;
        const waiting = this.notifyAgain;
        this.notifyAgain = undefined;
        if (waiting) this.notifyOtherInstances(waiting);
      });
  }

  private async poll(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    for (;;) {
      const page = await this.changeLog.afterOwnCursor(this.cursor, PAGE).catch((error: unknown) => {
        // Retention pruned past us (an instance idle for the whole retention): carry on from the newest.
        if (error instanceof Error && error.name === 'GoneException') return undefined;
        throw error;
      });
      if (!page) {
        this.cursor = await this.changeLog.latestCursor();
        return;
      }
      if (page.changes.length > 0) {
        this.cursor = BigInt(page.changes[page.changes.length - 1].cursor);
        // A batch at a time: each stream then writes once per read of the log, not once per change.
        for (const subscriber of this.subscribers) subscriber(page.changes);
      }
      if (!page.hasMore) return;
      // A gap that may still fill: look again shortly rather than spin.
      if (page.changes.length === 0) {
        setTimeout(() => this.wake(), Math.min(200, GAP_WAIT_MS)).unref();
        return;
      }
    }
  }
}

function listenerConnection(databaseUrl: string): ClientConfig {
  // The same libpq-compatible reading of the URL (sslmode included) as the pool's.
  return parsePostgresUrl(databaseUrl, { useLibpqCompat: true }) as ClientConfig;
}
