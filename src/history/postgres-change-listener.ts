import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';

export const CHANGES_CHANNEL = 'task_changes';
/**
 * The payload of a NOTIFY for writes that created no notification: the other instances then read the change
 * log only. Any other payload (the empty one of earlier versions included) may come with notifications.
 */
export const CHANGES_ONLY = 'changes';
const MAX_RECONNECT_DELAY_MS = 10_000;

/**
 * One LISTEN connection per instance, outside the pool: every instance that logs a change notifies
 * the channel after its commit (ChangeFeed), so each listener hears of every change. When the
 * connection drops (a database restart), it reconnects with back-off and calls `onChange` once connected
 * again, so that the feed catches up from the change log: no event is lost, only delayed.
 */
export class PostgresChangeListener {
  private readonly logger = new Logger('ChangeListener');
  private client: Client | undefined;
  private stopped = false;
  private reconnectDelay = 250;
  private wasDown = false;

  constructor(
    private readonly connection: ClientConfig,
    /** `notifications`: whether the news may include notifications (always true after a reconnection). */
    private readonly onChange: (notifications: boolean) => void,
  ) {}

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ ...this.connection, keepAlive: true });
    client.on('notification', (message) => this.onChange(message.payload !== CHANGES_ONLY));
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      this.reconnect(client, error);
      return;
    }
    // Stopped while connecting: this connection must not outlive the app (it would keep Node running).
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.reconnectDelay = 250;
    if (this.wasDown) this.logger.log('Listening for changes again; catching up from the change log');
    this.wasDown = false;
    this.onChange(true);
  }

  private reconnect(client: Client, error?: unknown): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (!this.wasDown) {
      this.logger.warn(`Change notifications interrupted${error instanceof Error ? ` (${error.message})` : ''}; reconnecting`);
    }
    this.wasDown = true;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, MAX_RECONNECT_DELAY_MS);
    setTimeout(() => void this.connect(), delay).unref();
  }
}
