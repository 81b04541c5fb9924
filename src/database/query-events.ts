import { AfterQueryEvent, DataSource } from 'typeorm';

/**
 * Tells TypeORM's subscribers (the query metrics) about a query run outside TypeORM's query runners:
 * the named prepared statements of the task reads, the synchronous SQLite transactions of the writes.
 */
export function announceQuery(dataSource: DataSource, query: string, startedAt: number, error?: unknown): void {
  const event = {
    connection: dataSource,
    manager: dataSource.manager,
    query,
    success: error === undefined,
    executionTime: performance.now() - startedAt,
    error,
  } as unknown as AfterQueryEvent;
  for (const subscriber of dataSource.subscribers) subscriber.afterQuery?.(event);
}
