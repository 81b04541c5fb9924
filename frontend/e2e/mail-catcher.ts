import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaughtEmail {
  to: string[];
  messageId: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * A real SMTP server on 127.0.0.1 (npm smtp-server, with its defaults: STARTTLS offered with its own certificate) that
 * keeps every email it accepts, for a browser test to open the links they hold.
 */
export class MailCatcher {
  readonly received: CaughtEmail[] = [];
  private server: SMTPServer | undefined;
  private port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      logger: false,
      authOptional: true,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.received.push({
              to: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
              messageId: parsed.messageId ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
            });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The emails to `address` so far. */
  to(address: string): CaughtEmail[] {
    return this.received.filter((email) => email.to.includes(address.toLowerCase()));
  }

  /** Waits (up to `timeoutMs`) for the `count`th email to `address` whose subject matches, and returns it. */
  async waitFor(address: string, subject: RegExp, { count = 1, timeoutMs = 20_000 } = {}): Promise<CaughtEmail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.to(address).filter((email) => subject.test(email.subject));
      if (matching.length >= count) return matching[count - 1];
      if (Date.now() > deadline) {
        const seen = this.received.map((email) => `${email.to.join(',')}: ${email.subject}`).join('\n');
        throw new Error(`No email ${subject} to ${address} within ${timeoutMs} ms; received:\n${seen}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

/** The first link in an email's text that starts with `prefix`. */
export function linkIn(email: CaughtEmail, prefix: string): string {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}\\S+`).exec(email.text);
  if (!match) throw new Error(`No link starting with ${prefix} in:\n${email.text}`);
  return match[0];
}
