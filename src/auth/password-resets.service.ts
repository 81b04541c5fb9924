import { ForbiddenException, Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull, LessThan, MoreThan } from 'typeorm';
import { inTransaction } from '../database/transaction';
import { EmailOutbox } from '../email/email-outbox.service';
import { JobsService } from '../jobs/jobs.service';
import { User, emailKey } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ClientContext } from './auth.service';
import { CredentialsService } from './credentials.service';
import { hashPassword } from './passwords';
import { PasswordReset } from './password-reset.entity';
import { randomSecret, secretHash } from './secrets';
import { SessionsService } from './sessions.service';
import { CLIENT_FAILURE_LIMIT, SignInLimiter, clientCounterKey } from './sign-in-limiter.service';

export const RESET_LIFETIME_MS = 60 * 60_000;
/** Reset emails per recipient address per hour (docs/API.md, Precise rules). */
export const RESET_EMAILS_PER_HOUR = 3;
const REQUEST_JOB = 'password_reset.request';

export interface IssuedReset {
  token: string;
  url: string;
  expiresAt: Date;
}

/** Self-service password reset by email, the admin's reset link, and their confirmation. */
@Injectable()
export class PasswordResetsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly credentials: CredentialsService,
    private readonly limiter: SignInLimiter,
    private readonly outbox: EmailOutbox,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    if (this.outbox.enabled) this.jobs.register<{ email: string }>(REQUEST_JOB, ({ email }) => this.emailReset(email));
  }

  /**
   * Queues the request and returns: whether the email has an account is decided by a background job, so
   * that the answer and its timing are the same for a known and an unknown email.
   */
  async request(email: string): Promise<void> {
    if (!this.outbox.enabled) throw new NotFoundException('Password reset by email needs email to be configured (SMTP_URL)');
    await this.jobs.enqueue(REQUEST_JOB, { email });
  }

  /** An admin's reset link for a user, to pass on by other means; works with or without email. */
  async issueByAdmin(userId: string, adminId: string): Promise<IssuedReset> {
    const user = await this.users.findOne(userId);
    return inTransaction(this.dataSource, (manager) => this.issue(manager, user, adminId));
  }

  /**
   * Sets the new password with a usable token, ends every session of the user and clears the sign-in
   * limits of their email. A refused token counts as a failure against the client address.
   */
  async confirm(token: string, password: string, client: ClientContext): Promise<void> {
    const clientKey = clientCounterKey(client.address);
    await this.limiter.assertNotLocked(clientKey);
    const passwordHash = await hashPassword(password);
    const userId = await inTransaction(this.dataSource, async (manager) => {
      const resets = manager.getRepository(PasswordReset);
      const reset = await resets.findOneBy({ tokenHash: secretHash(token), usedAt: IsNull(), expiresAt: MoreThan(new Date()) });
      // Marked used in the same step that checks it is unused, so that a token works once even when raced.
      const claimed = reset ? await resets.update({ id: reset.id, usedAt: IsNull() }, { usedAt: new Date() }) : undefined;
      if (!reset || claimed?.affected !== 1) return null;
      // The user's other pending tokens stop working too: the password they were for has changed.
      await resets.update({ userId: reset.userId, usedAt: IsNull() }, { usedAt: new Date() });
      return reset.userId;
    });
    if (userId === null) {
      await this.limiter.recordFailure(clientKey, CLIENT_FAILURE_LIMIT);
      throw new ForbiddenException('This reset link is unknown, used or expired');
    }
    const user = await this.users.update(userId, { passwordHash });
    await this.sessions.endAllOf(userId);
    this.credentials.forgetCachedChecks();
    await this.limiter.clearEmail(emailKey(user.email));
  }

  /** The background half of request(): a reset email for a known enabled user, within the hourly limit. */
  private async emailReset(email: string): Promise<void> {
    const user = await this.users.findByEmailWithPassword(email);
    if (!user || user.disabled) return;
    await inTransaction(this.dataSource, async (manager) => {
      // The user's row is locked while counting, so that concurrent requests cannot all pass the limit.
      if (this.dataSource.options.type === 'postgres') await manager.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [user.id]);
      const since = new Date(Date.now() - 60 * 60_000);
      if ((await this.outbox.countSince(manager, 'password_reset', user.email, since)) >= RESET_EMAILS_PER_HOUR) return;
      const { url } = await this.issue(manager, user, null);
      await this.outbox.write(manager, {
        kind: 'password_reset',
        to: user.email,
        locale: user.locale,
        params: { name: user.name, link: url, validMinutes: RESET_LIFETIME_MS / 60_000 },
      });
    });
  }

  private async issue(manager: EntityManager, user: User, createdById: string | null): Promise<IssuedReset> {
    const token = randomSecret(32);
    const now = new Date();
    // Expired tokens are useless: each new token deletes them, everybody's, so the table stays small.
    await manager.delete(PasswordReset, { expiresAt: LessThan(now) });
    const expiresAt = new Date(now.getTime() + RESET_LIFETIME_MS);
    await manager.insert(PasswordReset, { id: randomUUID(), userId: user.id, tokenHash: secretHash(token), createdById, createdAt: now, expiresAt, usedAt: null });
    return { token, url: this.outbox.link(`/reset-password?token=${token}`), expiresAt };
  }
}
