import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Longest wait for slow requests before the remaining connections are cut (Render kills at 30 s). */
export const SHUTDOWN_GRACE_MS = 20_000;

/** Resolves after the event loop has gone round `turns` times, running each poll phase on the way. */
function nextLoopTurns(turns: number): Promise<void> {
  return new Promise((resolve) => {
    const step = (left: number) => (left === 0 ? resolve() : setImmediate(() => step(left - 1)));
    step(turns);
  });
}

/**
 * Stops an HTTP server without failing a request a client has already sent.
 *
 * Closing the listener at once (what `server.close()` does) would reset two kinds of requests that
 * were fully sent but not yet read because the event loop was busy (SQLite queries run on it):
 * connections still in the kernel's accept queue, and requests waiting in the socket of a kept-alive
 * connection that Node still counts as idle. So the drain first lets the event loop accept and read
 * what is already there, then stops listening and closes the idle connections, and answers everything
 * still in flight with `Connection: close` so each connection ends with its last response.
 */
export class GracefulShutdown {
  private draining = false;
  private readonly inFlight = new Set<ServerResponse>();

  constructor(private readonly server: Server) {
    // Before Express, so that a request arriving during the drain gets the header before any answer.
    server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
      if (this.draining) response.setHeader('Connection', 'close');
      this.inFlight.add(response);
      response.once('close', () => this.inFlight.delete(response));
    });
  }

  /** Resolves once every connection has ended, or after `graceMs` with the rest cut off. */
  async drain(graceMs = SHUTDOWN_GRACE_MS): Promise<{ cutConnections: boolean }> {
    this.draining = true;
    for (const response of this.inFlight) {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    // One turn to accept queued connections, more to read the requests already sitting in their sockets.
    await nextLoopTurns(3);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // A response whose headers went out before the drain leaves a kept-alive idle connection behind.
    const closeIdleSoon = () => void nextLoopTurns(2).then(() => this.server.closeIdleConnections());
    this.server.on('request', (_request: IncomingMessage, response: ServerResponse) => response.once('close', closeIdleSoon));
    for (const response of this.inFlight) response.once('close', closeIdleSoon);

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), graceMs);
    });
    const cutConnections = (await Promise.race([closed.then(() => false as const), timedOut])) === true;
    clearTimeout(timer);
    if (cutConnections) this.server.closeAllConnections();
    return { cutConnections };
  }
}
