import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';

export interface OutgoingMessage {
  /** Stable across retries, so that a receiver can drop a copy sent twice. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Bounds on one delivery, so that a stalled SMTP server fails a run (to be retried) instead of holding it. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** Nodemailer over SMTP_URL; built only when email is configured. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private transport: Transporter | undefined;

  constructor(private readonly config: AppConfig) {}

  /** Resolves once the SMTP server accepted the message; rejects (to be retried) otherwise. */
  async send(message: OutgoingMessage): Promise<void> {
    const email = this.config.email;
    if (!email) throw new Error('Email is not configured (SMTP_URL)');
    // Nodemailer reads user, password, host, port and smtps:// (TLS from the start) from the URL itself.
    this.transport ??= createTransport({ url: email.smtpUrl, ...SMTP_TIMEOUTS, logger: false });
    await this.transport.sendMail({ from: email.from, ...message });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
