import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LookupAddress } from 'node:dns';
import { LookupFunction, Socket } from 'node:net';
import { bareHost, BlockedAddressError, blockedReason, resolveAllowed } from './webhook-address';

/** A receiver gets this long to answer, headers and all. */
export const DELIVERY_TIMEOUT_MS = 10_000;

export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  allowedHosts: readonly string[];
}

export interface DeliveryOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/**
 * A lookup that hands the socket only addresses that passed the rules, so that the address checked is the
 * address connected to (a DNS answer cannot change in between).
 */
function checkedLookup(allowedHosts: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, allowedHosts).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no address of family ${options.family}`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, wanted);
        callback(null, wanted[0].address, wanted[0].family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

/**
 * One POST of a delivery: no redirects followed (a 3xx is a failure), no connection kept or shared, at most
 * DELIVERY_TIMEOUT_MS until the answer's status. The answer's body is never read: the connection is closed
 * once the status arrives, so that a receiver that floods or trickles holds neither memory nor a socket
 * (Node's parser caps the headers at 16 kB). Never throws: the outcome says what happened.
 */
export function sendDelivery(delivery: DeliveryRequest): Promise<DeliveryOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: DeliveryOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(outcome);
    };
    const url = new URL(delivery.url);
    const hostAllowed = delivery.allowedHosts.includes(bareHost(url.hostname));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      headers: { ...delivery.headers, 'Content-Length': String(Buffer.byteLength(delivery.body)) },
      agent: false,
      lookup: checkedLookup(delivery.allowedHosts),
    });
    const timer = setTimeout(() => finish({ ok: false, status: null, error: `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s` }), DELIVERY_TIMEOUT_MS);
    request.on('socket', (socket: Socket) => {
      // An address literal in the URL skips the lookup: the address actually connected to is checked here too.
      socket.once('connect', () => {
        const address = socket.remoteAddress ?? '';
        const reason = hostAllowed || delivery.allowedHosts.includes(address) ? null : blockedReason(address);
        if (reason) finish({ ok: false, status: null, error: `Refused: ${url.hostname} is ${address}, a ${reason} address` });
      });
    });
    request.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      finish({ ok, status, error: ok ? null : status >= 300 && status < 400 ? `Redirect (${status}) not followed` : `Answered ${status}` });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const message = error instanceof BlockedAddressError ? `Refused: ${error.message}` : `${error.code ?? 'Error'}: ${error.message}`;
      finish({ ok: false, status: null, error: message.slice(0, 500) });
    });
    request.end(delivery.body);
  });
}
