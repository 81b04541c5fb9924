import { createServer, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers a request: a status, a redirect, no answer at all, or 200 and an endless body. */
export type Answer = number | { redirect: string } | 'hang' | 'flood';

/**
 * A webhook receiver on 127.0.0.1, as a customer would run one: it records every request and answers
 * from a queue (200 once the queue is empty). Tests wait for requests, never for time.
 */
/** 200, then 1 MB chunks for as long as the client reads them. */
function flood(res: ServerResponse): void {
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  const write = () => {
    while (!res.destroyed && res.write(chunk));
  };
  res.on('drain', write);
  res.on('error', () => undefined);
  write();
}

export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  readonly answers: Answer[] = [];
  private server: Server | undefined;
  private readonly hanging: ServerResponse[] = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = this.answers.shift() ?? 200;
        if (answer === 'hang') this.hanging.push(res);
        else if (answer === 'flood') flood(res);
        else if (typeof answer === 'object') res.writeHead(302, { Location: answer.redirect }).end();
        else res.writeHead(answer, { 'Content-Type': 'text/plain' }).end('ok');
        for (const waiter of this.waiters.filter((w) => this.received.length >= w.count)) waiter.resolve();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${path}`;
  }

  /** Resolves once `count` requests in all have arrived. */
  receivedCount(count: number): Promise<ReceivedDelivery[]> {
    if (this.received.length >= count) return Promise.resolve(this.received.slice(0, count));
    return new Promise((resolve) => this.waiters.push({ count, resolve: () => resolve(this.received.slice(0, count)) })).then(() => this.received.slice(0, count));
  }

  reset(): void {
    this.received.length = 0;
    this.answers.length = 0;
    this.waiters.length = 0;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
