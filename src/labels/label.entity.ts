import { Column, Entity, PrimaryColumn } from 'typeorm';

export const DEFAULT_LABEL_COLOR = '#6b7280';

/** A label tasks can carry (task_labels); created by the AddProjectsAndLabels migration. */
@Entity({ name: 'labels' })
export class Label {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  /** Lower-cased name, unique: names that differ only in case are the same label. */
  @Column({ name: 'name_folded', type: 'varchar', length: 50 })
  nameFolded!: string;

  /** `#rrggbb`, lower-case. */
  @Column({ type: 'varchar', length: 7 })
  color!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;
}
