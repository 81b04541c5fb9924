import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { ApiToken, ApiTokenScope } from './api-token.entity';
import { CredentialsService } from './credentials.service';
import { newApiToken, secretHash } from './secrets';
import { isIssuedId } from '../http/issued-id';

const DAY_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class ApiTokensService {
  constructor(
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly credentials: CredentialsService,
  ) {}

  /** A new token and its secret value, which is returned only here. */
  async create(
    userId: string,
    request: { name: string; scope: ApiTokenScope; expiresInDays: number | null },
  ): Promise<{ token: ApiToken; secret: string }> {
    const secret = newApiToken();
    const now = new Date();
    const token = this.tokens.create({
      id: randomUUID(),
      userId,
      name: request.name,
      scope: request.scope,
      tokenHash: secretHash(secret),
      createdAt: now,
      expiresAt: request.expiresInDays === null ? null : new Date(now.getTime() + request.expiresInDays * DAY_MS),
      lastUsedAt: null,
    });
    await this.tokens.insert(token);
    return { token, secret };
  }

  findAllOf(userId: string): Promise<ApiToken[]> {
    return this.tokens.find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Revokes one of the user's own tokens (404 for any other id); it stops working everywhere within seconds. */
  async revoke(userId: string, tokenId: string): Promise<void> {
    const result = isIssuedId(tokenId) ? await this.tokens.delete({ id: tokenId, userId }) : { affected: 0 };
    if (result.affected !== 1) throw new NotFoundException(`API token ${tokenId} not found`);
    this.credentials.forgetCachedChecks();
  }
}
