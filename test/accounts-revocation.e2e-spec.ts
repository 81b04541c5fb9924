import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { CREDENTIAL_RECHECK_MS } from '../src/auth/credentials.service';
import { ACCOUNTS_CONFIG, ADMIN, addMember, bearer, claimsOf, setUpAdmin, signIn } from './account-fixtures';
import { clearAll, createTestApp, freshDatabase } from './create-test-app';

/** The contract's bound: a revocation made on one instance holds on every instance within 5 seconds. */
const REVOCATION_BOUND_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Revocations reach every instance within 5 seconds (e2e, two instances on one database)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let instanceA: NestExpressApplication;
  let instanceB: NestExpressApplication;

  beforeAll(async () => {
    database = await freshDatabase();
    instanceA = await createTestApp({ databaseUrl: database.url, config: ACCOUNTS_CONFIG });
    instanceB = await createTestApp({ databaseUrl: database.url, config: ACCOUNTS_CONFIG });
  });
  afterAll(async () => {
    await instanceA?.close();
    await instanceB?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    await clearAll(instanceA);
    await clearAll(instanceB);
  });

  it('applies sign-out, ended sessions, disabled users, revoked tokens, password and role changes made on A to B', async () => {
    const onA = () => request(instanceA.getHttpServer());
    const onB = () => request(instanceB.getHttpServer());
    const admin = await setUpAdmin(instanceA);
    const signedOut = await signIn(instanceA, ADMIN.email, ADMIN.password);
    const endedByList = await signIn(instanceA, ADMIN.email, ADMIN.password);
    const disabled = await addMember(instanceA, admin, { email: 'dis@example.com', name: 'Dis', password: 'dis password' });
    const disabledToken = (await onA().post('/auth/tokens').set(...bearer(disabled.accessToken)).send({ name: 't', scope: 'read' }).expect(201)).body.token;
    const revokedToken = (await onA().post('/auth/tokens').set(...bearer(admin.accessToken)).send({ name: 'r', scope: 'read' }).expect(201)).body;
    const passwordUser = await addMember(instanceA, admin, { email: 'pw@example.com', name: 'Pw', password: 'old password' });
    const passwordOtherSession = await signIn(instanceA, 'pw@example.com', 'old password');
    const demoted = await addMember(instanceA, admin, { email: 'boss@example.com', name: 'Boss', password: 'boss password' }, 'admin');

    // Every credential works on B, which now has each of them in its short-lived cache.
    for (const token of [signedOut.accessToken, endedByList.accessToken, disabled.accessToken, disabledToken, revokedToken.token, passwordOtherSession.accessToken]) {
      await onB().get('/tasks').set(...bearer(token)).expect(200);
    }
    await onB().get('/users/invitations').set(...bearer(demoted.accessToken)).expect(200);

    const revokedAt = Date.now();
    await onA().post('/auth/logout').set('Cookie', signedOut.cookie).expect(204);
    await onA().delete(`/auth/sessions/${claimsOf(endedByList.accessToken).sid}`).set(...bearer(admin.accessToken)).expect(204);
    await onA().patch(`/users/${disabled.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: true }).expect(200);
    await onA().delete(`/auth/tokens/${revokedToken.id}`).set(...bearer(admin.accessToken)).expect(204);
    await onA()
      .patch('/auth/me')
      .set(...bearer(passwordUser.accessToken))
      .send({ password: 'new password 1', current_password: 'old password' })
      .expect(200);
    await onA().patch(`/users/${demoted.user.id}`).set(...bearer(admin.accessToken)).send({ role: 'member' }).expect(200);
    expect(CREDENTIAL_RECHECK_MS).toBeLessThan(REVOCATION_BOUND_MS);
    await sleep(Math.max(0, revokedAt + REVOCATION_BOUND_MS - Date.now()));

    for (const token of [signedOut.accessToken, endedByList.accessToken, disabled.accessToken, disabledToken, revokedToken.token, passwordOtherSession.accessToken]) {
      await onB().get('/tasks').set(...bearer(token)).expect(401);
    }
    await onB().get('/users/invitations').set(...bearer(demoted.accessToken)).expect(403);
    // What was not revoked still works on B.
    await onB().get('/tasks').set(...bearer(admin.accessToken)).expect(200);
    await onB().get('/tasks').set(...bearer(passwordUser.accessToken)).expect(200);
  });

  it('refuses on B a rotated cookie that A already traded (reuse detection across instances)', async () => {
    const admin = await setUpAdmin(instanceA);
    await request(instanceA.getHttpServer()).post('/auth/refresh').set('Cookie', admin.cookie).expect(200);
    await request(instanceB.getHttpServer()).post('/auth/refresh').set('Cookie', admin.cookie).expect(401);
  });
});
