import { HttpException, Logger } from '@nestjs/common';
import type * as SentrySdk from '@sentry/nestjs';
import type { Request } from 'express';
import { APP_VERSION } from '../config/app-version';
import type { AuthenticatedRequest } from '../auth/principal';
import { AppConfig, loadConfig } from '../config/app-config';
import { requestIdOf, routeTemplate } from './request-context';
import { scrubEvent } from './scrub';

const FLUSH_TIMEOUT_MS = 2_000;
const logger = new Logger('ErrorTracking');

/**
 * The SDK, loaded only when SENTRY_DSN is set: it and its OpenTelemetry packages are about 650 of the 2,200
 * modules the API would load, about a quarter of the start-up time.
 */
let sentry: typeof SentrySdk | undefined;

/** `taskflow@1.0.0+<commit>`: the package version, and the deployed commit when Render says which. */
export function releaseName(config: Pick<AppConfig, 'gitCommit'>): string {
  return `taskflow@${APP_VERSION}${config.gitCommit ? `+${config.gitCommit.slice(0, 12)}` : ''}`;
}

/**
 * Starts the Sentry SDK when SENTRY_DSN is set; without it nothing is sent anywhere. Idempotent for one DSN.
 * Performance tracing stays off: only faults are reported.
 */
export async function initErrorTracking(config: AppConfig): Promise<boolean> {
  if (!config.sentryDsn) return false;
  sentry ??= await import('@sentry/nestjs');
  if (sentry.getClient()?.getOptions().dsn === config.sentryDsn) return true;
  sentry.init({
    dsn: config.sentryDsn,
    environment: config.sentryEnvironment,
    release: releaseName(config),
    sendDefaultPii: false,
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubEvent(breadcrumb),
  });
  logger.log(`Error tracking on (${config.sentryEnvironment}, ${releaseName(config)})`);
  return true;
}

/** 5xx and anything that is not an HttpException are server faults; 4xx are the client's and never reported. */
export function isServerFault(exception: unknown): boolean {
  return !(exception instanceof HttpException) || exception.getStatus() >= 500;
}

/** Reports a server fault met while answering `request`, with its route, request id and user id. */
export function captureServerFault(exception: unknown, request: Request): void {
  if (!sentry?.getClient() || !isServerFault(exception)) return;
  const sdk = sentry;
  sdk.withScope((scope) => {
    const route = routeTemplate(request);
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    const userId = (request as AuthenticatedRequest).principal?.user.id;
    scope.setTransactionName(`${request.method} ${route ?? '(unmatched route)'}`);
    scope.setTags({ route: route ?? '(unmatched)', request_id: requestIdOf(request), status_code: String(status) });
    scope.setContext('request_info', { method: request.method, route, request_id: requestIdOf(request) });
    if (userId) scope.setUser({ id: userId });
    sdk.captureException(exception, { mechanism: { type: 'taskflow.http_exception_filter', handled: false } });
  });
}

/**
 * Reports an error that stopped the start (a failed migration, an unreachable database) and waits for it to
 * be sent, since the process exits right after. Safe to call when the configuration itself is invalid.
 */
export async function reportStartupFailure(error: unknown): Promise<void> {
  if (!sentry?.getClient()) {
    let config: AppConfig;
    try {
      config = loadConfig();
    } catch {
      return; // An invalid environment names its own variables; there is no DSN to trust.
    }
    await initErrorTracking(config);
  }
  const sdk = sentry;
  if (!sdk?.getClient()) return;
  sdk.withScope((scope) => {
    scope.setTag('phase', 'startup');
    sdk.captureException(error, { mechanism: { type: 'taskflow.startup', handled: false } });
  });
  await sdk.flush(FLUSH_TIMEOUT_MS);
}

/** Sends what is still queued; called on shutdown. */
export async function flushErrorReports(): Promise<void> {
  if (sentry?.getClient()) await sentry.flush(FLUSH_TIMEOUT_MS);
}

/** Reports a fault of background work (a job that failed for good), tagged with what it was. */
export function captureBackgroundFault(error: unknown, tags: Record<string, string>): void {
  if (!sentry?.getClient()) return;
  const sdk = sentry;
  sdk.withScope((scope) => {
    scope.setTags({ phase: 'background', ...tags });
    sdk.captureException(error, { mechanism: { type: 'taskflow.job', handled: false } });
  });
}
