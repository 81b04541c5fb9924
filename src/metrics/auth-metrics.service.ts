import { Injectable } from '@nestjs/common';
import { MetricsService } from './metrics.service';

export type LockoutScope = 'email' | 'client';

/** What the accounts code reports to /metrics: refused sign-ins and lockouts. */
@Injectable()
export class AuthMetrics {
  constructor(private readonly metrics: MetricsService) {}

  /** A sign-in answered 401. */
  signInFailed(): void {
    this.metrics.signInFailures.inc();
  }

  /** An attempt answered 429: its email has failed too often, or its client address has. */
  signInLockedOut(scope: LockoutScope = 'email'): void {
    this.metrics.signInLockouts.inc({ scope });
  }
}
