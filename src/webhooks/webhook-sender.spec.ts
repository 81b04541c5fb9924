import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { ReceiverAgents, SOCKETS_PER_ORIGIN } from './webhook-agents';
import { RESPONSE_BODY_LIMIT, sendDelivery } from './webhook-sender';

// Only 127.0.0.1 is ever contacted: a receiver this test runs.
describe('sendDelivery over kept connections', () => {
  let server: Server;
  let answer: (res: ServerResponse) => void;
  const connections: Socket[] = [];
  const hanging: ServerResponse[] = [];
  let agents: ReceiverAgents;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => answer(res));
    });
    server.on('connection', (socket: Socket) => connections.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    connections.length = 0;
    answer = (res) => res.writeHead(200).end('ok');
  });
  afterEach(() => {
    for (const res of hanging.splice(0)) res.destroy();
    agents.destroy();
  });

  const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const send = () => sendDelivery({ url: url(), headers: { 'Content-Type': 'application/json' }, body: '{}' }, agents);

  it('sends deliveries one after another over one connection', async () => {
    agents = new ReceiverAgents(['127.0.0.1']);
    for (let i = 0; i < 5; i += 1) await expect(send()).resolves.toEqual({ ok: true, status: 200, error: null });
    expect(connections).toHaveLength(1);
  });

  it('refuses a loopback address not allowed, before connecting', async () => {
    agents = new ReceiverAgents([]);
    await expect(send()).resolves.toEqual({ ok: false, status: null, error: 'Refused: 127.0.0.1 is 127.0.0.1, a loopback address' });
    expect(connections).toHaveLength(0);
  });

  it(`opens at most ${SOCKETS_PER_ORIGIN} connections to a receiver that does not answer`, async () => {
    agents = new ReceiverAgents(['127.0.0.1']);
    let answered = 0;
    let allHanging: () => void;
    const hangingFull = new Promise<void>((resolve) => (allHanging = resolve));
    answer = (res) => {
      answered += 1;
      // The first requests hang, one per connection; the later ones are answered as they get a connection.
      if (answered > SOCKETS_PER_ORIGIN) return void res.writeHead(200).end();
      hanging.push(res);
      if (answered === SOCKETS_PER_ORIGIN) allHanging();
    };
    const sent = Array.from({ length: SOCKETS_PER_ORIGIN * 3 }, () => send());
    await hangingFull;
    for (const res of hanging.splice(0)) res.writeHead(200).end();
    const outcomes = await Promise.all(sent);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(answered).toBe(SOCKETS_PER_ORIGIN * 3);
    expect(connections).toHaveLength(SOCKETS_PER_ORIGIN);
  });

  it('closes the connection of an answer whose body goes past the limit, and succeeds on its status', async () => {
    agents = new ReceiverAgents(['127.0.0.1']);
    answer = (res) => res.writeHead(200).end(Buffer.alloc(RESPONSE_BODY_LIMIT * 4, 'x'));
    await expect(send()).resolves.toEqual({ ok: true, status: 200, error: null });
    answer = (res) => res.writeHead(204).end();
    await expect(send()).resolves.toEqual({ ok: true, status: 204, error: null });
    expect(connections).toHaveLength(2);
  });
});
