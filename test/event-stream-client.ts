import { AddressInfo } from 'node:net';
import { request as httpRequest, IncomingMessage, Server } from 'node:http';

export interface ReceivedEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** A Server-Sent Events client for tests: collects events and comments as they arrive. */
export class EventStreamClient {
  readonly events: ReceivedEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  headers: IncomingMessage['headers'] = {};
  body = '';
  ended = false;
  private buffer = '';
  private waiters: Array<() => void> = [];
  private response: IncomingMessage | undefined;
  private requestHandle: ReturnType<typeof httpRequest> | undefined;

  /** Opens `path` on a listening server; resolves once the status line and headers are in. */
  static open(server: Server, path: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
    const client = new EventStreamClient();
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      client.requestHandle = httpRequest({ host: '127.0.0.1', port, path, headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
        client.response = response;
        client.status = response.statusCode ?? 0;
        client.headers = response.headers;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => client.receive(chunk));
        response.on('end', () => {
          client.ended = true;
          client.notify();
        });
        resolve(client);
      });
      client.requestHandle.on('error', (error) => (client.status ? client.notify() : reject(error)));
      client.requestHandle.end();
    });
  }

  /** Waits until `condition` holds (checked on each arrival), or fails after `timeoutMs`. */
  async until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events.map((event) => event.id))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  dataOf(index: number): Record<string, unknown> {
    return JSON.parse(this.events[index].data ?? 'null');
  }

  close(): void {
    this.response?.destroy();
    this.requestHandle?.destroy();
  }

  private receive(chunk: string): void {
    this.body += chunk;
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: ReceivedEvent = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        const match = /^(id|event|data): ?(.*)$/.exec(line);
        if (match) event[match[1] as keyof ReceivedEvent] = match[2];
      }
      if (event.data !== undefined) this.events.push(event);
    }
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
