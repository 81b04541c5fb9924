import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { Repository } from 'typeorm';
import { User } from '../users/user.entity';
import { UserRole } from '../users/user-role';
import { ApiToken } from './api-token.entity';
import { CurrentUserSnapshot, Principal } from './principal';
import { looksLikeApiToken, secretHash } from './secrets';
import { Session } from './session.entity';
import { sessionEndsAt } from './session-lifetime';

/**
 * How long a credential check is trusted before the database is asked again. Revocations made on
 * another instance (sign-out, disabled user, revoked token, role change) take effect within this delay;
 * the contract allows 5 seconds.
 */
export const CREDENTIAL_RECHECK_MS = 2_000;

/** last_used_at is written at most this often per credential, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const CACHE_SIZE = 10_000;

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  role: UserRole;
  iat: number;
  exp: number;
}

/** Why a credential was refused; AuthGuard turns it into a 401 with WWW-Authenticate. */
export class CredentialError extends Error {
  constructor(
    message: string,
    /** True when a credential was sent (then `error="invalid_token"`). */
    readonly credentialSent: boolean,
  ) {
    super(message);
  }
}

interface CheckedCredential {
  /** Null when the credential is refused (ended, revoked, expired, disabled user). */
  principal: Principal | null;
  /** When the credential stops being valid even if nothing changes (epoch ms). */
  validUntil: number;
}

@Injectable()
export class CredentialsService {
  // Signature checks are pure CPU, so a verified token is remembered until it expires.
  private readonly verifiedAccessTokens = new LRUCache<string, AccessTokenClaims>({ max: CACHE_SIZE });
  private readonly sessionChecks = new LRUCache<string, CheckedCredential>({ max: CACHE_SIZE, ttl: CREDENTIAL_RECHECK_MS });
  private readonly apiTokenChecks = new LRUCache<string, CheckedCredential>({ max: CACHE_SIZE, ttl: CREDENTIAL_RECHECK_MS });
  /**
   * Checks being read, by session id or token hash: the streams of one session recheck it at about the same
   * moment, and share one read instead of each reading it (500 streams made 500 reads every 2 s).
   */
  private readonly loading = new Map<string, Promise<CheckedCredential>>();
  /** Bumped by forgetCachedChecks: a read that started before is not cached (it may predate the change). */
  private generation = 0;

  constructor(
    private readonly jwt: JwtService,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(ApiToken) private readonly apiTokens: Repository<ApiToken>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  /**
   * The principal of an `Authorization` header value, and when its credential stops being valid (epoch
   * ms; Infinity for an API token without expiry). Throws CredentialError when there is none.
   */
  async authenticate(authorization: string | undefined): Promise<{ principal: Principal; validUntil: number }> {
    if (authorization === undefined || authorization === '') throw new CredentialError('Authentication required', false);
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match) throw new CredentialError('The Authorization header must be "Bearer <token>"', true);
    const credential = match[1];
    const checked = looksLikeApiToken(credential)
      ? await this.checkApiToken(credential)
      : await this.checkAccessToken(credential);
    if (!checked.principal || checked.validUntil <= Date.now()) {
      throw new CredentialError('The credential is expired, revoked or no longer valid', true);
    }
    return { principal: checked.principal, validUntil: checked.validUntil };
  }

  /**
   * Whether the credential behind a principal still works (not ended, revoked or of a disabled user),
   * as of at most CREDENTIAL_RECHECK_MS ago: long-lived event streams ask this to close when it stops.
   */
  async stillValid(principal: Principal): Promise<boolean> {
    const checked = (await this.checkCredential(principal.credential)) ?? { principal: null, validUntil: 0 };
    return checked.principal !== null && checked.principal.user.id === principal.user.id && checked.validUntil > Date.now();
  }

  /** The principal of a credential named by `credentialKey()` (e.g. a stream ticket's), or null. */
  async principalOf(key: string): Promise<{ principal: Principal; validUntil: number } | null> {
    const [kind, id] = key.split(':', 2);
    if (!id || (kind !== 'session' && kind !== 'token')) return null;
    // An API token's scope is read from the database; the one given here is not used.
    const credential: Principal['credential'] = kind === 'session' ? { kind: 'session', sessionId: id } : { kind: 'api_token', tokenId: id, scope: 'read' };
    const checked = await this.checkCredential(credential);
    return checked?.principal && checked.validUntil > Date.now() ? { principal: checked.principal, validUntil: checked.validUntil } : null;
  }

  private async checkCredential(credential: Principal['credential']): Promise<CheckedCredential | undefined> {
    if (credential.kind === 'session') return this.sessionChecks.get(credential.sessionId) ?? (await this.loadSessionOnce(credential.sessionId));
    const byId = this.apiTokenChecks.get(`id:${credential.tokenId}`);
    if (byId) return byId;
    const token = await this.apiTokens.findOne({ where: { id: credential.tokenId }, select: { id: true, tokenHash: true } });
    if (!token) return undefined;
    const checked = this.apiTokenChecks.get(token.tokenHash) ?? (await this.loadApiTokenOnce(token.tokenHash));
    this.apiTokenChecks.set(`id:${credential.tokenId}`, checked);
    return checked;
  }

  /**
   * Verifies an access token's signature and times (HS256 only). `allowExpired` is for signing out,
   * which may name its session with a token that has just expired.
   */
  verifyAccessToken(token: string, { allowExpired = false } = {}): AccessTokenClaims | null {
    const known = this.verifiedAccessTokens.get(token);
    if (known) return known;
    let claims: AccessTokenClaims;
    try {
      claims = this.jwt.verify<AccessTokenClaims>(token, { algorithms: ['HS256'], ignoreExpiration: allowExpired });
    } catch {
      return null;
    }
    const valid =
      typeof claims.sub === 'string' &&
      typeof claims.sid === 'string' &&
      typeof claims.exp === 'number' &&
      typeof claims.iat === 'number' &&
      claims.iat * 1000 <= Date.now() + 60_000;
    if (!valid) return null;
    const lifeLeft = claims.exp * 1000 - Date.now();
    if (lifeLeft > 0) this.verifiedAccessTokens.set(token, claims, { ttl: lifeLeft });
    return claims;
  }

  /** Forgets every cached check, so that a change made on this instance applies to its next request. */
  forgetCachedChecks(): void {
    this.generation++;
    this.loading.clear();
    this.sessionChecks.clear();
    this.apiTokenChecks.clear();
  }

  private async checkAccessToken(token: string): Promise<CheckedCredential> {
    const claims = this.verifyAccessToken(token);
    if (!claims) throw new CredentialError('The access token is malformed, wrongly signed or expired', true);
    const checked = this.sessionChecks.get(claims.sid) ?? (await this.loadSessionOnce(claims.sid));
    if (checked.principal && checked.principal.user.id !== claims.sub) return { principal: null, validUntil: 0 };
    return { principal: checked.principal, validUntil: Math.min(checked.validUntil, claims.exp * 1000) };
  }

  private async checkApiToken(token: string): Promise<CheckedCredential> {
    const tokenHash = secretHash(token);
    return this.apiTokenChecks.get(tokenHash) ?? (await this.loadApiTokenOnce(tokenHash));
  }

  private loadSessionOnce(sessionId: string): Promise<CheckedCredential> {
    return this.loadOnce(`session:${sessionId}`, (stillCurrent) => this.loadSession(sessionId, stillCurrent));
  }

  private loadApiTokenOnce(tokenHash: string): Promise<CheckedCredential> {
    return this.loadOnce(`token:${tokenHash}`, (stillCurrent) => this.loadApiToken(tokenHash, stillCurrent));
  }

  /** One read per key at a time; its result is cached only if no change was made meanwhile (forgetCachedChecks). */
  private loadOnce(key: string, load: (stillCurrent: () => boolean) => Promise<CheckedCredential>): Promise<CheckedCredential> {
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const loaded = load(() => this.generation === generation).finally(() => {
      if (this.loading.get(key) === loaded) this.loading.delete(key);
    });
    this.loading.set(key, loaded);
    return loaded;
  }

  private async loadSession(sessionId: string, stillCurrent: () => boolean): Promise<CheckedCredential> {
    const session = await this.sessions.findOneBy({ id: sessionId });
    const user = session && session.endedAt === null ? await this.activeUser(session.userId) : null;
    const validUntil = session ? sessionEndsAt(session).getTime() : 0;
    const checked: CheckedCredential = {
      principal: session && user ? { user, credential: { kind: 'session', sessionId } } : null,
      validUntil,
    };
    if (stillCurrent()) this.sessionChecks.set(sessionId, checked);
    if (session && checked.principal && Date.now() - session.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      // Best effort: a lost last_used_at update only makes the session look idle a minute longer.
      this.sessions.update({ id: sessionId }, { lastUsedAt: new Date() }).catch(() => undefined);
    }
    return checked;
  }

  private async loadApiToken(tokenHash: string, stillCurrent: () => boolean): Promise<CheckedCredential> {
    const token = await this.apiTokens.findOneBy({ tokenHash });
    const user = token ? await this.activeUser(token.userId) : null;
    const checked: CheckedCredential = {
      principal:
        token && user ? { user, credential: { kind: 'api_token', tokenId: token.id, scope: token.scope } } : null,
      validUntil: token ? (token.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY) : 0,
    };
    if (stillCurrent()) this.apiTokenChecks.set(tokenHash, checked);
    const lastUsed = token?.lastUsedAt?.getTime() ?? 0;
    if (token && checked.principal && Date.now() - lastUsed > LAST_USED_RESOLUTION_MS) {
      this.apiTokens.update({ id: token.id }, { lastUsedAt: new Date() }).catch(() => undefined);
    }
    return checked;
  }

  /** The user, read now from the database, unless unknown or disabled. */
  async activeUser(userId: string): Promise<CurrentUserSnapshot | null> {
    const user = await this.users.findOneBy({ id: userId });
    if (!user || user.disabled) return null;
    return { id: user.id, email: user.email, name: user.name, role: user.role };
  }
}
