import { Logger } from '@nestjs/common';

/** What a client is told to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

// Network failures, and PostgreSQL's SQLSTATEs for a server shutting down, starting up, out of
// connections or resources, and lost connections (classes 08, 53, 57P).
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  '57P01', '57P02', '57P03', '53000', '53100', '53200', '53300', '53400',
  '08000', '08001', '08003', '08004', '08006', '08007',
  // SQLite: locked past the busy timeout, I/O failures, a file that cannot be opened or written.
  'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_PROTOCOL',
]);

// Errors without a code: node-postgres's lost or refused connections, its pool's wait limit, a TypeORM
// data source that is not (or no longer) connected (its pool ended), better-sqlite3 on a closed database.
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection is not established/i,
  /database connection is not open/i,
  /Cannot use a pool after calling end/i,
  /^Driver not Connected$/,
  /is not currently accepting connections/i,
];
const UNAVAILABLE_ERROR_NAMES = new Set([
  'CannotExecuteNotConnectedError',
  'ConnectionIsNotSetError',
  'QueryRunnerAlreadyReleasedError',
]);

/** Whether an error means "the database cannot be reached right now" rather than a bug or bad input. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // TypeORM wraps the driver's error (driverError); Node and pg chain theirs (cause).
  for (let current = error, hops = 0; current instanceof Error && hops < 5; hops++) {
    const { code, name, message } = current as Error & { code?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('SQLITE_IOERR'))) return true;
    if (UNAVAILABLE_ERROR_NAMES.has(name) || UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    const inner = current as Error & { driverError?: unknown; cause?: unknown };
    current = inner.driverError ?? inner.cause;
  }
  return false;
}

/**
 * Logs a database outage once when it starts and once when it ends, instead of once per refused
 * request: while the database is down every request fails the same way and the log would be flooded.
 * The end is found by probing the database every second, so it is logged even if no request comes.
 */
export class DatabaseOutageLog {
  private readonly logger = new Logger('Database');
  private outage: { since: number; refused: number; timer: NodeJS.Timeout } | undefined;
  private probing = false;

  /** @param probe resolves when the database answers; `undefined` once the app is closing (stop probing). */
  constructor(private readonly probe: () => Promise<unknown> | undefined) {}

  get inOutage(): boolean {
    return this.outage !== undefined;
  }

  /** Counts a refused request; returns true for the first of an outage, the one worth reporting. */
  record(error: unknown): boolean {
    if (this.outage) {
      this.outage.refused++;
      return false;
    }
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.error(`Database unavailable (${reason}): answering 503 until it is back`);
    const timer = setInterval(() => this.checkRecovery(), 1_000);
    timer.unref();
    this.outage = { since: Date.now(), refused: 1, timer };
    return true;
  }

  private checkRecovery(): void {
    if (this.probing) return;
    const probe = this.probe();
    if (probe === undefined) return this.end();
    this.probing = true;
    probe.then(
      () => {
        this.probing = false;
        if (!this.outage) return;
        const seconds = ((Date.now() - this.outage.since) / 1000).toFixed(1);
        this.logger.log(`Database reachable again after ${seconds} s; ${this.outage.refused} requests were answered 503`);
        this.end();
      },
      () => {
        this.probing = false;
      },
    );
  }

  private end(): void {
    clearInterval(this.outage?.timer);
    this.outage = undefined;
  }
}
