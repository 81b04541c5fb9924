import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthMetrics, LockoutScope } from '../metrics/auth-metrics.service';
import { SignInCounter } from './sign-in-counter.entity';

export const LIMIT_WINDOW_MS = 15 * 60 * 1000;
/**
 * Failed sign-ins of one email from one client address before that pair is locked for 15 minutes, even
 * with the right password. Other addresses are not affected, so nobody can lock a known email out.
 */
export const PAIR_FAILURE_LIMIT = 5;
/** Failed sign-ins of one email from any addresses before the email is locked everywhere. */
export const EMAIL_FAILURE_LIMIT = 50;
/** Failures from one client address (sign-ins, set-up tokens, registrations) before it is locked out. */
export const CLIENT_FAILURE_LIMIT = 20;

export class TooManyAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `Too many failed attempts; try again in ${retryAfterSeconds} seconds`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

export const emailCounterKey = (emailKey: string): string => `email:${emailKey}`;
export const clientCounterKey = (address: string): string => `client:${address}`;
// The email is hashed so that the key fits its column whatever the lengths, and keeps one prefix per email.
const pairPrefix = (emailKey: string): string => `pair:${createHash('sha256').update(emailKey).digest('hex')}:`;
export const pairCounterKey = (emailKey: string, address: string): string => `${pairPrefix(emailKey)}${address}`;

const lockoutScope = (key: string): LockoutScope => (key.startsWith('client:') ? 'client' : key.startsWith('pair:') ? 'pair' : 'email');

/**
 * The sign-in limits of the contract, kept in the database so that they hold across instances and
 * restarts. A key's window opens at its first failure; reaching the limit locks the key until
 * 15 minutes after the failure that reached it.
 */
@Injectable()
export class SignInLimiter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: AuthMetrics,
  ) {}

  /** Throws 429 (with the seconds to wait) when any of the keys is locked. */
  async assertNotLocked(...keys: string[]): Promise<void> {
    const now = Date.now();
    const counters = await this.dataSource
      .getRepository(SignInCounter)
      .createQueryBuilder('counter')
      .where('counter.key IN (:...keys)', { keys })
      .andWhere('counter.lockedUntil > :now', { now })
      .getMany();
    const lockedUntil = Math.max(0, ...counters.map((counter) => Number(counter.lockedUntil)));
    if (lockedUntil > now) throw new TooManyAttemptsException(Math.ceil((lockedUntil - now) / 1000));
  }

  /** Counts one failure against `key`; returns true when this failure locked it. */
  async recordFailure(key: string, limit: number): Promise<boolean> {
    const now = Date.now();
    const windowOpen = `sign_in_counters.window_started_at > ${now - LIMIT_WINDOW_MS}`;
    const failures = `(CASE WHEN ${windowOpen} THEN sign_in_counters.failures + 1 ELSE 1 END)`;
    // One statement, so that concurrent failures on several instances are all counted.
    const [sql, parameters] = this.dataSource.driver.escapeQueryWithParameters(
      `INSERT INTO sign_in_counters ("key", failures, window_started_at, locked_until)
       VALUES (:key, 1, :now, :firstLock)
       ON CONFLICT ("key") DO UPDATE SET
         failures = ${failures},
         window_started_at = CASE WHEN ${windowOpen} THEN sign_in_counters.window_started_at ELSE :now END,
         locked_until = CASE WHEN ${failures} = :limit THEN :lockedUntil ELSE sign_in_counters.locked_until END
       RETURNING failures`,
      { key, now, limit, firstLock: limit === 1 ? now + LIMIT_WINDOW_MS : null, lockedUntil: now + LIMIT_WINDOW_MS },
    );
    const rows: Array<{ failures: number | string }> = await this.dataSource.query(sql, parameters);
    const lockedNow = Number(rows[0]?.failures) === limit;
    if (lockedNow) this.metrics.signInLockedOut(lockoutScope(key));
    return lockedNow;
  }

  async clear(key: string): Promise<void> {
    await this.dataSource.getRepository(SignInCounter).delete({ key });
  }

  /** Ends every count and lock of an email: its own and those of each (email, address) pair. */
  async clearEmail(emailKey: string): Promise<void> {
    const prefix = pairPrefix(emailKey);
    await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(SignInCounter)
      .where('"key" = :key OR substr("key", 1, :length) = :prefix', { key: emailCounterKey(emailKey), length: prefix.length, prefix })
      .execute();
  }
}
