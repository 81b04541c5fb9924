import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EmailNotifications, Locale } from './user-preferences';
import { UserRole } from './user-role';

@Entity({ name: 'users' })
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** As the user typed it, trimmed. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** Lower-cased email: emails are compared case-insensitively, and this column is unique. */
  @Column({ name: 'email_key', type: 'varchar', length: 254 })
  emailKey!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: UserRole;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  /** The language of the emails they get. */
  @Column({ type: 'varchar', length: 2, default: Locale.En })
  locale!: Locale;

  @Column({ name: 'email_notifications', type: 'varchar', length: 10, default: EmailNotifications.Instant })
  emailNotifications!: EmailNotifications;

  @Column({ name: 'password_hash', type: 'varchar', length: 255, select: false })
  passwordHash!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}

/** Emails are trimmed and compared without regard to case. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
