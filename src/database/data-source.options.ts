import { parse as parsePostgresUrl } from 'pg-connection-string';
import type { TlsOptions } from 'node:tls';
import { DataSourceOptions } from 'typeorm';
import { ApiToken } from '../auth/api-token.entity';
import { PasswordReset } from '../auth/password-reset.entity';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity';
import { RetiredSessionToken } from '../auth/retired-session-token.entity';
import { Session } from '../auth/session.entity';
import { SignInCounter } from '../auth/sign-in-counter.entity';
import { TaskCount } from '../tasks/task-count.entity';
import { TaskDueDay } from '../tasks/task-due-day.entity';
import { ChangeLogState } from '../history/change-log-state.entity';
import { StreamTicket } from '../history/stream-ticket.entity';
import { TaskChange } from '../history/task-change.entity';
import { Task } from '../tasks/task.entity';
import { NotificationEmail } from '../email/notification-email.entity';
import { OutboxEmail } from '../email/outbox-email.entity';
import { Job } from '../jobs/job.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { WebhookFanoutState } from '../webhooks/webhook-fanout.entity';
import { Webhook } from '../webhooks/webhook.entity';
import { Invitation } from '../users/invitation.entity';
import { User } from '../users/user.entity';
import { Label } from '../labels/label.entity';
import { Project } from '../projects/project.entity';
import { GuardedPgClient } from './guarded-pg-client';
import { Comment } from '../comments/comment.entity';
import { Notification } from '../notifications/notification.entity';
import { TaskWatcher } from '../notifications/task-watcher.entity';
import { AddProjectsAndLabels1765000000000 } from './migrations/1765000000000-AddProjectsAndLabels';
import { AddCommentsAndNotifications1765400000000 } from './migrations/1765400000000-AddCommentsAndNotifications';
import { CreateTasks1763900000000 } from './migrations/1763900000000-CreateTasks';
import { AddTaskCounts1763900000001 } from './migrations/1763900000001-AddTaskCounts';
import { AddAccounts1764500000000 } from './migrations/1764500000000-AddAccounts';
import { AddTaskChanges1764650000000 } from './migrations/1764650000000-AddTaskChanges';
import { NotifyAfterCommit1764800000000 } from './migrations/1764800000000-NotifyAfterCommit';
import { ShardTaskCounts1764700000001 } from './migrations/1764700000001-ShardTaskCounts';
import { AddIdempotencyKeys1764600000000 } from './migrations/1764600000000-AddIdempotencyKeys';
import { AddJobs1765100000000 } from './migrations/1765100000000-AddJobs';
import { AddEmail1765200000000 } from './migrations/1765200000000-AddEmail';
import { AddNotificationEmails1765300000000 } from './migrations/1765300000000-AddNotificationEmails';
import { AddWebhooks1765500000000 } from './migrations/1765500000000-AddWebhooks';
import { AddLabelAndAssigneeCounts1765600000000 } from './migrations/1765600000000-AddLabelAndAssigneeCounts';
import { ShareWebhookPayloads1765700000000 } from './migrations/1765700000000-ShareWebhookPayloads';
import { ClaimWebhookDeliveriesInPlace1765800000000 } from './migrations/1765800000000-ClaimWebhookDeliveriesInPlace';

const entities = [Project, Label, Comment, TaskWatcher, Notification, Task, TaskCount, TaskDueDay, User, Session, RetiredSessionToken, ApiToken, Invitation, SignInCounter, IdempotencyKey, TaskChange, ChangeLogState, StreamTicket, Job, OutboxEmail, PasswordReset, NotificationEmail, Webhook, WebhookDelivery, WebhookFanoutState];
const migrations = [CreateTasks1763900000000, AddTaskCounts1763900000001, AddAccounts1764500000000, AddIdempotencyKeys1764600000000, AddTaskChanges1764650000000, ShardTaskCounts1764700000001, NotifyAfterCommit1764800000000, AddProjectsAndLabels1765000000000, AddJobs1765100000000, AddEmail1765200000000, AddNotificationEmails1765300000000, AddCommentsAndNotifications1765400000000, AddWebhooks1765500000000, AddLabelAndAssigneeCounts1765600000000, ShareWebhookPayloads1765700000000, ClaimWebhookDeliveriesInPlace1765800000000];

/** Pool settings for PostgreSQL; see README "Configuration" for why each is there. */
export const POSTGRES_POOL = {
  max: 15,
  // Keep-alive lets the kernel notice a dead peer on an idle connection instead of hanging on it.
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
  // Recycle connections so none outlives a server-side restart or a pooler's limit for long.
  maxLifetimeSeconds: 600,
} as const;

export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

/** `sqlite:///./taskflow.db` (the original's SQLAlchemy form), `sqlite:////abs.db` or `sqlite::memory:`. */
export function sqlitePath(databaseUrl: string): string {
  if (databaseUrl === 'sqlite::memory:') return ':memory:';
  // As in SQLAlchemy, what follows the third slash is the path: `./file.db`, `:memory:` or `/abs/file.db`.
  return databaseUrl.slice('sqlite:///'.length);
}

/** TypeORM options for `DATABASE_URL`, shared by the app (DatabaseModule) and the migration CLI. */
export function buildDataSourceOptions(databaseUrl: string): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsTransactionMode: 'all' } as const;
  if (isPostgresUrl(databaseUrl)) {
    // pg's libpq-compatible parsing gives `sslmode` its PostgreSQL meaning (`require` encrypts
    // without verifying the certificate, as Supabase's and Render's external URLs expect).
    const { ssl } = parsePostgresUrl(databaseUrl, { useLibpqCompat: true });
    return {
      ...common,
      type: 'postgres',
      url: databaseUrl,
      ssl: (ssl as TlsOptions | boolean | undefined) ?? false,
      // GuardedPgClient: a connection the server ends must not take the process down with it.
      extra: { ...POSTGRES_POOL, Client: GuardedPgClient },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: sqlitePath(databaseUrl),
    enableWAL: true,
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    prepareDatabase: (db: { pragma: (source: string) => unknown }) => {
      // Acknowledged writes survive a crash or power loss: every commit is synced, WAL or not.
      db.pragma('synchronous = FULL');
    },
  };
}
