// A real SMTP server on 127.0.0.1 (npm smtp-server) that a drill controls: it keeps every email it accepts, and
// can go down (connections refused) and come back on the same port.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { allocatePort } from './server.mjs';

export class DrillMailServer {
  received = [];
  port = allocatePort();
  server = undefined;

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start() {
    const server = new SMTPServer({
      logger: false,
      authOptional: true,
      // Going down should not wait for the sender's pooled connections to say goodbye.
      closeTimeout: 500,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.received.push({
              to: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
              messageId: parsed.messageId ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
    this.port = server.server.address().port;
  }

  /** Stops listening and drops open connections: new ones are refused until start() again. */
  async stop() {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
