import { Agent as HttpAgent, AgentOptions, ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { LookupAddress } from 'node:dns';
import { isIP, LookupFunction, Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { bareHost, BlockedAddressError, blockedReason, resolveAllowed } from './webhook-address';

/** Connections kept open to one receiver origin: enough for a batch to go out in parallel, few enough that a hanging receiver holds little. */
export const SOCKETS_PER_ORIGIN = 8;
/** Receiver origins with connections kept; the least recently used one's are closed beyond this. */
const ORIGINS_KEPT = 64;
/** An idle kept connection is closed after this (below the 5 s keep-alive of Node's own servers, so that we close first). */
const IDLE_SOCKET_MS = 4_000;

type Connect = (options: ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void) => Duplex | null | undefined;

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
 * Every new connection of an agent, checked: a host name only resolves to allowed addresses (checkedLookup), an
 * address literal is refused before connecting, and the address the socket actually connected to is checked
 * again before a byte of the request is written (the check's 'connect' listener comes before the write's).
 */
function checkedConnection(allowedHosts: readonly string[], connect: Connect): Connect {
  return (options, callback) => {
    const host = bareHost(String(options.host ?? options.hostname ?? ''));
    const refusal = (address: string) => {
      const reason = allowedHosts.includes(host) || allowedHosts.includes(address) ? null : blockedReason(address);
      return reason ? new BlockedAddressError(`${host} is ${address}, a ${reason} address`) : null;
    };
    const early = isIP(host) ? refusal(host) : null;
    if (early) {
      callback?.(early, undefined as unknown as Duplex);
      return undefined;
    }
    const socket = connect(options, callback);
    if (socket instanceof Socket) {
      socket.once('connect', () => {
        const refused = refusal(socket.remoteAddress ?? '');
        if (refused) socket.destroy(refused);
      });
    }
    return socket;
  };
}

function agentOptions(allowedHosts: readonly string[]): AgentOptions {
  return {
    keepAlive: true,
    maxSockets: SOCKETS_PER_ORIGIN,
    maxFreeSockets: SOCKETS_PER_ORIGIN,
    timeout: IDLE_SOCKET_MS,
    scheduling: 'lifo',
    lookup: checkedLookup(allowedHosts),
  } as AgentOptions;
}

class CheckedHttpAgent extends HttpAgent {
  private readonly connect: Connect;

  constructor(allowedHosts: readonly string[]) {
    super(agentOptions(allowedHosts));
    this.connect = checkedConnection(allowedHosts, (options, callback) => super.createConnection(options, callback));
  }

  override createConnection(options: ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    return this.connect(options, callback);
  }
}

class CheckedHttpsAgent extends HttpsAgent {
  private readonly connect: Connect;

  constructor(allowedHosts: readonly string[]) {
    super(agentOptions(allowedHosts));
    this.connect = checkedConnection(allowedHosts, (options, callback) => super.createConnection(options, callback));
  }

  override createConnection(options: ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    return this.connect(options, callback);
  }
}

/**
 * One keep-alive agent per receiver origin, so that a batch of deliveries to the same receiver reuses a few
 * connections instead of opening one each; at most SOCKETS_PER_ORIGIN connections per origin and ORIGINS_KEPT
 * origins, so that receivers that hang or multiply cannot exhaust the API's sockets.
 */
export class ReceiverAgents {
  private readonly agents = new Map<string, HttpAgent>();

  constructor(private readonly allowedHosts: readonly string[]) {}

  for(url: URL): HttpAgent {
    const origin = url.origin;
    let agent = this.agents.get(origin);
    if (agent) {
      // Most recently used last: the first entry is the one to close when too many are kept.
      this.agents.delete(origin);
    } else {
      agent = url.protocol === 'https:' ? new CheckedHttpsAgent(this.allowedHosts) : new CheckedHttpAgent(this.allowedHosts);
    }
    this.agents.set(origin, agent);
    if (this.agents.size > ORIGINS_KEPT) {
      const [oldest, oldestAgent] = this.agents.entries().next().value as [string, HttpAgent];
      this.agents.delete(oldest);
      // Its requests in flight finish (within the delivery timeout); its idle connections close now.
      for (const sockets of Object.values(oldestAgent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
    }
    return agent;
  }

  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
