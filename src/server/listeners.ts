import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Server } from 'node:http';

/**
 * Sockets listening on the API's port. libuv accepts one connection per listening socket per turn of
 * the event loop (libuv/libuv#3696), and a turn lasts tens of milliseconds when hundreds of requests
 * are being served: 1,000 clients connecting at once then waited seconds in the kernel's accept queue
 * before Node even read their first request, whatever the load shedder did. On Linux several sockets
 * share the port (SO_REUSEPORT: the kernel spreads new connections over them) and each hands its
 * connections to the one HTTP server, so that many connections are accepted per turn. (Only processes
 * of the same user can join such a group of sockets.)
 */
export class Listeners {
  private constructor(
    private readonly server: Server,
    private readonly extra: NetServer[],
  ) {}

  /** Listens on `host:port` with `count` sockets (one where SO_REUSEPORT is not available). */
  static async open(server: Server, options: { port: number; host: string; backlog: number; count: number }): Promise<Listeners> {
    const shared = process.platform === 'linux' && options.count > 1;
    const listen = (target: NetServer, port: number) =>
      new Promise<void>((resolve, reject) => {
        target.once('error', reject);
        target.listen({ port, host: options.host, backlog: options.backlog, reusePort: shared }, () => {
          target.off('error', reject);
          resolve();
        });
      });
    await listen(server, options.port);
    const extra: NetServer[] = [];
    const listeners = new Listeners(server, extra);
    if (!shared) return listeners;
    // With port 0 the first socket picked one; the others must share it.
    const port = (server.address() as { port: number }).port;
    try {
      for (let i = 1; i < options.count; i++) {
        // `connection` is how Node's docs say to hand a socket to an HTTP server; it then owns it
        // entirely (parsing, timeouts, keep-alive, closeIdleConnections). Half-open and no-delay as
        // http.Server sets them on the sockets it accepts itself.
        const handOver = createServer({ allowHalfOpen: true, noDelay: true }, (socket: Socket) => server.emit('connection', socket));
        await listen(handOver, port);
        extra.push(handOver);
      }
    } catch (error) {
      await listeners.close();
      server.close();
      throw error;
    }
    return listeners;
  }

  /** How many sockets listen. */
  get count(): number {
    return this.extra.length + 1;
  }

  /**
   * Stops accepting on the extra sockets; resolves once every connection they accepted has ended (the
   * HTTP server's own `close()` only waits for the connections its own socket accepted).
   */
  close(): Promise<void> {
    return Promise.all(this.extra.map((target) => new Promise<void>((resolve) => target.close(() => resolve())))).then(() => undefined);
  }
}
