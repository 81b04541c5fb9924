import { JwtService } from '@nestjs/jwt';
import { createHmac } from 'node:crypto';
import { Repository } from 'typeorm';
import { User } from '../users/user.entity';
import { ApiToken } from './api-token.entity';
import { CredentialError, CredentialsService } from './credentials.service';
import { Session } from './session.entity';

const SECRET = 'unit-test-secret-that-is-long-enough-000';
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signed(header: object, claims: object, secret = SECRET): string {
  const unsigned = `${encode(header)}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe(CredentialsService.name, () => {
  const jwt = new JwtService({ secret: SECRET, signOptions: { algorithm: 'HS256' } });
  // Signature and time checks need no database; the repositories are never reached here.
  const unused = {} as Repository<never>;
  const service = new CredentialsService(jwt, unused as Repository<Session>, unused as Repository<ApiToken>, unused as Repository<User>);
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ sub: 'user-1', sid: 'session-1', role: 'member', iat: now(), exp: now() + 600 });

  describe('verifyAccessToken', () => {
    it('accepts a token it signed, and returns its claims', () => {
      const token = jwt.sign({ sub: 'user-1', sid: 'session-1', role: 'member' }, { expiresIn: 600 });
      expect(service.verifyAccessToken(token)).toMatchObject({ sub: 'user-1', sid: 'session-1', role: 'member' });
    });

    it.each([
      ['alg none', `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims())}.`],
      ['HS512', signed({ alg: 'HS512', typ: 'JWT' }, claims())],
      ['another secret', signed({ alg: 'HS256', typ: 'JWT' }, claims(), 'another-secret-that-is-long-enough-0000')],
      ['expired', signed({ alg: 'HS256', typ: 'JWT' }, { ...claims(), exp: now() - 1 })],
      ['not valid yet (nbf)', signed({ alg: 'HS256', typ: 'JWT' }, { ...claims(), nbf: now() + 3600 })],
      ['issued in the future', signed({ alg: 'HS256', typ: 'JWT' }, { ...claims(), iat: now() + 3600 })],
      ['without sid', signed({ alg: 'HS256', typ: 'JWT' }, { ...claims(), sid: undefined })],
      ['without exp', signed({ alg: 'HS256', typ: 'JWT' }, { ...claims(), exp: undefined })],
      ['garbage', 'not.a.token'],
      ['empty', ''],
    ])('refuses a token %s', (_name, token) => {
      expect(service.verifyAccessToken(token)).toBeNull();
    });

    it('refuses a token whose claims were changed after signing', () => {
      const [header, , signature] = jwt.sign({ sub: 'user-1', sid: 'session-1', role: 'member' }).split('.');
      expect(service.verifyAccessToken(`${header}.${encode({ ...claims(), role: 'admin' })}.${signature}`)).toBeNull();
    });
  });

  describe('authenticate', () => {
    it.each([
      [undefined, false],
      ['', false],
      ['Basic abc', true],
      ['Bearer', true],
      ['Bearer two words', true],
      ['Bearer not-a-jwt', true],
    ])('refuses the Authorization header %p (credential sent: %p)', async (header, sent) => {
      const refusal = service.authenticate(header);
      await expect(refusal).rejects.toBeInstanceOf(CredentialError);
      await expect(refusal).rejects.toMatchObject({ credentialSent: sent });
    });
  });

  describe('stillValid', () => {
    // A session row and its user, read through fake repositories that count their reads.
    function withDatabase() {
      const reads = { sessions: 0, users: 0 };
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const sessions = {
        findOneBy: async () => {
          reads.sessions++;
          await gate;
          return { id: 'session-1', userId: 'user-1', endedAt: null, createdAt: new Date(), lastUsedAt: new Date(), expiresAt: null };
        },
      } as unknown as Repository<Session>;
      const users = {
        findOneBy: async () => {
          reads.users++;
          return { id: 'user-1', email: 'a@example.com', name: 'A', role: 'member', disabled: false };
        },
      } as unknown as Repository<User>;
      return { reads, release, service: new CredentialsService(jwt, sessions, unused as Repository<ApiToken>, users) };
    }
    const principal = { user: { id: 'user-1', email: 'a@example.com', name: 'A', role: 'member' }, credential: { kind: 'session', sessionId: 'session-1' } } as const;

    it('shares one read of a session among the streams that recheck it at the same moment', async () => {
      const { reads, release, service: checked } = withDatabase();
      const checks = Array.from({ length: 50 }, () => checked.stillValid(principal as never));
      release();
      expect(await Promise.all(checks)).toEqual(Array(50).fill(true));
      expect(reads).toEqual({ sessions: 1, users: 1 });
    });

    it('does not keep a read that started before a change made on this instance', async () => {
      const { reads, release, service: checked } = withDatabase();
      const before = checked.stillValid(principal as never);
      checked.forgetCachedChecks();
      const after = checked.stillValid(principal as never);
      release();
      await Promise.all([before, after]);
      expect(reads.sessions).toBe(2);
    });
  });
});
