import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedEnvelope {
  /** The whole envelope as received, to search for anything that should not have left the process. */
  raw: string;
  /** The payloads of its `event` items. */
  events: Record<string, unknown>[];
}

/**
 * A real HTTP server standing in for Sentry's ingest endpoint (`POST /api/<project>/envelope/`), so the SDK
 * sends exactly what it would send to sentry.io or GlitchTip.
 */
export class FakeSentryIngest {
  readonly envelopes: ReceivedEnvelope[] = [];
  private server: Server | undefined;
  private waiters: (() => void)[] = [];

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.receive(request).then(() => response.writeHead(200).end('{}')));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://public0123456789abcdef@127.0.0.1:${port}/42`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  get events(): Record<string, unknown>[] {
    return this.envelopes.flatMap((envelope) => envelope.events);
  }

  /** Resolves once `count` events in all have arrived, or rejects after `ms`. */
  async waitForEvents(count: number, ms = 10_000): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + ms;
    while (this.events.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} events at the fake Sentry, got ${this.events.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.events;
  }

  clear(): void {
    this.envelopes.length = 0;
  }

  private async receive(request: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const raw = body.toString('utf8');
    // An envelope is a header line, then (item header, item payload) line pairs.
    const lines = raw.split('\n').filter(Boolean);
    const events: Record<string, unknown>[] = [];
    for (let index = 1; index + 1 < lines.length; index += 2) {
      const header = JSON.parse(lines[index]) as { type?: string };
      if (header.type === 'event') events.push(JSON.parse(lines[index + 1]) as Record<string, unknown>);
    }
    this.envelopes.push({ raw, events });
    for (const wake of this.waiters.splice(0)) wake();
  }
}
