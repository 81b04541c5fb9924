import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Listeners } from './listeners';

/** Longest wait for slow requests before the remaining connections are cut (Render kills at 30 s). */
export const SHUTDOWN_GRACE_MS = 20_000;

/** How long a connection that has not sent a whole request yet may still send one once the drain began. */
export const FIRST_REQUEST_GRACE_MS = 500;

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
 * still in flight with `Connection: close` so each connection ends with its last response. Connections
 * that have not sent a whole request (a browser's preconnection, a slow client) get
 * FIRST_REQUEST_GRACE_MS: Node does not count them as idle, and they would hold the exit until the
 * headers timeout.
 */
export class GracefulShutdown {
  private draining = false;
  private readonly inFlight = new Set<ServerResponse>();
  private connectionsSeen = 0;
  private readonly open = new Set<Socket>();
  private readonly carriedARequest = new WeakSet<Socket>();
  private listeners?: Listeners;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.connectionsSeen++;
      this.open.add(socket);
      socket.once('close', () => this.open.delete(socket));
    });
    // Before Express, so that a request arriving during the drain gets the header before any answer.
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      this.carriedARequest.add(request.socket);
      if (this.draining) response.setHeader('Connection', 'close');
      this.inFlight.add(response);
      response.once('close', () => this.inFlight.delete(response));
    });
  }

  /** The sockets the server listens on, closed with it. */
  listensOn(listeners: Listeners): void {
    this.listeners = listeners;
  }

  /** Resolves once every connection has ended, or after `graceMs` with the rest cut off. */
  async drain(graceMs = SHUTDOWN_GRACE_MS): Promise<{ cutConnections: boolean }> {
    this.draining = true;
    for (const response of this.inFlight) {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    await this.acceptQueuedConnections();
    // Then more turns to read the requests already sitting in the sockets.
    await nextLoopTurns(3);
    const closed = Promise.all([
      new Promise<void>((resolve) => this.server.close(() => resolve())),
      this.listeners?.close(),
    ]);
    const closeRequestless = setTimeout(() => {
      for (const socket of this.open) if (!this.carriedARequest.has(socket)) socket.destroy();
    }, FIRST_REQUEST_GRACE_MS);
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
    clearTimeout(closeRequestless);
    if (cutConnections) this.server.closeAllConnections();
    return { cutConnections };
  }

  /**
   * libuv accepts one connection per listening socket per turn of the event loop: turn until a turn
   * brings no new connection. Bounded in time, since clients told `Connection: close` reconnect at once
   * and would otherwise keep it turning; what was queued at the signal is in well within it.
   */
  private async acceptQueuedConnections(budgetMs = 250): Promise<void> {
    const until = performance.now() + budgetMs;
    while (performance.now() < until) {
      const before = this.connectionsSeen;
      await nextLoopTurns(1);
      if (this.connectionsSeen === before) return;
    }
  }
}
