import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../src/config/app-config';
import { JobsService } from '../src/jobs/jobs.service';
import { SmtpTestServer } from './smtp-test-server';

export const APP_URL = 'https://taskflow.test';
export const EMAIL_FROM = 'TaskFlow <tasks@taskflow.test>';

/** The settings that turn email on, sending to the test's SMTP server. */
export function emailConfig(smtp: SmtpTestServer): Pick<AppConfig, 'email' | 'appUrl'> {
  return { appUrl: APP_URL, email: { smtpUrl: smtp.url, from: EMAIL_FROM, appUrl: APP_URL } };
}

/** Runs background jobs until none is due: a request's job may queue the email's job. */
export async function runJobs(app: NestExpressApplication): Promise<void> {
  while ((await app.get(JobsService).runDue()) > 0);
}

/** Empties the outbox and the jobs, which clearAll() leaves alone. */
export async function clearEmail(app: NestExpressApplication): Promise<void> {
  const dataSource = app.get(DataSource);
  for (const table of ['jobs', 'emails', 'password_resets']) await dataSource.query(`DELETE FROM ${table}`);
}

/** Makes every waiting retry due now, as the passing of its back-off would. */
export async function makeRetriesDue(app: NestExpressApplication): Promise<void> {
  await app.get(DataSource).query(`UPDATE jobs SET run_at = ${Date.now() - 1} WHERE status = 'pending'`);
}

/** The token of the reset link in an email's text. */
export function resetTokenIn(text: string): string {
  const token = new RegExp(`${APP_URL}/reset-password\\?token=([A-Za-z0-9_-]+)`).exec(text)?.[1];
  if (!token) throw new Error(`no reset link in ${text}`);
  return token;
}
