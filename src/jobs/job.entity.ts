import { Column, Entity, PrimaryColumn } from 'typeorm';

export type JobStatus = 'pending' | 'done' | 'failed';

/**
 * One unit of background work, written in the same transaction as its cause. Times are epoch milliseconds,
 * which both databases store and compare the same way (the claim compares them in SQL).
 */
@Entity({ name: 'jobs' })
export class Job {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Which handler runs it (`email.send`, ...). */
  @Column({ type: 'varchar', length: 100 })
  kind!: string;

  /** The handler's input, as JSON. */
  @Column({ type: 'text' })
  payload!: string;

  /** Unique when set: a second job with the same key is not created (periodic slots, one job per cause). */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 200, nullable: true })
  dedupeKey!: string | null;

  @Column({ type: 'varchar', length: 10 })
  status!: JobStatus;

  /** Not before this time: the first run, or the next retry. */
  @Column({ name: 'run_at', type: 'bigint' })
  runAt!: string;

  /** Runs started so far, counted when a run is claimed. */
  @Column({ type: 'integer' })
  attempts!: number;

  /** While a run holds the job; once past, another instance may claim it (its holder died). */
  @Column({ name: 'locked_until', type: 'bigint', nullable: true })
  lockedUntil!: string | null;

  @Column({ name: 'locked_by', type: 'varchar', length: 36, nullable: true })
  lockedBy!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'bigint' })
  createdAt!: string;

  @Column({ name: 'finished_at', type: 'bigint', nullable: true })
  finishedAt!: string | null;
}
