import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull, MoreThan, Repository } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { inTransaction } from '../database/transaction';
import { EmailOutbox } from '../email/email-outbox.service';
import { randomSecret, secretHash } from '../auth/secrets';
import { Invitation } from './invitation.entity';
import { User, emailKey } from './user.entity';
import { UserRole } from './user-role';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

@Injectable()
export class InvitationsService {
  constructor(
    @InjectRepository(Invitation) private readonly invitations: Repository<Invitation>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EmailOutbox,
  ) {}

  /**
   * A new invitation and its code, which is returned only here. With email configured, an invitation for
   * an email is sent to it, in the same transaction, in the inviting admin's language.
   */
  async create(role: UserRole, email: string | null, inviter: User): Promise<{ invitation: Invitation; code: string }> {
    const code = randomSecret(24);
    const now = new Date();
    const invitation = this.invitations.create({
      id: randomUUID(),
      codeHash: secretHash(code),
      role,
      email,
      createdById: inviter.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
      usedAt: null,
      usedById: null,
    });
    await inTransaction(this.dataSource, async (manager) => {
      await manager.insert(Invitation, invitation);
      if (email === null) return;
      await this.outbox.write(manager, {
        kind: 'invitation',
        to: email,
        locale: inviter.locale,
        params: { inviterName: inviter.name, link: this.outbox.link(`/register?invitation=${encodeURIComponent(code)}`) },
      });
    });
    return { invitation, code };
  }

  /** Invitations neither used, expired nor deleted, oldest first. */
  findPending(): Promise<Invitation[]> {
    return this.invitations.find({
      where: { usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async remove(id: string): Promise<void> {
    const result = await this.invitations.delete({ id, usedAt: IsNull() });
    if (result.affected !== 1) throw new NotFoundException(`Invitation ${id} not found`);
  }

  /** The pending invitation with this code that this email may use, or null. */
  async findUsable(code: string, email: unknown): Promise<Invitation | null> {
    const invitation = await this.invitations.findOneBy({ codeHash: secretHash(code), usedAt: IsNull(), expiresAt: MoreThan(new Date()) });
    if (!invitation) return null;
    if (invitation.email !== null && (typeof email !== 'string' || emailKey(invitation.email) !== emailKey(email))) return null;
    return invitation;
  }

  /** Marks the invitation used; false when another registration used it first. */
  async claim(id: string): Promise<boolean> {
    const result = await this.invitations.update({ id, usedAt: IsNull() }, { usedAt: new Date() });
    return result.affected === 1;
  }

  /** Gives back an invitation whose registration failed after claiming it. */
  async release(id: string): Promise<void> {
    await this.invitations.update({ id }, { usedAt: null });
  }

  async recordUser(id: string, userId: string): Promise<void> {
    await this.invitations.update({ id }, { usedById: userId });
  }
}
