import * as Sentry from '@sentry/react';
import type { RootOptions } from 'react-dom/client';

const FILTERED = '[Filtered]';
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|session|jwt|invitation|^code$/i;
const SECRET_TEXT: [RegExp, string][] = [
  [/\bBearer\s+[^\s,;"']+/gi, `Bearer ${FILTERED}`],
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, FILTERED],
  [/\btf_[A-Za-z0-9_-]{16,}/g, FILTERED],
  [/\b(invitation|token|code)=[^&\s;"']+/gi, `$1=${FILTERED}`],
];

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return SECRET_TEXT.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) ? FILTERED : scrub(item, depth + 1)]),
  );
}

/**
 * Starts browser error tracking when the app was built with VITE_SENTRY_DSN (Sentry or GlitchTip); without it
 * nothing is loaded into the page's traffic and nothing is sent. Returns whether it is on.
 */
export function initErrorTracking(): boolean {
  const dsn = import.meta.env.VITE_SENTRY_DSN as string | undefined;
  if (!dsn) return false;
  Sentry.init({
    dsn,
    environment: (import.meta.env.VITE_SENTRY_ENVIRONMENT as string | undefined) || 'production',
    release: (import.meta.env.VITE_SENTRY_RELEASE as string | undefined) || undefined,
    sendDefaultPii: false,
    // The access token lives in memory and the refresh cookie is HttpOnly; this keeps either from riding along in
    // a breadcrumb or an error message anyway.
    beforeSend: (event) => scrub(event) as typeof event,
    beforeBreadcrumb: (breadcrumb) => scrub(breadcrumb) as typeof breadcrumb,
  });
  return true;
}

/**
 * React 19's root error hooks reporting to Sentry: a render error that no boundary catches unmounts the app, and
 * one a boundary catches is still a bug worth knowing about. Empty when error tracking is off.
 */
export function rootErrorOptions(enabled: boolean): RootOptions {
  if (!enabled) return {};
  return {
    onUncaughtError: Sentry.reactErrorHandler(),
    onCaughtError: Sentry.reactErrorHandler(),
    onRecoverableError: Sentry.reactErrorHandler(),
  };
}
