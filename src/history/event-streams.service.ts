import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { CREDENTIAL_RECHECK_MS, CredentialsService } from '../auth/credentials.service';
import { Principal } from '../auth/principal';
import { AppConfig } from '../config/app-config';
import { ChangeFeed } from './change-feed.service';
import { ChangeLogService } from './change-log.service';
import { TaskChangeResponse } from './dto/task-change-response.dto';
import { StreamWriter } from './stream-writer';

const CATCH_UP_PAGE = 500;
/** EventSource waits this long before reconnecting (the `retry:` field). */
const RECONNECT_DELAY_MS = 3_000;

export interface StreamOptions {
  /** Null in AUTH_MODE=off. */
  principal: Principal | null;
  /** When the credential that opened the stream expires (epoch ms). */
  closesAt: number;
  /** Deliver what came after this cursor first (Last-Event-ID); undefined: only what comes next. */
  after: bigint | undefined;
}

// One change goes to every open stream: serialise it once, not once per stream; a batch of them too.
const eventTexts = new WeakMap<TaskChangeResponse, string>();
const batchTexts = new WeakMap<TaskChangeResponse[], string>();
const cursors = new WeakMap<TaskChangeResponse, bigint>();

/** The change's cursor as a number, parsed once for all streams. */
function cursorOf(change: TaskChangeResponse): bigint {
  let cursor = cursors.get(change);
  if (cursor === undefined) cursors.set(change, (cursor = BigInt(change.cursor)));
  return cursor;
}

function eventText(change: TaskChangeResponse): string {
  let text = eventTexts.get(change);
  if (text === undefined) {
    text = `id: ${change.cursor}\nevent: ${eventName(change)}\ndata: ${JSON.stringify(change)}\n\n`;
    eventTexts.set(change, text);
  }
  return text;
}

function batchText(changes: TaskChangeResponse[]): string {
  let text = batchTexts.get(changes);
  if (text === undefined) {
    text = changes.map(eventText).join('');
    batchTexts.set(changes, text);
  }
  return text;
}

/**
 * Events for one user only (their notifications), beside the changes every stream gets: `subscribe` calls
 * `send` with ready-made event texts for that user, and returns the unsubscribe function.
 */
export type PersonalEventSource = (userId: string, send: (eventText: string) => void) => () => void;

/** `task.created` … for task entries, `comment.created` … for comment entries (kind `comment_created`). */
export function eventName(change: { kind: string }): string {
  return change.kind.startsWith('comment_') ? change.kind.replace('_', '.') : `task.${change.kind}`;
}

/** The open Server-Sent Events streams of this instance. */
@Injectable()
export class EventStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<() => void>();
  private readonly personalSources: PersonalEventSource[] = [];
  private readonly writer = new StreamWriter();

  constructor(
    private readonly feed: ChangeFeed,
    private readonly changeLog: ChangeLogService,
    private readonly credentials: CredentialsService,
    private readonly config: AppConfig,
  ) {}

  get openCount(): number {
    return this.open.size;
  }

  /** Streams would keep a shutdown waiting forever: end them, and clients reconnect to another instance. */
  closeAll(): void {
    for (const close of [...this.open]) close();
  }

  beforeApplicationShutdown(): void {
    this.closeAll();
  }

  addPersonalSource(source: PersonalEventSource): void {
    this.personalSources.push(source);
  }

  /**
   * Streams changes to `response`: first those after `options.after` (from the change log), then each
   * new one as the feed reads it, in cursor order, without gaps or repeats.
   */
  async stream(response: Response, options: StreamOptions): Promise<void> {
    await this.feed.catchUpIfIdle();
    let cursor = options.after ?? this.feed.deliveredThrough;
    // Changes the feed delivers while catching up wait here, then go out in order.
    let pending: TaskChangeResponse[] | undefined = [];
    const send = (changes: TaskChangeResponse[]) => {
      const fresh = changes.filter((change) => cursorOf(change) > cursor);
      if (fresh.length === 0) return;
      cursor = cursorOf(fresh[fresh.length - 1]);
      // Most streams take a whole batch of the feed: its text is the same for all of them.
      this.writer.send(response, fresh.length === changes.length ? batchText(changes) : fresh.map(eventText).join(''), close);
    };
    const unsubscribeChanges = this.feed.subscribe((changes) => (pending ? pending.push(...changes) : send(changes)));
    const userId = options.principal?.user.id;
    const unsubscribePersonal = userId
      ? this.personalSources.map((source) =>
          source(userId, (text) => this.writer.send(response, text, close)),
        )
      : [];
    const unsubscribe = () => {
      unsubscribeChanges();
      for (const stop of unsubscribePersonal) stop();
    };

    const timers: NodeJS.Timeout[] = [];
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      for (const timer of timers) clearInterval(timer);
      this.open.delete(close);
      this.writer.forget(response);
      response.end();
    };
    this.open.add(close);
    response.on('close', close);

    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Tells nginx-like proxies not to buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    response.write(`retry: ${RECONNECT_DELAY_MS}\n\n`);

    timers.push(setInterval(() => response.write(': heartbeat\n\n'), this.config.eventsHeartbeatSeconds * 1000));
    if (options.principal) {
      const principal = options.principal;
      timers.push(
        setInterval(() => {
          if (Date.now() >= options.closesAt) return close();
          void this.credentials.stillValid(principal).then((valid) => valid || close(), close);
        }, CREDENTIAL_RECHECK_MS),
      );
    }

    try {
      // Catch up from the change log until the feed's own position, then hand over to it.
      while (!closed && cursor < this.feed.deliveredThrough) {
        const page = await this.changeLog.after(cursor, CATCH_UP_PAGE);
        send(page.changes);
        if (page.changes.length === 0) break;
      }
    } catch {
      return close();
    }
    const waiting = pending;
    pending = undefined;
    send(waiting);
  }
}
