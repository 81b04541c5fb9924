import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export const SMTP_USER = 'taskflow';
export const SMTP_PASSWORD = 'smtp-password-not-for-logs';

export interface ReceivedEmail {
  to: string[];
  from: string;
  messageId: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * A real SMTP server on 127.0.0.1 for the e2e tests (npm smtp-server): it needs the test's user and
 * password, keeps what it accepts, and can go down and come back on the same port.
 */
export class SmtpTestServer {
  readonly received: ReceivedEmail[] = [];
  private server: SMTPServer | undefined;
  private port = 0;
  private waiters: Array<() => void> = [];

  get url(): string {
    return `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      // smtp-server's defaults, as a real server: STARTTLS offered (with its own self-signed certificate), then AUTH.
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.received.push({
              // Lower-cased: SMTP servers may change the case of the domain.
              to: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              messageId: parsed.messageId ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
            });
            for (const wake of this.waiters.splice(0)) wake();
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  /** Stops listening: connections are refused until start() again, on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once `count` emails in all have arrived. */
  async waitFor(count: number): Promise<ReceivedEmail[]> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.received;
  }

  to(address: string): ReceivedEmail[] {
    return this.received.filter((email) => email.to.includes(address.toLowerCase()));
  }
}
