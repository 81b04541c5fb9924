import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource, EntitySubscriberInterface } from 'typeorm';
import type { AfterQueryEvent } from 'typeorm/subscriber/event/QueryEvent.js';
import { POSTGRES_POOL } from '../database/data-source.options';
import { routeTemplate } from '../observability/request-context';
import { TaskCount } from '../tasks/task-count.entity';
import { TaskStatus } from '../tasks/task.enums';

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const SQL_OPERATIONS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'BEGIN', 'COMMIT', 'ROLLBACK']);

/** Label of requests no route answered (unknown paths, bodies refused before routing): raw paths would explode the series. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** The pool statistics pg.Pool keeps; TypeORM's PostgreSQL driver holds one as `master`. */
interface PoolStatistics {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * Every metric GET /metrics exposes, in one registry per app (tests start several apps in one process).
 * Series are read at scrape time where they already exist elsewhere: the pool's counters, task_counts.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();
  private readonly logger = new Logger(MetricsService.name);

  private readonly requestDuration = new Histogram({
    name: 'taskflow_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly inFlight = new Gauge({
    name: 'taskflow_http_requests_in_flight',
    help: 'HTTP requests received and not answered yet.',
    registers: [this.registry],
  });

  private readonly queryDuration = new Histogram({
    name: 'taskflow_db_query_duration_seconds',
    help: 'Time of successful database queries, by SQL statement kind (millisecond resolution).',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly queryErrors = new Counter({
    name: 'taskflow_db_query_errors_total',
    help: 'Database queries that failed, by SQL statement kind.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly requestsShed = new Counter({
    name: 'taskflow_http_requests_shed_total',
    help: 'Requests answered 503 by the load shedder: its queue was full, or they could not start within 500 ms.',
    registers: [this.registry],
  });

  /** Sign-in counters, incremented by the accounts code through AuthMetrics. */
  readonly signInFailures = new Counter({
    name: 'taskflow_sign_in_failures_total',
    help: 'Sign-ins refused with 401 (unknown email, wrong password or disabled user).',
    registers: [this.registry],
  });

  readonly signInLockouts = new Counter({
    name: 'taskflow_sign_in_lockouts_total',
    help: 'Lockouts: an email locked after 5 failed sign-ins, or a client address after 20 failures, for 15 minutes.',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });

  constructor(private readonly dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters, which `promtool check metrics` rejects; the same numbers are in
    // nodejs_active_handles, nodejs_active_requests and nodejs_active_resources, by type.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      this.registry.removeSingleMetric(name);
    }
    const pool = () => this.postgresPool();
    new Gauge({
      name: 'taskflow_db_pool_max',
      help: 'Most connections the database pool may open (PostgreSQL; 0 on SQLite).',
      registers: [this.registry],
      collect() {
        this.set(pool() ? POSTGRES_POOL.max : 0);
      },
    });
    new Gauge({
      name: 'taskflow_db_pool_size',
      help: 'Connections the database pool has open, busy or idle (PostgreSQL; 0 on SQLite).',
      registers: [this.registry],
      collect() {
        this.set(pool()?.totalCount ?? 0);
      },
    });
    new Gauge({
      name: 'taskflow_db_pool_idle',
      help: 'Open connections of the database pool that no query is using (PostgreSQL; 0 on SQLite).',
      registers: [this.registry],
      collect() {
        this.set(pool()?.idleCount ?? 0);
      },
    });
    new Gauge({
      name: 'taskflow_db_pool_waiting',
      help: 'Queries waiting for a database connection because the pool is exhausted (PostgreSQL; 0 on SQLite).',
      registers: [this.registry],
      collect() {
        this.set(pool()?.waitingCount ?? 0);
      },
    });
    const countTasks = () => this.tasksByStatus();
    new Gauge({
      name: 'taskflow_tasks',
      help: 'Tasks by status, from the task_counts counters.',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await countTasks();
        if (!counts) return; // The database did not answer: the scrape goes on without this series.
        for (const status of Object.values(TaskStatus)) this.set({ status }, counts.get(status) ?? 0);
      },
    });
  }

  onModuleInit(): void {
    // TypeORM tells subscribers how long each query took; this one only records it.
    const subscriber: EntitySubscriberInterface = {
      afterQuery: (event: AfterQueryEvent) => this.recordQuery(event.query, event.success, event.executionTime),
    };
    this.dataSource.subscribers.push(subscriber);
  }

  /** Express middleware timing every request; registered first so refused bodies and 404s count too. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    this.inFlight.inc();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      this.inFlight.dec();
      const method = HTTP_METHODS.has(request.method) ? request.method : 'OTHER';
      const route = routeTemplate(request) ?? UNMATCHED_ROUTE;
      const statusClass = `${Math.floor(response.statusCode / 100)}xx`;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.requestDuration.observe({ method, route, status_class: statusClass }, seconds);
    };
    response.once('finish', record);
    // A client that goes away before the answer is complete: 'finish' never comes.
    response.once('close', record);
    next();
  };

  recordQuery(query: string, success: boolean, executionTimeMs: number | undefined): void {
    const keyword = /^\s*(\w+)/.exec(query)?.[1]?.toUpperCase() ?? '';
    const operation = SQL_OPERATIONS.has(keyword) ? keyword.toLowerCase() : 'other';
    if (!success) this.queryErrors.inc({ operation });
    else if (executionTimeMs !== undefined) this.queryDuration.observe({ operation }, executionTimeMs / 1000);
  }

  private postgresPool(): PoolStatistics | undefined {
    if (this.dataSource.options.type !== 'postgres') return undefined;
    return (this.dataSource.driver as unknown as { master?: PoolStatistics }).master;
  }

  private async tasksByStatus(): Promise<Map<string, number> | undefined> {
    try {
      const rows = await this.dataSource
        .getRepository(TaskCount)
        .createQueryBuilder('counts')
        .select('counts.status', 'status')
        .addSelect('COALESCE(SUM(counts.count), 0)', 'total')
        .groupBy('counts.status')
        .getRawMany<{ status: string; total: number | string }>();
      return new Map(rows.map((row) => [row.status, Number(row.total)]));
    } catch (error) {
      this.logger.warn(`Tasks by status left out of /metrics: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}
