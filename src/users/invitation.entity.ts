import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UserRole } from './user-role';

@Entity({ name: 'invitations' })
export class Invitation {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** SHA-256 of the code: the code itself is shown once, at creation. */
  @Column({ name: 'code_hash', type: 'varchar', length: 64, select: false })
  codeHash!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: UserRole;

  /** When set, only this email (compared case-insensitively) may register with the invitation. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ name: 'created_by_id', type: 'varchar', length: 36 })
  createdById!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: Date, nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'used_by_id', type: 'varchar', length: 36, nullable: true })
  usedById!: string | null;
}
