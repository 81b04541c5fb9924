import type { Server } from 'node:http';
import { Listeners } from './listeners';

/**
 * Time limits of the HTTP server, in one place because the shutdown, the slow-client cut-off and the
 * load shedder depend on each other (README "Reliability" explains the values).
 */
export const SERVER_LIMITS = {
  /** A client that has not sent its whole header block by then gets 408 and is disconnected (slowloris). */
  headersTimeoutMs: 10_000,
  /** The whole request, body included; bodies are at most 100 kB, so 30 s only ever stops a stalled client. */
  requestTimeoutMs: 30_000,
  /** How often Node checks the two limits above; its default (30 s) let slow clients linger for up to 90 s. */
  connectionsCheckingIntervalMs: 1_000,
  /** Node's default. Idle connections are closed at once on shutdown, so it never delays an exit. */
  keepAliveTimeoutMs: 5_000,
  /**
   * Pending connections the kernel keeps while the event loop is busy. Node's 511 overflowed when 1,000
   * clients connected at once, and a dropped SYN is retried only after 1 s, then 3 s: client timeouts.
   * The kernel caps it at net.core.somaxconn (4096 on current Linux).
   */
  listenBacklog: 4_096,
  /** Sockets sharing the port (see listeners.ts): up to this many connections accepted per turn of the event loop. */
  listenSockets: 32,
} as const;

/** Applies the limits; call it before `listen()`, which is when Node starts the timeout checks. */
export function applyServerLimits(server: Server): void {
  server.headersTimeout = SERVER_LIMITS.headersTimeoutMs;
  server.requestTimeout = SERVER_LIMITS.requestTimeoutMs;
  server.keepAliveTimeout = SERVER_LIMITS.keepAliveTimeoutMs;
  // Not part of Node's typings as a writable field, but read when the server starts listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    SERVER_LIMITS.connectionsCheckingIntervalMs;
}

/** Listens on all interfaces with the backlog and the sockets above (Nest's `listen()` cannot pass them). */
export function openListeners(server: Server, port: number): Promise<Listeners> {
  return Listeners.open(server, { port, host: '0.0.0.0', backlog: SERVER_LIMITS.listenBacklog, count: SERVER_LIMITS.listenSockets });
}
