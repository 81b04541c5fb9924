/** `<@USER_ID>` with a user id in its canonical (lower-case UUID) form; anything else is plain text. */
const MENTION = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/g;

/** The ids a comment body mentions, once each, in order of first appearance. */
export function mentionedIds(body: string): string[] {
  return [...new Set(Array.from(body.matchAll(MENTION), (match) => match[1]))];
}
