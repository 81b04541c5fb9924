import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, MoreThan, Repository } from 'typeorm';
import { CredentialsService } from '../auth/credentials.service';
import { credentialKey, Principal } from '../auth/principal';
import { randomSecret, secretHash } from '../auth/secrets';
import { StreamTicket } from './stream-ticket.entity';

/** A ticket opens one stream within this delay; it is useless afterwards, and once used. */
export const TICKET_LIFETIME_SECONDS = 60;

@Injectable()
export class StreamTicketsService {
  constructor(
    @InjectRepository(StreamTicket) private readonly tickets: Repository<StreamTicket>,
    private readonly credentials: CredentialsService,
  ) {}

  /** A ticket for the principal's credential; stored as a hash, so that any instance can take it. */
  async issue(principal: Principal, credentialValidUntil: number): Promise<string> {
    const ticket = randomSecret();
    const now = Date.now();
    await this.tickets.insert({
      ticketHash: secretHash(ticket),
      credential: credentialKey(principal),
      userId: principal.user.id,
      credentialExpiresAt: Number.isFinite(credentialValidUntil) ? new Date(credentialValidUntil) : null,
      expiresAt: new Date(now + TICKET_LIFETIME_SECONDS * 1000),
      usedAt: null,
    });
    // Used and expired tickets are worth nothing: clear them out as new ones are made.
    await this.tickets.delete({ expiresAt: LessThan(new Date(now - TICKET_LIFETIME_SECONDS * 1000)) });
    return ticket;
  }

  /** Uses a ticket up; the principal it was made for, while its credential still works, or null. */
  async redeem(ticket: string): Promise<{ principal: Principal; validUntil: number } | null> {
    const ticketHash = secretHash(ticket);
    const claimed = await this.tickets.update({ ticketHash, usedAt: IsNull(), expiresAt: MoreThan(new Date()) }, { usedAt: new Date() });
    if (claimed.affected !== 1) return null;
    const row = await this.tickets.findOneByOrFail({ ticketHash });
    const current = await this.credentials.principalOf(row.credential);
    if (!current || current.principal.user.id !== row.userId) return null;
    const closesAt = Math.min(current.validUntil, row.credentialExpiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    return { principal: current.principal, validUntil: closesAt };
  }
}
