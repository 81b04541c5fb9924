import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { isUniqueViolation } from '../database/unique-violation';
import { withAdminsLock } from './admins-lock';
import { User, emailKey } from './user.entity';
import { EmailNotifications, Locale } from './user-preferences';
import { UserRole } from './user-role';
import { isIssuedId } from '../http/issued-id';


export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  passwordHash: string;
  /** From the request's Accept-Language; English when omitted. */
  locale?: Locale;
}

export interface UserChanges {
  name?: string;
  email?: string;
  role?: UserRole;
  disabled?: boolean;
  passwordHash?: string;
  locale?: Locale;
  emailNotifications?: EmailNotifications;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  findAll(): Promise<User[]> {
    return this.users.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async findOne(id: string): Promise<User> {
    const user = isIssuedId(id) ? await this.users.findOneBy({ id }) : null;
    if (!user) throw new NotFoundException(`User ${id} not found`);
    return user;
  }

  /** The user with this email, password hash included (for checking a password). */
  findByEmailWithPassword(email: string): Promise<User | null> {
    return this.users.createQueryBuilder('user').addSelect('user.passwordHash').where('user.emailKey = :key', { key: emailKey(email) }).getOne();
  }

  async passwordHashOf(id: string): Promise<string> {
    const user = await this.users.createQueryBuilder('user').addSelect('user.passwordHash').where('user.id = :id', { id }).getOne();
    if (!user) throw new NotFoundException(`User ${id} not found`);
    return user.passwordHash;
  }

  async exists(): Promise<boolean> {
    return (await this.users.createQueryBuilder('user').select('1').limit(1).getRawOne()) !== undefined;
  }

  async emailTaken(email: string): Promise<boolean> {
    return this.users.existsBy({ emailKey: emailKey(email) });
  }

  /** Creates a user; 409 when the email is taken. */
  async create(newUser: NewUser): Promise<User> {
    const user = this.build(newUser);
    try {
      await this.users.insert(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException('An account with this email already exists');
      throw error;
    }
    return user;
  }

  /** Creates the first admin, or returns null when a user exists already (set-up is done once). */
  async createFirstAdmin(newUser: Omit<NewUser, 'role'>): Promise<User | null> {
    const user = this.build({ ...newUser, role: UserRole.Admin });
    return withAdminsLock(this.dataSource, async (manager) => {
      const [sql, parameters] = this.dataSource.driver.escapeQueryWithParameters(
        `INSERT INTO users (id, email, email_key, name, role, disabled, password_hash, locale, email_notifications, created_at, updated_at)
         SELECT :id, :email, :emailKey, :name, :role, :disabled, :passwordHash, :locale, :emailNotifications, :createdAt, :updatedAt
         WHERE NOT EXISTS (SELECT 1 FROM users)`,
        { ...user },
      );
      await manager.query(sql, parameters);
      const created = await manager.findOneBy(User, { id: user.id });
      return created ? user : null;
    });
  }

  /**
   * Applies an admin's or the user's own changes. A change that would leave no enabled admin is refused
   * with 409, checked and written in one step so that two admins demoting each other cannot both win.
   */
  async update(id: string, changes: UserChanges): Promise<User> {
    const user = await this.findOne(id);
    const losesAdmin =
      user.role === UserRole.Admin && !user.disabled && ((changes.role ?? user.role) !== UserRole.Admin || (changes.disabled ?? false));
    const values: Partial<User> = { updatedAt: new Date() };
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.email !== undefined) Object.assign(values, { email: changes.email, emailKey: emailKey(changes.email) });
    if (changes.role !== undefined) values.role = changes.role;
    if (changes.disabled !== undefined) values.disabled = changes.disabled;
    if (changes.passwordHash !== undefined) values.passwordHash = changes.passwordHash;
    if (changes.locale !== undefined) values.locale = changes.locale;
    if (changes.emailNotifications !== undefined) values.emailNotifications = changes.emailNotifications;
    try {
      const affected = await withAdminsLock(this.dataSource, async (manager) => {
        const update = manager.createQueryBuilder().update(User).set(values).where('id = :id', { id });
        if (losesAdmin) {
          update.andWhere(
            `EXISTS (SELECT 1 FROM users other WHERE other.id <> :id AND other.role = :admin AND other.disabled = :enabled)`,
            { admin: UserRole.Admin, enabled: false },
          );
        }
        return (await update.execute()).affected;
      });
      if (affected !== 1) throw new ConflictException('This would leave no enabled admin: promote another user first');
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException('An account with this email already exists');
      throw error;
    }
    return this.findOne(id);
  }

  private build(newUser: NewUser): User {
    const now = new Date();
    return this.users.create({
      id: randomUUID(),
      email: newUser.email,
      emailKey: emailKey(newUser.email),
      name: newUser.name,
      role: newUser.role,
      disabled: false,
      passwordHash: newUser.passwordHash,
      locale: newUser.locale ?? Locale.En,
      emailNotifications: EmailNotifications.Instant,
      createdAt: now,
      updatedAt: now,
    });
  }
}
