import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockedAddressError } from './webhook-address';
import { ReceiverAgents } from './webhook-agents';

/** A receiver gets this long to answer, headers and all. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** The most of an answer's body read (and dropped) so that its connection can serve the next delivery; beyond it, the connection is closed. */
export const RESPONSE_BODY_LIMIT = 64 * 1024;

export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface DeliveryOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/**
 * One POST of a delivery over its receiver's kept connections (`agents`, whose every new connection is checked
 * against the address rules): no redirects followed (a 3xx is a failure), at most DELIVERY_TIMEOUT_MS until the
 * answer's status. The outcome is the status; the body is read only to reuse the connection, never kept, up to
 * RESPONSE_BODY_LIMIT and within the same timeout, else the connection is closed, so that a receiver that floods
 * or trickles holds neither memory nor a socket (Node's parser caps the headers at 16 kB). Never throws.
 */
export function sendDelivery(delivery: DeliveryRequest, agents: ReceiverAgents): Promise<DeliveryOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: DeliveryOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const url = new URL(delivery.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      headers: { ...delivery.headers, 'Content-Length': String(Buffer.byteLength(delivery.body)) },
      agent: agents.for(url),
    });
    const timer = setTimeout(() => {
      settle({ ok: false, status: null, error: `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s` });
      request.destroy();
    }, DELIVERY_TIMEOUT_MS);
    request.on('close', () => clearTimeout(timer));
    request.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      settle({ ok, status, error: ok ? null : status >= 300 && status < 400 ? `Redirect (${status}) not followed` : `Answered ${status}` });
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > RESPONSE_BODY_LIMIT) request.destroy();
      });
      response.on('end', () => clearTimeout(timer));
      response.on('error', () => undefined);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const message = error instanceof BlockedAddressError ? `Refused: ${error.message}` : `${error.code ?? 'Error'}: ${error.message}`;
      settle({ ok: false, status: null, error: message.slice(0, 500) });
    });
    request.end(delivery.body);
  });
}
