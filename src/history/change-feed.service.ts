import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse as parsePostgresUrl } from 'pg-connection-string';
import type { ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { isPostgresUrl } from '../database/data-source.options';
import { ChangeLogService, GAP_WAIT_MS } from './change-log.service';
import { TaskChangeResponse } from './dto/task-change-response.dto';
import { PostgresChangeListener } from './postgres-change-listener';

const PAGE = 500;
/** A safety net under NOTIFY (and the SQLite in-process signal): look for changes at least this often. */
const FALLBACK_POLL_MS = 5_000;

export type ChangeSubscriber = (change: TaskChangeResponse) => void;

/**
 * This instance's reader of the change log: one query per batch of changes, whatever the number of
 * open streams, fanned out to every subscriber in cursor order. Woken by this instance's writes, by
 * PostgreSQL NOTIFY for the other instances' writes, and by a slow fallback timer.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ChangeFeed');
  private readonly subscribers = new Set<ChangeSubscriber>();
  private cursor = 0n;
  private polling: Promise<void> | undefined;
  private pollRequested = false;
  private fallbackTimer: NodeJS.Timeout | undefined;
  private listener: PostgresChangeListener | undefined;

  constructor(
    private readonly changeLog: ChangeLogService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.cursor = await this.changeLog.latestCursor();
    this.changeLog.onChangeLogged(() => this.wake());
    if (isPostgresUrl(this.config.databaseUrl)) {
      this.listener = new PostgresChangeListener(listenerConnection(this.config.databaseUrl), () => this.wake());
      this.listener.start();
    }
    this.fallbackTimer = setInterval(() => this.wake(), FALLBACK_POLL_MS);
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

  subscribe(subscriber: ChangeSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** Reads what is new; concurrent wake-ups share one read, and one more follows if needed. */
  wake(): void {
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

  private async poll(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    for (;;) {
      const page = await this.changeLog.after(this.cursor, PAGE).catch((error: unknown) => {
        // Retention pruned past us (an instance idle for the whole retention): carry on from the newest.
        if (error instanceof Error && error.name === 'GoneException') return undefined;
        throw error;
      });
      if (!page) {
        this.cursor = await this.changeLog.latestCursor();
        return;
      }
      for (const change of page.changes) {
        this.cursor = BigInt(change.cursor);
        for (const subscriber of this.subscribers) subscriber(change);
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
