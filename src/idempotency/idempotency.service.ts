import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Response } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { In, IsNull, LessThan, Repository } from 'typeorm';
import { IdempotencyKey } from './idempotency-key.entity';

/** How long an answer is replayed (the IETF draft's usual 24 hours). */
export const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
/**
 * How long a first request holds its key. A retry within it gets 409; after it (the instance running
 * the first request died), a retry takes the key over. Far longer than any request runs.
 */
export const LEASE_MS = 15_000;
const PRUNE_INTERVAL_MS = 10 * 60 * 1000;
// Small batches keep each DELETE short, so that pruning never holds up the writes of requests.
const PRUNE_BATCH = 500;

/** CONTRACT.md: 1 to 255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** Seconds a client should wait before retrying a key that is still being processed. */
const RETRY_AFTER_SECONDS = 1;
/** The headers of the first answer that a replay sends again. */
const REPLAYED_HEADERS = ['Location', 'ETag'];

export interface IdempotentRequest {
  /** The raw `Idempotency-Key` header. */
  key: string;
  /** Whose keys these are: one credential, or one shared scope when there are no accounts. */
  scope: string;
  /** The parsed body, before validation: a retry must send the same one. */
  body: unknown;
  /** The status of the route's successful answer (Nest sets it only after the handler returns). */
  successStatus: number;
}

/** JSON with object keys sorted, so that a retry that orders its fields differently is the same body. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

@Injectable()
export class IdempotencyService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyService.name);
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(@InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>) {}

  onApplicationBootstrap(): void {
    this.pruneTimer = setInterval(() => void this.pruneInBackground(), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruneTimer);
  }

  /**
   * Runs `handler` once per key: the first request runs it and its answer (status, body, Location,
   * ETag) is stored; a retry with the same body gets that answer again with `Idempotent-Replayed: true`.
   *
   * `handler` gets the id the key reserves for what it creates. When an instance died between creating
   * and storing its answer, the retry that takes the key over asks `recover` for what that id already
   * names (and replays it) before running `handler` again: so a crash cannot create a thing twice.
   */
  async run<T>(
    request: IdempotentRequest,
    response: Response,
    handler: (reservedId: string) => Promise<T>,
    recover: (reservedId: string) => Promise<T | undefined> = async () => undefined,
  ): Promise<T> {
    if (!IDEMPOTENCY_KEY_PATTERN.test(request.key)) {
      throw new BadRequestException('Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    const requestHash = createHash('sha256').update(canonicalJson(request.body)).digest('hex');
    const claim = await this.claim(request.scope, request.key, requestHash).catch((error: unknown) => {
      if (error instanceof ConflictException) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      throw error;
    });
    if ('replay' in claim) return this.replay(claim.replay, response) as T;

    let result: T | undefined;
    try {
      result = claim.takenOver ? await recover(claim.id) : undefined;
      if (result !== undefined) response.setHeader(REPLAYED_HEADER, 'true');
      else result = await handler(claim.id);
    } catch (error) {
      // A failed first attempt leaves no trace, so the client's retry runs afresh instead of getting 409.
      await this.keys.delete({ id: claim.id, leaseToken: claim.leaseToken }).catch(() => undefined);
      throw error;
    }
    const headers = Object.fromEntries(
      REPLAYED_HEADERS.flatMap((name) => (response.hasHeader(name) ? [[name, String(response.getHeader(name))]] : [])),
    );
    const stored = await this.keys.update(
      { id: claim.id, leaseToken: claim.leaseToken },
      {
        responseStatus: request.successStatus,
        responseHeaders: JSON.stringify(headers),
        responseBody: JSON.stringify(result),
        leaseToken: null,
        lockedUntil: null,
      },
    );
    if (stored.affected !== 1) this.logger.warn(`Idempotency key ${claim.id} was taken over before its answer was stored`);
    return result;
  }

  /** Deletes expired keys in small batches; returns how many went. */
  async pruneExpired(now = new Date()): Promise<number> {
    let deleted = 0;
    for (;;) {
      const expired = await this.keys.find({ select: { id: true }, where: { expiresAt: LessThan(now) }, take: PRUNE_BATCH });
      if (expired.length === 0) return deleted;
      await this.keys.delete({ id: In(expired.map((row) => row.id)) });
      deleted += expired.length;
      if (expired.length < PRUNE_BATCH) return deleted;
      // Let the requests waiting on the event loop (and, on SQLite, on the write lock) go first.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async pruneInBackground(): Promise<void> {
    try {
      const deleted = await this.pruneExpired();
      if (deleted > 0) this.logger.log(`Pruned ${deleted} expired idempotency keys`);
    } catch (error) {
      this.logger.warn(`Pruning idempotency keys failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Takes the key for this request, or says what the request gets instead (replay, 409, 422). */
  private async claim(
    scope: string,
    key: string,
    requestHash: string,
  ): Promise<{ id: string; leaseToken: string; takenOver?: boolean } | { replay: IdempotencyKey }> {
    const leaseToken = randomUUID();
    const now = new Date();
    const lease = { leaseToken, lockedUntil: new Date(now.getTime() + LEASE_MS) };
    // INSERT OR IGNORE / ON CONFLICT DO NOTHING: of concurrent first requests exactly one row goes in.
    await this.keys
      .createQueryBuilder()
      .insert()
      .values({ id: randomUUID(), scope, key, requestHash, ...lease, createdAt: now, expiresAt: new Date(now.getTime() + KEY_LIFETIME_MS) })
      .orIgnore()
      .execute();
    const row = await this.keys.findOneByOrFail({ scope, key });
    if (row.leaseToken === leaseToken) return { id: row.id, leaseToken };

    if (row.expiresAt <= now) {
      // An expired key not pruned yet is a new key: start over on its row.
      // A new id too: the old one names what the expired key created.
      const id = randomUUID();
      const restarted = await this.keys.update(
        { id: row.id, expiresAt: LessThan(now) },
        { id, requestHash, ...lease, responseStatus: null, responseHeaders: null, responseBody: null, createdAt: now,
          expiresAt: new Date(now.getTime() + KEY_LIFETIME_MS) },
      );
      if (restarted.affected === 1) return { id, leaseToken };
      return this.claim(scope, key, requestHash);
    }
    if (row.requestHash !== requestHash) {
      throw new UnprocessableEntityException(['Idempotency-Key was already used with a different request body']);
    }
    if (row.responseStatus !== null) return { replay: row };
    if (row.lockedUntil !== null && row.lockedUntil > now) throw this.stillRunning();
    // The first request's lease ran out without an answer: its instance stopped. This retry takes over.
    const takenOver = await this.keys.update(
      { id: row.id, leaseToken: row.leaseToken ?? IsNull(), responseStatus: IsNull() },
      lease,
    );
    if (takenOver.affected === 1) return { id: row.id, leaseToken, takenOver: true };
    throw this.stillRunning();
  }

  private stillRunning(): ConflictException {
    return new ConflictException('A request with this Idempotency-Key is still being processed; retry later');
  }

  private replay(row: IdempotencyKey, response: Response): unknown {
    response.status(row.responseStatus!);
    for (const [name, value] of Object.entries(JSON.parse(row.responseHeaders ?? '{}') as Record<string, string>)) {
      response.setHeader(name, value);
    }
    response.setHeader(REPLAYED_HEADER, 'true');
    return JSON.parse(row.responseBody ?? 'null');
  }
}
