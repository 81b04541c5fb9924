import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A project groups tasks; its key prefixes their keys (`WEB-12`). Created by the AddProjectsAndLabels migration. */
@Entity({ name: 'projects' })
export class Project {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Upper-case, unique, fixed at creation. */
  @Column({ type: 'varchar', length: 10 })
  key!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault!: boolean;

  @Column({ type: 'boolean', default: false })
  archived!: boolean;

  /** The number the project's next task gets; only ever grows, so no number is given twice. */
  @Column({ name: 'next_number', type: 'integer', default: 1 })
  nextNumber!: number;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
