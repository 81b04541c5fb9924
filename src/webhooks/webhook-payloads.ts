import { DataSource } from 'typeorm';
import { TaskChangeResponse } from '../history/dto/task-change-response.dto';
import { numberedPlaceholders } from '../database/sql-values';
import { eventOfChange } from './webhook-events';

/**
 * A change-log entry's webhook body is stored once for all its deliveries (`webhook_payloads`, migration
 * 1765700000000): the body's text after its `id`, which every webhook receiving the entry shares. A delivery of
 * an entry stores SHARED_BODY and is sent as its own id followed by that text: the same bytes on every attempt and
 * redelivery, since neither the id nor the stored text ever changes. Pings (no entry) and the deliveries made
 * before the migration keep their whole body in their row.
 */
export const SHARED_BODY = '';

/**
 * The entry's body after its `id`: `created_at` is when the event happened, `data` the entry exactly as
 * GET /tasks/changes gives it, so that the whole reads as JSON.stringify({ id, event, created_at, data }) would.
 */
export function bodyAfterId(change: TaskChangeResponse): string {
  return `"event":${JSON.stringify(eventOfChange(change.kind))},"created_at":${JSON.stringify(change.changed_at)},"data":${JSON.stringify(change)}}`;
}

/** The body a delivery sends, from its id and its entry's shared text. */
export function bodyWithId(id: string, bodyAfterIdText: string): string {
  return `{"id":${JSON.stringify(id)},${bodyAfterIdText}`;
}

/** The shared texts of these entries, by change_seq (as a string); one query. */
export async function readPayloads(dataSource: DataSource, changeSeqs: string[]): Promise<Map<string, string>> {
  if (changeSeqs.length === 0) return new Map();
  const sql = `SELECT change_seq, body_rest FROM webhook_payloads WHERE change_seq IN (${changeSeqs.map(() => '?').join(', ')})`;
  const rows: Array<{ change_seq: string | number; body_rest: string }> = await dataSource.query(
    dataSource.options.type === 'postgres' ? numberedPlaceholders(sql) : sql,
    changeSeqs,
  );
  return new Map(rows.map((row) => [String(row.change_seq), row.body_rest]));
}

/**
 * Drops the payloads no delivery can need any more: those below the oldest entry any webhook still has a delivery
 * of (one look-up per webhook on the (webhook_id, change_seq) index), or, with no such delivery, those up to the
 * fan-out's position. A payload is written in the same transaction as its deliveries, so one that this statement
 * cannot see yet is not deleted by it.
 */
export async function sweepPayloads(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `DELETE FROM webhook_payloads WHERE change_seq < COALESCE(
       (SELECT MIN((SELECT MIN(d.change_seq) FROM webhook_deliveries d WHERE d.webhook_id = w.id)) FROM webhooks w),
       (SELECT last_seq + 1 FROM webhook_fanout WHERE id = 1))`,
  );
}
