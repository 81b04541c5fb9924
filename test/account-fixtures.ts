import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { AppConfig } from '../src/config/app-config';

import { createHmac, randomBytes } from 'node:crypto';

export const SETUP_TOKEN = 'e2e-setup-token-0123456789';
// Random for each test process: the suites sign their own tokens with it (handMadeJwt).
export const JWT_SECRET = randomBytes(32).toString('hex');
export const ADMIN = { email: 'Admin@Example.com', name: 'Ada Admin', password: 'admin password 1' };

/** The settings of the accounts suites: AUTH_MODE=required with a known set-up token. */
export const ACCOUNTS_CONFIG: Partial<AppConfig> = {
  authMode: 'required',
  setupToken: SETUP_TOKEN,
  jwtSecret: JWT_SECRET,
  jwtSecretGenerated: false,
  registration: 'invite',
};

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWT built by hand, to send the server tokens it must refuse (other algorithms, bad signatures...). */
export function handMadeJwt(header: Record<string, unknown>, claims: Record<string, unknown>, secret = JWT_SECRET): string {
  const unsigned = `${base64url(header)}.${base64url(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export function claimsOf(accessToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8'));
}

export interface SignedIn {
  accessToken: string;
  /** `taskflow_session=<value>`, ready for a Cookie header. */
  cookie: string;
  user: { id: string; email: string; name: string; role: string; disabled: boolean; created_at: string };
}

export function sessionCookieOf(response: request.Response): string {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const session = cookies.find((cookie) => cookie.startsWith('taskflow_session='));
  if (!session) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
  return session.split(';')[0];
}

function signedIn(response: request.Response): SignedIn {
  return { accessToken: response.body.access_token, cookie: sessionCookieOf(response), user: response.body.user };
}

export async function setUpAdmin(app: NestExpressApplication): Promise<SignedIn> {
  const response = await request(app.getHttpServer()).post('/auth/setup').send({ setup_token: SETUP_TOKEN, ...ADMIN }).expect(201);
  return signedIn(response);
}

export async function signIn(app: NestExpressApplication, email: string, password: string): Promise<SignedIn> {
  const response = await request(app.getHttpServer()).post('/auth/login').send({ email, password }).expect(200);
  return signedIn(response);
}

export async function invite(app: NestExpressApplication, admin: SignedIn, body: Record<string, unknown> = { role: 'member' }): Promise<string> {
  const response = await request(app.getHttpServer())
    .post('/users/invitations')
    .set('Authorization', `Bearer ${admin.accessToken}`)
    .send(body)
    .expect(201);
  return response.body.code;
}

/** Invites and registers a member; returns the member signed in. */
export async function addMember(
  app: NestExpressApplication,
  admin: SignedIn,
  member = { email: 'bob@example.com', name: 'Bob Member', password: 'member password 1' },
  role = 'member',
): Promise<SignedIn> {
  const code = await invite(app, admin, { role });
  const response = await request(app.getHttpServer())
    .post('/auth/register')
    .send({ ...member, invitation: code })
    .expect(201);
  return signedIn(response);
}

export const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];
