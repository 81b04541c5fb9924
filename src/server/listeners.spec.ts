import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { GracefulShutdown } from './graceful-shutdown';
import { Listeners } from './listeners';

/** One GET on its own connection; resolves with the status, the Connection header and the body. */
function get(port: number, path = '/', agent: false | undefined = false) {
  return new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, agent }, (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection, body }));
    })
      .on('error', reject)
      .end();
  });
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket)).on('error', reject);
  });
}

function closeServer(server: Server, listeners: Listeners) {
  return Promise.all([new Promise((resolve) => server.close(resolve)), listeners.close()]);
}

describe(Listeners.name, () => {
  const linux = process.platform === 'linux';
  let server: Server;

  beforeEach(() => {
    server = createServer((_request, response) => response.end('ok'));
  });

  /** Connects `count` clients while the event loop is held, then counts the connections accepted in one turn. */
  async function acceptedInOneTurn(port: number, count: number): Promise<{ accepted: number; sockets: Socket[] }> {
    const sockets = Array.from({ length: count }, () => connect({ host: '127.0.0.1', port }).on('error', () => undefined));
    await new Promise((resolve) => setImmediate(resolve)); // the connect() calls are made
    const holdUntil = performance.now() + 150; // the kernel completes the handshakes and queues them
    while (performance.now() < holdUntil);
    let accepted = 0;
    const countIt = () => accepted++;
    await new Promise((resolve) => setImmediate(resolve));
    server.on('connection', countIt);
    await new Promise((resolve) => setImmediate(resolve)); // exactly one poll phase in between
    server.off('connection', countIt);
    return { accepted, sockets };
  }

  (linux ? it : it.skip)('accepts several queued connections per turn of the event loop where one socket accepts one', async () => {
    const single = await Listeners.open(server, { port: 0, host: '127.0.0.1', backlog: 511, count: 1 });
    const one = await acceptedInOneTurn((server.address() as { port: number }).port, 64);
    for (const socket of one.sockets) socket.destroy();
    await closeServer(server, single);

    server = createServer((_request, response) => response.end('ok'));
    const shared = await Listeners.open(server, { port: 0, host: '127.0.0.1', backlog: 511, count: 8 });
    const several = await acceptedInOneTurn((server.address() as { port: number }).port, 64);
    for (const socket of several.sockets) socket.destroy();
    await closeServer(server, shared);

    expect(shared.count).toBe(8);
    expect(one.accepted).toBe(1); // libuv/libuv#3696: why the sockets exist
    expect(several.accepted).toBeGreaterThan(1);
  });

  (linux ? it : it.skip)('answers every connection, whichever socket accepted it', async () => {
    const listeners = await Listeners.open(server, { port: 0, host: '127.0.0.1', backlog: 511, count: 8 });
    const answers = await Promise.all(Array.from({ length: 200 }, () => get((server.address() as { port: number }).port)));
    expect(answers.filter((answer) => answer.status === 200 && answer.body === 'ok')).toHaveLength(200);
    await closeServer(server, listeners);
  });

  (linux ? it : it.skip)("applies the HTTP server's header timeout to connections accepted by the shared sockets", async () => {
    server.headersTimeout = 300;
    server.requestTimeout = 1_000;
    (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = 100;
    const listeners = await Listeners.open(server, { port: 0, host: '127.0.0.1', backlog: 511, count: 8 });
    const { port } = server.address() as { port: number };

    // Clients that never finish their headers: every one is answered 408 and disconnected.
    const answers = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const socket = await openSocket(port);
        socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
        let received = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
        await new Promise((resolve) => socket.once('close', resolve));
        return received;
      }),
    );

    expect(answers.every((received) => received.startsWith('HTTP/1.1 408'))).toBe(true);
    await closeServer(server, listeners);
  });

  it('listens with one socket when asked for one', async () => {
    const listeners = await Listeners.open(server, { port: 0, host: '127.0.0.1', backlog: 511, count: 1 });
    expect(listeners.count).toBe(1);
    expect((await get((server.address() as { port: number }).port)).body).toBe('ok');
    await closeServer(server, listeners);
  });

  (linux ? it : it.skip)('stops accepting on every socket once closed, after the connections they accepted have ended', async () => {
    const listeners = await Listeners.open(server, { port: 0, host: '127.0.0.1', backlog: 511, count: 4 });
    const { port } = server.address() as { port: number };
    const idle = await Promise.all(Array.from({ length: 20 }, () => openSocket(port)));
    let closed = false;
    const closing = closeServer(server, listeners).then(() => (closed = true));

    await expect(openSocket(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false); // the idle connections are still open
    for (const socket of idle) socket.destroy();
    await closing;
    expect(closed).toBe(true);
  });
});

describe(`${GracefulShutdown.name} with several listening sockets`, () => {
  it('closes a connection that sends no request within its grace, and answers one whose request was still arriving', async () => {
    const server = createServer((_request, response) => response.end('ok'));
    const shutdown = new GracefulShutdown(server);
    shutdown.listensOn(await Listeners.open(server, { port: 0, host: '127.0.0.1', backlog: 511, count: 4 }));
    const { port } = server.address() as { port: number };
    const silent = await openSocket(port); // a browser's preconnection, say
    const silentClosed = new Promise((resolve) => silent.once('close', resolve));
    const slow = await openSocket(port);
    let answer = '';
    slow.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    slow.write('GET / HTTP/1.1\r\nHost: x\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));

    const draining = shutdown.drain(5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    slow.write('\r\n'); // the end of its headers, after the drain began
    await silentClosed;

    await expect(draining).resolves.toEqual({ cutConnections: false });
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Connection: close\r\n[\s\S]*ok$/i);
  });

  (process.platform === 'linux' ? it : it.skip)('stops accepting within its time budget while a client keeps connecting', async () => {
    const server = createServer((_request, response) => response.end('ok'));
    const shutdown = new GracefulShutdown(server);
    shutdown.listensOn(await Listeners.open(server, { port: 0, host: '127.0.0.1', backlog: 511, count: 4 }));
    const { port } = server.address() as { port: number };
    // A new connection every turn of the event loop until the server refuses them.
    let refused = false;
    const sockets: Socket[] = [];
    const connectAgain = () => {
      if (refused) return;
      sockets.push(connect({ host: '127.0.0.1', port }).on('error', () => (refused = true)));
      setImmediate(connectAgain);
    };
    connectAgain();
    await new Promise((resolve) => setTimeout(resolve, 50));

    const started = performance.now();
    const draining = shutdown.drain(5_000);
    // Idle connections are closed by the server; the ones still connecting are refused once it stops listening.
    await expect(draining).resolves.toEqual({ cutConnections: false });
    // The accepting budget, then the grace of the connections that sent no request: within the 2 s promised.
    expect(performance.now() - started).toBeLessThan(2_000);
    refused = true;
    for (const socket of sockets) socket.destroy();
  });

  (process.platform === 'linux' ? it : it.skip)(
    'answers the requests in flight with Connection: close, then closes every socket and resolves',
    async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let arrived = 0;
      const server = createServer((_request, response) => {
        arrived++;
        void released.then(() => response.end('done'));
      });
      const shutdown = new GracefulShutdown(server);
      shutdown.listensOn(await Listeners.open(server, { port: 0, host: '127.0.0.1', backlog: 511, count: 8 }));
      const { port } = server.address() as { port: number };
      const inFlight = Array.from({ length: 30 }, () => get(port));
      while (arrived < 30) await new Promise((resolve) => setImmediate(resolve));

      const draining = shutdown.drain(5_000);
      release();
      const answers = await Promise.all(inFlight);

      expect(answers.every((answer) => answer.status === 200 && answer.connection === 'close')).toBe(true);
      await expect(draining).resolves.toEqual({ cutConnections: false });
      await expect(openSocket(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    },
  );
});
