import { Injectable } from '@nestjs/common';
import { MetricsService } from './metrics.service';

export type LockoutScope = 'pair' | 'email' | 'client';

/** What the accounts code reports to /metrics: refused sign-ins and lockouts. */
@Injectable()
export class AuthMetrics {
  constructor(private readonly metrics: MetricsService) {}

  /** A sign-in answered 401. */
  signInFailed(): void {
    this.metrics.signInFailures.inc();
  }

  /**
   * A failure that locked its key: an (email, client address) pair (5 failed sign-ins), an email (50 from
   * any addresses) or a client address (20 failures).
   */
  signInLockedOut(scope: LockoutScope = 'email'): void {
    this.metrics.signInLockouts.inc({ scope });
  }
}
