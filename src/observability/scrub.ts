const FILTERED = '[Filtered]';

// Keys whose values are secrets wherever they appear: headers, request data, extra, contexts, breadcrumbs.
const SECRET_KEY = /pass(word)?|passwd|secret|token|authorization|cookie|session|jwt|api[-_]?key|credential|invitation|^code$/i;

// Secrets that can hide inside any text (an error message, a URL, a log breadcrumb).
const SECRET_TEXT: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[^\s,;"']+/gi, `$1 ${FILTERED}`],
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, FILTERED], // a JWT
  [/\btf_[A-Za-z0-9_-]{16,}/g, FILTERED], // an API token
  [/\b(taskflow_session|setup_token|token|password|code|invitation)=[^&\s;"']+/gi, `$1=${FILTERED}`],
];

export function scrubText(text: string): string {
  return SECRET_TEXT.reduce((scrubbed, [pattern, replacement]) => scrubbed.replace(pattern, replacement), text);
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  const scrubbed: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    scrubbed[key] = SECRET_KEY.test(key) ? FILTERED : scrubValue(item, depth + 1);
  }
  return scrubbed;
}

/**
 * Removes every password, token, cookie and Authorization header from an error report before it leaves the
 * process (Sentry's beforeSend). Request bodies and cookies are dropped whole: a fault report never needs them.
 */
export function scrubEvent<T extends object>(event: T): T {
  // The installed packages' names (`cookie-parser`, `jsonwebtoken`) are not secrets, and neither are their versions.
  const { modules, ...copy } = event as Record<string, unknown>;
  const request = copy.request as Record<string, unknown> | undefined;
  if (request) {
    const { data: _data, cookies: _cookies, ...rest } = request;
    copy.request = rest;
  }
  const scrubbed = scrubValue(copy, 0) as Record<string, unknown>;
  return (modules === undefined ? scrubbed : { ...scrubbed, modules }) as T;
}
