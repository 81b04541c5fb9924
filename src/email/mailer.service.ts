import { Injectable, OnApplicationShutdown } from '@nestjs/common';
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

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Nodemailer's options for SMTP_URL. Nodemailer reads user, password, host, port and `smtps://` (TLS from
 * the start) from the URL itself, and upgrades `smtp://` with STARTTLS when the server offers it. The
 * server's certificate is verified, except on a loopback host: a local mail catcher or relay offers
 * STARTTLS with a self-signed certificate, and traffic to it never leaves the machine.
 */
export function smtpTransportOptions(smtpUrl: string): { url: string; tls?: { rejectUnauthorized: boolean } } & typeof SMTP_TIMEOUTS {
  const loopback = LOOPBACK_HOSTS.has(new URL(smtpUrl).hostname);
  return { url: smtpUrl, ...SMTP_TIMEOUTS, ...(loopback ? { tls: { rejectUnauthorized: false } } : {}) };
}

/**
 * Nodemailer over SMTP_URL; built only when email is configured. Nodemailer itself is loaded with the first
 * message rather than at start-up, where it costs ~65 ms of CPU: 0.65 s on a free instance's 0.1 CPU.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private transport: Transporter | undefined;

  constructor(private readonly config: AppConfig) {}

  /** Resolves once the SMTP server accepted the message; rejects (to be retried) otherwise. */
  async send(message: OutgoingMessage): Promise<void> {
    const email = this.config.email;
    if (!email) throw new Error('Email is not configured (SMTP_URL)');
    if (!this.transport) {
      const { createTransport } = await import('nodemailer');
      this.transport ??= createTransport({ ...smtpTransportOptions(email.smtpUrl), logger: false });
    }
    await this.transport.sendMail({ from: email.from, ...message });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
