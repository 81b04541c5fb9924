/**
 * Why a string cannot be stored as sent, or undefined when it can. PostgreSQL refuses NUL in text (a
 * driver error, so a 500) and both databases replace a lone UTF-16 surrogate with U+FFFD, so the answer
 * would differ from what is read back later: such strings are refused on every route and both databases.
 */
// With the u flag, a surrogate that is half of a pair is part of one code point: only lone ones match.
const LONE_SURROGATE = /\p{Surrogate}/u;

export function unstorableTextReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

/**
 * One 422 message per unstorable string found in a request value (a body, a query object or one query
 * parameter), named by its path within it (`email`, `labels.0`). Walks without recursion, like
 * json-depth.middleware, so that no body can overflow the stack here.
 */
export function unstorableTextMessages(value: unknown, name?: string): string[] {
  const messages: string[] = [];
  const pending: Array<[unknown, string | undefined]> = [[value, name]];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'string') {
      const reason = unstorableTextReason(current);
      if (reason) messages.push(`${path ?? 'value'} ${reason}`);
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) pending.push([child, path === undefined ? key : `${path}.${key}`]);
    }
  }
  return messages.reverse();
}
