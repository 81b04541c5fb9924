import { apiBaseUrl } from '../../config';
import { ApiError } from '../../lib/api-client';
import { getStreamTicket, getTaskChanges } from './tasks.api';
import type { TaskChange } from './task.types';

/**
 * - `connecting`: opening the stream for the first time;
 * - `live`: changes arrive as they happen;
 * - `reconnecting`: the stream ended (the credential expired, the server restarted) and a new one is on its way;
 * - `paused`: several attempts failed (offline, server down); it keeps trying, further and further apart.
 */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'paused';

export const eventTypes = [
  'task.created',
  'task.updated',
  'task.deleted',
  'comment.created',
  'comment.updated',
  'comment.deleted',
] as const;

/** Back-off between attempts: 1 s, 2 s, 4 s … up to 30 s, each ±20 % so that a restarted server is not hit at once. */
export function reconnectDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Failed attempts in a row after which the indicator says that live updates are paused. */
const pausedAfter = 3;
/** A stream that stayed open this long ended normally (an expired credential): reconnect at once. */
const healthyMs = 10_000;

export interface TaskEventsOptions {
  /** With accounts on, each stream needs a ticket (POST /tasks/events/ticket); with accounts off, none. */
  ticketed: boolean;
  onChange: (change: TaskChange) => void;
  onStatus: (status: LiveStatus) => void;
  /** Changes may have been missed and cannot be replayed (no cursor yet, or one older than the log keeps). */
  onGap: () => void;
  /** `event: notification`: one of the signed-in person's own notifications (not a change: it moves no cursor). */
  onNotification?: (notification: unknown) => void;
}

/**
 * The live stream of task changes, kept open: each connection gets a fresh ticket (a ticket works once, so
 * EventSource's own reconnect cannot be used) and resumes after the last change received (`last_event_id`), so
 * nothing is missed in between.
 */
export class TaskEvents {
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cursor: string | null = null;
  private failures = 0;
  private openedAt: number | null = null;
  private everOpened = false;
  private stopped = false;
  private attempt = 0;
  private status: LiveStatus = 'connecting';

  constructor(private readonly options: TaskEventsOptions) {}

  start(): void {
    this.stopped = false;
    this.options.onStatus(this.status);
    window.addEventListener('online', this.retryNow);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisible);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
    window.removeEventListener('online', this.retryNow);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  /** Skips the wait of the back-off (the person asked, or the browser is back online). */
  readonly retryNow = (): void => {
    if (this.stopped || this.source) return;
    clearTimeout(this.timer);
    void this.connect();
  };

  /**
   * An open stream does not notice a lost network until the connection times out, and the server's heartbeats are
   * comments, which EventSource does not surface: the browser's word that it is offline is the quickest sign.
   */
  private readonly onOffline = (): void => {
    if (this.stopped) return;
    this.source?.close();
    this.source = null;
    this.openedAt = null;
    this.failures = Math.max(this.failures, pausedAfter - 1);
    this.failed();
  };

  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible' && this.status === 'paused') this.retryNow();
  };

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }

  private async connect(): Promise<void> {
    const attempt = ++this.attempt;
    let url = `${apiBaseUrl}/tasks/events`;
    const params = new URLSearchParams();
    try {
      if (this.cursor !== null) {
        // A cursor older than the change log keeps would be refused (410) by the stream, which EventSource cannot
        // tell apart from any other failure; asking first says so, and then everything is reloaded instead.
        await getTaskChanges(this.cursor, 1).catch((error: unknown) => {
          if (!(error instanceof ApiError && error.status === 410)) throw error;
          this.cursor = null;
          this.options.onGap();
        });
      }
      if (this.options.ticketed) params.set('ticket', (await getStreamTicket()).ticket);
    } catch {
      if (attempt === this.attempt && !this.stopped) this.failed();
      return;
    }
    if (attempt !== this.attempt || this.stopped) return;
    if (this.cursor !== null) params.set('last_event_id', this.cursor);
    const search = params.toString();
    if (search) url += `?${search}`;

    const source = new EventSource(url);
    this.source = source;
    const resumed = this.cursor !== null;
    source.onopen = () => {
      this.openedAt = Date.now();
      this.failures = 0;
      // Without a cursor the stream starts from now: what changed while there was none is only on the server.
      if (this.everOpened && !resumed) this.options.onGap();
      this.everOpened = true;
      this.setStatus('live');
    };
    const receive = (event: MessageEvent<string>) => {
      let change: TaskChange;
      try {
        change = JSON.parse(event.data) as TaskChange;
      } catch {
        return;
      }
      this.cursor = event.lastEventId || change.cursor;
      this.options.onChange(change);
    };
    for (const type of eventTypes) source.addEventListener(type, receive as EventListener);
    source.addEventListener('notification', ((event: MessageEvent<string>) => {
      try {
        this.options.onNotification?.(JSON.parse(event.data));
      } catch {
        // Not JSON: nothing to show.
      }
    }) as EventListener);
    source.onerror = () => {
      // EventSource would reconnect by itself, with a ticket that has been used: close it and open a new one.
      source.close();
      if (this.source !== source) return;
      this.source = null;
      const healthy = this.openedAt !== null && Date.now() - this.openedAt >= healthyMs;
      this.openedAt = null;
      if (healthy) {
        this.setStatus('reconnecting');
        void this.connect();
      } else {
        this.failed();
      }
    };
  }

  private failed(): void {
    this.failures += 1;
    this.setStatus(this.failures >= pausedAfter ? 'paused' : this.everOpened ? 'reconnecting' : 'connecting');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), reconnectDelay(this.failures));
  }
}
