import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row: how far retention has pruned the change log (a cursor below it gets 410). */
@Entity({ name: 'change_log_state' })
export class ChangeLogState {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'pruned_through', type: 'bigint' })
  prunedThrough!: string;
}
