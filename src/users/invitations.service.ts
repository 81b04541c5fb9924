import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { randomSecret, secretHash } from '../auth/secrets';
import { Invitation } from './invitation.entity';
import { emailKey } from './user.entity';
import { UserRole } from './user-role';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

@Injectable()
export class InvitationsService {
  constructor(@InjectRepository(Invitation) private readonly invitations: Repository<Invitation>) {}

  /** A new invitation and its code, which is returned only here. */
  async create(role: UserRole, email: string | null, createdById: string): Promise<{ invitation: Invitation; code: string }> {
    const code = randomSecret(24);
    const now = new Date();
    const invitation = this.invitations.create({
      id: randomUUID(),
      codeHash: secretHash(code),
      role,
      email,
      createdById,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
      usedAt: null,
      usedById: null,
    });
    await this.invitations.insert(invitation);
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
