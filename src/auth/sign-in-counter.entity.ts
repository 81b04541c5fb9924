import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed attempts of one key (`email:<address>` or `client:<ip>`) in the current 15-minute window.
 * Times are epoch milliseconds, which both databases compare and store the same way.
 */
@Entity({ name: 'sign_in_counters' })
export class SignInCounter {
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key!: string;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ name: 'window_started_at', type: 'bigint' })
  windowStartedAt!: string;

  @Column({ name: 'locked_until', type: 'bigint', nullable: true })
  lockedUntil!: string | null;
}
