import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ChangeFeed } from '../history/change-feed.service';
import { GAP_WAIT_MS, untilOpenGap } from '../history/change-log.service';
import { EventStreams } from '../history/event-streams.service';
import { NotificationsService, toNotificationResponse } from './notifications.service';

const PAGE = 500;
/** Instances' clocks differ a little: a notification made just before a stream opened may still reach it. */
const CLOCK_SLACK_MS = 1_000;

interface Listener {
  send: (eventText: string) => void;
  /** When the stream opened: older notifications are not news to it. */
  since: number;
}

/**
 * Delivers new notifications to their recipients' open event streams (`event: notification`), on every
 * instance: it reads when the change feed is woken by news that may include notifications (this instance's
 * writes that created some, PostgreSQL NOTIFY from the others', the fallback timer), in `seq` order, waiting
 * briefly at a gap that a slower transaction may still fill.
 */
@Injectable()
export class NotificationFeed implements OnApplicationBootstrap {
  private readonly logger = new Logger('NotificationFeed');
  private readonly listeners = new Map<string, Set<Listener>>();
  private seq = 0n;
  private reading: Promise<void> | undefined;
  private readAgain = false;

  constructor(
    private readonly notifications: NotificationsService,
    private readonly changeFeed: ChangeFeed,
    private readonly streams: EventStreams,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.notifications.enabled) return;
    this.seq = await this.notifications.latestSeq();
    this.changeFeed.onNotificationsMayBeNew(() => this.read());
    this.streams.addPersonalSource((userId, send) => this.listen(userId, send));
  }

  private listen(userId: string, send: (eventText: string) => void): () => void {
    let forUser = this.listeners.get(userId);
    if (!forUser) this.listeners.set(userId, (forUser = new Set()));
    const listener = { send, since: Date.now() };
    forUser.add(listener);
    // Reads were skipped while nobody listened: catch up now (older notifications are not sent to a new stream).
    this.read();
    return () => {
      forUser.delete(listener);
      if (forUser.size === 0) this.listeners.delete(userId);
    };
  }

  private read(): void {
    if (this.listeners.size === 0) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readNew()
      .catch((error: unknown) => this.logger.warn(`Reading notifications failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.reading = undefined;
        if (this.readAgain) {
          this.readAgain = false;
          this.read();
        }
      });
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const rows = await this.notifications.after(this.seq, PAGE);
      const ready = untilOpenGap(rows.map((row) => ({ ...row, changed_at: row.created_at })), this.seq, Date.now());
      for (const row of ready) {
        this.seq = BigInt(row.seq);
        const listeners = this.listeners.get(row.user_id);
        if (!listeners) continue;
        const notification = toNotificationResponse(row);
        const text = `event: notification\ndata: ${JSON.stringify(notification)}\n\n`;
        for (const listener of listeners) if (Date.parse(notification.created_at) >= listener.since - CLOCK_SLACK_MS) listener.send(text);
      }
      if (ready.length < rows.length) {
        setTimeout(() => this.read(), Math.min(200, GAP_WAIT_MS)).unref();
        return;
      }
      if (rows.length < PAGE) return;
    }
  }
}
