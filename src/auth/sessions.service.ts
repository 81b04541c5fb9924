import { Injectable, NotFoundException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Not, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/unique-violation';
import { User } from '../users/user.entity';
import { CredentialsService } from './credentials.service';
import { RetiredSessionToken } from './retired-session-token.entity';
import { randomSecret, secretHash } from './secrets';
import { sessionEndsAt } from './session-lifetime';
import { Session } from './session.entity';
import { isIssuedId } from '../http/issued-id';

const USER_AGENT_MAX_LENGTH = 500;

/** A session and the cookie value that currently names it (never stored, only its hash). */
export interface SessionGrant {
  session: Session;
  cookieValue: string;
}

/** Why a refresh was refused; every reason is the same 401 for the client. */
export type RefreshRefusal = 'unknown' | 'ended' | 'reused';

@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(RetiredSessionToken) private readonly retiredTokens: Repository<RetiredSessionToken>,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly credentials: CredentialsService,
  ) {}

  async start(userId: string, userAgent: string | undefined): Promise<SessionGrant> {
    const cookieValue = randomSecret();
    const now = new Date();
    const session = this.sessions.create({
      id: randomUUID(),
      userId,
      tokenHash: secretHash(cookieValue),
      userAgent: userAgent ? userAgent.slice(0, USER_AGENT_MAX_LENGTH) : null,
      createdAt: now,
      lastUsedAt: now,
      endedAt: null,
    });
    await this.sessions.insert(session);
    return { session, cookieValue };
  }

  /** A signed access token for the session, and its lifetime in seconds. */
  issueAccessToken(user: Pick<User, 'id' | 'role'>, sessionId: string): { token: string; expiresIn: number } {
    const expiresIn = this.config.accessTokenTtlMinutes * 60;
    const token = this.jwt.sign({ sub: user.id, sid: sessionId, role: user.role }, { expiresIn });
    return { token, expiresIn };
  }

  /**
   * Trades a cookie value for a new one. A value that was already traded means that two parties hold
   * the cookie (one of them a thief), so the whole session ends.
   */
  async rotate(cookieValue: string): Promise<SessionGrant | RefreshRefusal> {
    const presentedHash = secretHash(cookieValue);
    const session = await this.sessions.findOneBy({ tokenHash: presentedHash });
    if (!session) {
      const retired = await this.retiredTokens.findOneBy({ tokenHash: presentedHash });
      if (!retired) return 'unknown';
      await this.end(retired.sessionId);
      return 'reused';
    }
    if (session.endedAt !== null || sessionEndsAt(session).getTime() <= Date.now()) return 'ended';

    // Retire the old value first: of two refreshes racing with one value, the loser finds it retired.
    try {
      await this.retiredTokens.insert({ tokenHash: presentedHash, sessionId: session.id, retiredAt: new Date() });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.end(session.id);
      return 'reused';
    }
    const nextValue = randomSecret();
    const now = new Date();
    const result = await this.sessions.update(
      { id: session.id, tokenHash: presentedHash, endedAt: IsNull() },
      { tokenHash: secretHash(nextValue), lastUsedAt: now },
    );
    if (result.affected !== 1) {
      await this.end(session.id);
      return 'reused';
    }
    return { session: { ...session, lastUsedAt: now }, cookieValue: nextValue };
  }

  /** Ends a session; it stops working on every instance within CREDENTIAL_RECHECK_MS. */
  async end(sessionId: string): Promise<boolean> {
    const result = await this.sessions.update({ id: sessionId, endedAt: IsNull() }, { endedAt: new Date() });
    this.credentials.forgetCachedChecks();
    return result.affected === 1;
  }

  async endByCookie(cookieValue: string): Promise<void> {
    const session = await this.sessions.findOneBy({ tokenHash: secretHash(cookieValue) });
    if (session) await this.end(session.id);
  }

  /** Ends every session of a user, or every other one when `keepSessionId` is given. */
  async endAllOf(userId: string, keepSessionId?: string): Promise<void> {
    await this.sessions.update(
      keepSessionId ? { userId, endedAt: IsNull(), id: Not(keepSessionId) } : { userId, endedAt: IsNull() },
      { endedAt: new Date() },
    );
    this.credentials.forgetCachedChecks();
  }

  /** The user's sessions that still work, most recently used first. */
  async findActive(userId: string): Promise<Session[]> {
    const sessions = await this.sessions.find({ where: { userId, endedAt: IsNull() }, order: { lastUsedAt: 'DESC', id: 'ASC' } });
    const now = Date.now();
    return sessions.filter((session) => sessionEndsAt(session).getTime() > now);
  }

  /** Ends one of the user's own sessions; 404 for any other id. */
  async endOwn(userId: string, sessionId: string): Promise<void> {
    const session = isIssuedId(sessionId) ? await this.sessions.findOneBy({ id: sessionId, userId, endedAt: IsNull() }) : null;
    if (!session || sessionEndsAt(session).getTime() <= Date.now()) throw new NotFoundException(`Session ${sessionId} not found`);
    await this.end(sessionId);
  }
}
