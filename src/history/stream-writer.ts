import type { Response } from 'express';

/** A client that does not read its stream is cut off past this much unsent data; it reconnects and catches up. */
export const MAX_UNSENT_BYTES = 1024 * 1024;

/**
 * How long the events for a stream gather before they are written. A comment's change and its notifications
 * come from two reads of the database, and a busy log from several reads a second: each was a socket write
 * (a system call) on every open stream, which cost more than the comment's whole write. Gathered for this long,
 * they go out in one write per stream, at most 1000 / FLUSH_MS times a second whatever the write load.
 */
export const FLUSH_MS = 50;

interface Pending {
  text: string;
  /** Called when the client reads too slowly (MAX_UNSENT_BYTES): the stream closes. */
  onOverflow: () => void;
}

/** The event streams' socket writes: events sent to a stream are written together, FLUSH_MS after the first. */
export class StreamWriter {
  private readonly pending = new Map<Response, Pending>();
  private timer: NodeJS.Timeout | undefined;

  /** Queues complete events (`text` ends with a blank line) for `response`. */
  send(response: Response, text: string, onOverflow: () => void): void {
    const queued = this.pending.get(response);
    if (queued) queued.text += text;
    else this.pending.set(response, { text, onOverflow });
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Forgets what was queued for a stream that closes. */
  forget(response: Response): void {
    this.pending.delete(response);
  }

  /** Writes everything queued, one write per stream. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const streams = [...this.pending];
    this.pending.clear();
    for (const [response, { text, onOverflow }] of streams) {
      response.write(text);
      if (response.writableLength > MAX_UNSENT_BYTES) onOverflow();
    }
  }
}
