import { UnprocessableEntityException } from '@nestjs/common';
import { BlockedAddressError, resolveAllowed } from './webhook-address';

export const MAX_URL_LENGTH = 2000;

/**
 * Checks a webhook URL as the contract requires: absolute http(s), no credentials, and a host that neither is
 * nor resolves to a loopback, private, link-local, unique-local, multicast or unspecified address (unless
 * WEBHOOK_ALLOWED_HOSTS lists it). WHATWG parsing already turns `0x7f.1`, `017700000001` and `2130706433` into
 * `127.0.0.1`. Throws 422 naming the rule.
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
  try {
    await resolveAllowed(url.hostname, allowedHosts);
  } catch (error) {
    if (error instanceof BlockedAddressError) throw refuse(`is not allowed: ${error.message}`);
    throw refuse(`host ${url.hostname} cannot be resolved`);
  }
}
