import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ACCOUNTS_CONFIG, ADMIN, bearer } from './account-fixtures';
import { freshDatabase } from './create-test-app';
import { createObservedApp } from './observability-test-app';

const PINO_WARN = 40;

describe('Accounts and the logs (e2e)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestExpressApplication;
  const logLines: string[] = [];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    database = await freshDatabase();
    // No SETUP_TOKEN: the server makes one and logs it, since no user exists yet.
    app = await createObservedApp({ logLines, config: { ...ACCOUNTS_CONFIG, setupToken: undefined, databaseUrl: database.url } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('writes a generated set-up token to the log in one warn line, and that token sets TaskFlow up', async () => {
    const tokenLines = logLines.filter((line) => line.includes('Set-up token'));
    expect(tokenLines).toHaveLength(1);
    const entry = JSON.parse(tokenLines[0]);
    expect(entry.level).toBe(PINO_WARN);
    const token = /Set-up token: (\S+)/.exec(entry.msg)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await http().post('/auth/setup').send({ setup_token: 'not-the-token-not-the-token', ...ADMIN }).expect(403);
    await http().post('/auth/setup').send({ setup_token: token, ...ADMIN }).expect(201);
  });

  it('never writes a password, token, cookie or Authorization header to the log', async () => {
    const login = await http().post('/auth/login').send({ email: ADMIN.email, password: ADMIN.password }).expect(200);
    const cookie = ([] as string[]).concat(login.headers['set-cookie'])[0].split(';')[0];
    const access = login.body.access_token;
    const refreshed = await http().post('/auth/refresh').set('Cookie', cookie).expect(200);
    const apiToken = (await http().post('/auth/tokens').set(...bearer(access)).send({ name: 'x', scope: 'write' }).expect(201)).body.token;
    const invitation = (await http().post('/users/invitations').set(...bearer(access)).send({ role: 'member' }).expect(201)).body.code;
    await http().post('/auth/register').send({ email: 'm@example.com', name: 'M', password: 'member secret 42', invitation }).expect(201);
    await http().post('/tasks').set(...bearer(apiToken)).send({ title: 'logged?' }).expect(201);
    await http().patch('/auth/me').set(...bearer(access)).send({ password: 'another secret 42', current_password: ADMIN.password }).expect(200);
    await http().post('/auth/login').send({ email: ADMIN.email, password: 'wrong secret 42' }).expect(401);
    await http().get('/tasks?q=x').set('Authorization', 'Bearer tf_forged_token_value_forged_token_value_forged').expect(401);
    const ticket = (await http().post('/tasks/events/ticket').set(...bearer(access)).expect(201)).body.ticket;
    // A used-up ticket is refused without opening a stream, and its value must not be logged either.
    await http().get(`/tasks/events?ticket=${ticket}x`).expect(401);

    const secrets = [
      ADMIN.password,
      'member secret 42',
      'another secret 42',
      'wrong secret 42',
      access,
      refreshed.body.access_token,
      cookie.split('=')[1],
      apiToken,
      invitation,
      'tf_forged_token_value',
      ticket,
    ];
    const requestLines = logLines.filter((line) => !line.includes('Set-up token'));
    expect(requestLines.length).toBeGreaterThan(5);
    for (const line of requestLines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
  });
});
