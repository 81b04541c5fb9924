import { Client } from 'pg';

/**
 * node-postgres's Client with an 'error' listener of its own, for the pool (pg-pool's `Client` option).
 * When PostgreSQL ends connections (a restart, pg_terminate_backend), a client checked out of the pool
 * can emit 'error' while nothing listens (pg-pool listens only to idle clients, and `pool.query` only
 * once): Node then throws, and the whole process dies (brianc/node-postgres#2762). The error itself
 * still reaches whoever was using the client, through its query, and the pool drops the client.
 */
export class GuardedPgClient extends Client {
  constructor(...args: ConstructorParameters<typeof Client>) {
    super(...args);
    this.on('error', () => undefined);
  }
}
