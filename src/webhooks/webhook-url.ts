import { UnprocessableEntityException } from '@nestjs/common';
import { BlockedAddressError, resolveAllowed } from './webhook-address';

export const MAX_URL_LENGTH = 2000;

/** How long a creation waits for DNS; a host not resolved by then is judged at each delivery instead. */
const RESOLVE_WAIT_MS = 2_000;

/**
 * Checks a webhook URL as the contract requires: absolute http(s), no credentials, and a host that neither is
 * nor resolves to a loopback, private, link-local, unique-local, multicast or unspecified address (unless
 * WEBHOOK_ALLOWED_HOSTS lists it). WHATWG parsing already turns `0x7f.1`, `017700000001` and `2130706433` into
 * `127.0.0.1`. A name that does not resolve now is accepted: every attempt resolves it again and applies the
 * same rule to the address it connects to, which is where the protection holds. Throws 422 naming the rule.
 */
export async function assertAcceptableUrl(text: string, allowedHosts: readonly string[]): Promise<void> {
  const refuse = (reason: string) => new UnprocessableEntityException([`url ${reason}`]);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('must be an absolute http or https URL');
  if (url.username || url.password) throw refuse('must not contain a user name or password');
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, RESOLVE_WAIT_MS)));
  try {
    await Promise.race([resolveAllowed(url.hostname, allowedHosts), gaveUp]);
  } catch (error) {
    if (error instanceof BlockedAddressError) throw refuse(`is not allowed: ${error.message}`);
  } finally {
    clearTimeout(timer);
  }
}
