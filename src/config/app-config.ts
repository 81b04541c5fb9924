import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, MinLength, ValidateBy, validateSync } from 'class-validator';
import { randomBytes } from 'node:crypto';

export const ENVIRONMENTS = ['production', 'development', 'test'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const AUTH_MODES = ['required', 'off'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const REGISTRATION_MODES = ['invite', 'open'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

export const MIN_JWT_SECRET_LENGTH = 32;

export const DEFAULT_DATABASE_URL = 'sqlite:///./taskflow.db';
export const DEFAULT_CORS_ORIGINS = 'http://localhost:5173,http://localhost:3000';

/** The typed settings every other module injects; only this folder reads process.env. */
export abstract class AppConfig {
  abstract readonly port: number;
  abstract readonly environment: Environment;
  abstract readonly databaseUrl: string;
  /** Full origins (`https://host`); bare host names from the environment are already expanded. */
  abstract readonly corsOrigins: readonly string[];
  abstract readonly logLevel: LogLevel;
  /** `off` is the v1 API: no credential anywhere, no account routes. */
  abstract readonly authMode: AuthMode;
  /** HS256 key of access tokens; random at each start when JWT_SECRET is unset (outside production). */
  abstract readonly jwtSecret: string;
  /** True when jwtSecret was generated at start, which main.ts warns about. */
  abstract readonly jwtSecretGenerated: boolean;
  /** SETUP_TOKEN; when unset and no user exists, the server generates one and logs it. */
  abstract readonly setupToken: string | undefined;
  abstract readonly registration: RegistrationMode;
  abstract readonly accessTokenTtlMinutes: number;
  /** How many proxies in front are believed about X-Forwarded-For / X-Forwarded-Proto. */
  abstract readonly trustProxy: number;
  /** Days the task change log keeps its entries (history, sync cursors, stream catch-up). */
  abstract readonly changeRetentionDays: number;
  /** Seconds between heartbeat comments on an idle event stream (proxies close silent ones). */
  abstract readonly eventsHeartbeatSeconds: number;
  /** Where server faults are reported (Sentry or GlitchTip); error tracking is off when unset. */
  abstract readonly sentryDsn: string | undefined;
  /** The environment name on error reports: SENTRY_ENVIRONMENT, else NODE_ENV. */
  abstract readonly sentryEnvironment: string;
  /** The deployed commit (Render sets RENDER_GIT_COMMIT), part of the release on error reports. */
  abstract readonly gitCommit: string | undefined;
  /** Bearer token GET /metrics requires; without it /metrics is open, except in production where it is 404. */
  abstract readonly metricsToken: string | undefined;
  /** The web app's public address (no trailing slash), for links in emails and reset links. */
  abstract readonly appUrl: string | undefined;
  /** Outgoing email; undefined (no email sent, `/auth/status` says `email: false`) without SMTP_URL. */
  abstract readonly email: EmailConfig | undefined;
  /** How long a user's `instant` notification emails wait to be combined into one. */
  abstract readonly notificationEmailDelaySeconds: number;
  /** Host names or addresses webhooks may reach although loopback or private (lower case, IPv6 without brackets). */
  abstract readonly webhookAllowedHosts: readonly string[];
  /** The unit of the webhook retry waits (1, 5, 30, 120, 360 and 720 of it). */
  abstract readonly webhookRetryBaseSeconds: number;
  /** How many most recent deliveries, all failed, turn a webhook off (20); 0: never (the receiver-down drill). */
  abstract readonly webhookFailuresToDisable: number;
}

export interface EmailConfig {
  /** `smtp://` or `smtps://`, with optional `user:password@`: a secret, never logged. */
  smtpUrl: string;
  /** The sender, e.g. `TaskFlow <tasks@example.com>`. */
  from: string;
  appUrl: string;
}

// An empty variable (`PORT=`) counts as unset, as Render and shells often leave them.
const emptyAsUnset = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const integerOrText = ({ value }: { value: unknown }) =>
  value === '' || value === undefined ? undefined : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

const ORIGIN_OR_HOST = /^(https?:\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?$/;

class EnvironmentVariables {
  @Transform(integerOrText)
  @IsOptional()
  @IsInt({ message: 'PORT must be an integer between 1 and 65535' })
  @Min(1, { message: 'PORT must be an integer between 1 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 1 and 65535' })
  PORT?: number;

  @Transform(emptyAsUnset)
  @IsOptional()
  @IsIn(ENVIRONMENTS, { message: `NODE_ENV must be one of: ${ENVIRONMENTS.join(', ')}` })
  NODE_ENV?: Environment;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^(postgres(ql)?:\/\/.+|sqlite:\/\/\/.+|sqlite::memory:)$/, {
    message: 'DATABASE_URL must be a postgres://, postgresql://, sqlite:///path or sqlite::memory: URL',
  })
  DATABASE_URL?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @ValidateBy({
    name: 'isOriginList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && invalidCorsEntries(value).length === 0,
      defaultMessage: (args) =>
        `CORS_ORIGINS has entries that are not origins or host names: ${invalidCorsEntries(String(args?.value)).join(', ')}`,
    },
  })
  CORS_ORIGINS?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of: ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  @Transform(emptyAsUnset)
  @IsOptional()
  @IsIn(AUTH_MODES, { message: `AUTH_MODE must be one of: ${AUTH_MODES.join(', ')}` })
  AUTH_MODE?: AuthMode;

  @Transform(emptyAsUnset)
  @IsOptional()
  @MinLength(MIN_JWT_SECRET_LENGTH, { message: `JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters` })
  JWT_SECRET?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,256}$/, { message: 'SETUP_TOKEN must be 1 to 256 visible ASCII characters' })
  SETUP_TOKEN?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @IsIn(REGISTRATION_MODES, { message: `REGISTRATION must be one of: ${REGISTRATION_MODES.join(', ')}` })
  REGISTRATION?: RegistrationMode;

  @Transform(integerOrText)
  @IsOptional()
  @IsInt({ message: 'ACCESS_TOKEN_TTL_MINUTES must be an integer between 1 and 60' })
  @Min(1, { message: 'ACCESS_TOKEN_TTL_MINUTES must be an integer between 1 and 60' })
  @Max(60, { message: 'ACCESS_TOKEN_TTL_MINUTES must be an integer between 1 and 60' })
  ACCESS_TOKEN_TTL_MINUTES?: number;

  @Transform(integerOrText)
  @IsOptional()
  @IsInt({ message: 'CHANGE_RETENTION_DAYS must be an integer between 1 and 3650' })
  @Min(1, { message: 'CHANGE_RETENTION_DAYS must be an integer between 1 and 3650' })
  @Max(3650, { message: 'CHANGE_RETENTION_DAYS must be an integer between 1 and 3650' })
  CHANGE_RETENTION_DAYS?: number;

  @Transform(integerOrText)
  @IsOptional()
  @IsInt({ message: 'EVENTS_HEARTBEAT_SECONDS must be an integer between 1 and 25' })
  @Min(1, { message: 'EVENTS_HEARTBEAT_SECONDS must be an integer between 1 and 25' })
  @Max(25, { message: 'EVENTS_HEARTBEAT_SECONDS must be an integer between 1 and 25' })
  EVENTS_HEARTBEAT_SECONDS?: number;

  @Transform(integerOrText)
  @IsOptional()
  @IsInt({ message: 'TRUST_PROXY must be an integer between 0 and 10' })
  @Min(0, { message: 'TRUST_PROXY must be an integer between 0 and 10' })
  @Max(10, { message: 'TRUST_PROXY must be an integer between 0 and 10' })
  TRUST_PROXY?: number;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/@]+@[^\s/]+(\/[^\s]*)?\/[\w-]+$/, {
    message: 'SENTRY_DSN must be a Sentry DSN: https://<public key>@<host>/<project id>',
  })
  SENTRY_DSN?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^[\w.-]{1,64}$/, { message: 'SENTRY_ENVIRONMENT must be 1 to 64 letters, digits, dots, dashes or underscores' })
  SENTRY_ENVIRONMENT?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^[0-9a-f]{7,40}$/i, { message: 'RENDER_GIT_COMMIT must be a git commit hash' })
  RENDER_GIT_COMMIT?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^[\x21-\x7e]{16,256}$/, { message: 'METRICS_TOKEN must be 16 to 256 visible ASCII characters' })
  METRICS_TOKEN?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'APP_URL must be an http:// or https:// address, e.g. https://taskflow.example.com' })
  APP_URL?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  // The value itself never appears in the message: it may hold the SMTP password.
  @Matches(/^smtps?:\/\/([^\s@/]+@)?[^\s@/:]+(:\d{1,5})?\/?$/, { message: 'SMTP_URL must be smtp://[user:password@]host[:port] or smtps://...' })
  SMTP_URL?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^([^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, { message: 'EMAIL_FROM must be an address, or "Name <address>"' })
  EMAIL_FROM?: string;

  @Transform(integerOrText)
  @IsOptional()
  @IsInt({ message: 'NOTIFICATION_EMAIL_DELAY_SECONDS must be an integer between 0 and 3600' })
  @Min(0, { message: 'NOTIFICATION_EMAIL_DELAY_SECONDS must be an integer between 0 and 3600' })
  @Max(3600, { message: 'NOTIFICATION_EMAIL_DELAY_SECONDS must be an integer between 0 and 3600' })
  NOTIFICATION_EMAIL_DELAY_SECONDS?: number;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^[\w.:[\]-]+(\s*,\s*[\w.:[\]-]+)*\s*,?$/, { message: 'WEBHOOK_ALLOWED_HOSTS must be comma-separated host names or addresses' })
  WEBHOOK_ALLOWED_HOSTS?: string;

  @Transform(integerOrText)
  @IsOptional()
  @IsInt({ message: 'WEBHOOK_RETRY_BASE_SECONDS must be an integer between 1 and 3600' })
  @Min(1, { message: 'WEBHOOK_RETRY_BASE_SECONDS must be an integer between 1 and 3600' })
  @Max(3600, { message: 'WEBHOOK_RETRY_BASE_SECONDS must be an integer between 1 and 3600' })
  WEBHOOK_RETRY_BASE_SECONDS?: number;

  @Transform(integerOrText)
  @IsOptional()
  @IsInt({ message: 'WEBHOOK_DISABLE_AFTER_FAILURES must be an integer between 0 and 1000000' })
  @Min(0, { message: 'WEBHOOK_DISABLE_AFTER_FAILURES must be an integer between 0 and 1000000' })
  @Max(1_000_000, { message: 'WEBHOOK_DISABLE_AFTER_FAILURES must be an integer between 0 and 1000000' })
  WEBHOOK_DISABLE_AFTER_FAILURES?: number;
}

/** `a.example, [::1]` as `['a.example', '::1']`: compared with a URL's host name, lower case and without brackets. */
export function parseAllowedHosts(list: string): string[] {
  return list
    .split(',')
    .map((entry) => entry.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1'))
    .filter(Boolean);
}

/** Turns `taskflow.onrender.com` into `https://taskflow.onrender.com`; full origins are kept without a trailing slash. */
export function normalizeOrigin(entry: string): string {
  const origin = entry.trim().replace(/\/+$/, '');
  return /^https?:\/\//.test(origin) ? origin : `https://${origin}`;
}

function corsEntries(list: string): string[] {
  return list.split(',').map((entry) => entry.trim()).filter(Boolean);
}

function invalidCorsEntries(list: string): string[] {
  // A trailing comma is forgiven; an empty entry between two others is a typo worth reporting.
  const entries = list.trim().replace(/,$/, '').split(',').map((entry) => entry.trim());
  return entries.filter((entry) => !ORIGIN_OR_HOST.test(entry.replace(/\/+$/, ''))).map((entry) => entry || '(empty)');
}

/** The origins a comma-separated CORS_ORIGINS value allows (validated by loadConfig). */
export function parseCorsOrigins(list: string): string[] {
  return corsEntries(list).map(normalizeOrigin);
}

/** Validates the environment and returns the typed config; throws an error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, env, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { whitelist: true });
  // A Set, because a value that breaks several rules (PORT=abc) gives the same message for each.
  const reasons = new Set(errors.flatMap((error) => Object.values(error.constraints ?? {})));
  if (reasons.size > 0) throw new Error(`Invalid environment: ${[...reasons].join('; ')}`);
  const environment = vars.NODE_ENV ?? 'development';
  const authMode = vars.AUTH_MODE ?? 'required';
  if (authMode === 'required' && environment === 'production' && vars.JWT_SECRET === undefined) {
    throw new Error('Invalid environment: JWT_SECRET is required when NODE_ENV=production and AUTH_MODE=required');
  }
  const appUrl = vars.APP_URL?.replace(/\/+$/, '');
  const missingForEmail = [vars.EMAIL_FROM === undefined && 'EMAIL_FROM', appUrl === undefined && 'APP_URL'].filter(Boolean);
  if (vars.SMTP_URL !== undefined && missingForEmail.length > 0) {
    throw new Error(`Invalid environment: ${missingForEmail.join(' and ')} ${missingForEmail.length > 1 ? 'are' : 'is'} required with SMTP_URL`);
  }
  return {
    port: vars.PORT ?? 8000,
    environment,
    databaseUrl: vars.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    corsOrigins: parseCorsOrigins(vars.CORS_ORIGINS ?? DEFAULT_CORS_ORIGINS),
    logLevel: vars.LOG_LEVEL ?? (environment === 'test' ? 'silent' : 'info'),
    authMode,
    jwtSecret: vars.JWT_SECRET ?? randomBytes(48).toString('base64url'),
    jwtSecretGenerated: vars.JWT_SECRET === undefined,
    setupToken: vars.SETUP_TOKEN,
    registration: vars.REGISTRATION ?? 'invite',
    accessTokenTtlMinutes: vars.ACCESS_TOKEN_TTL_MINUTES ?? 15,
    trustProxy: vars.TRUST_PROXY ?? 0,
    changeRetentionDays: vars.CHANGE_RETENTION_DAYS ?? 90,
    eventsHeartbeatSeconds: vars.EVENTS_HEARTBEAT_SECONDS ?? 20,
    sentryDsn: vars.SENTRY_DSN,
    sentryEnvironment: vars.SENTRY_ENVIRONMENT ?? environment,
    gitCommit: vars.RENDER_GIT_COMMIT,
    metricsToken: vars.METRICS_TOKEN,
    appUrl,
    email: vars.SMTP_URL === undefined ? undefined : { smtpUrl: vars.SMTP_URL, from: vars.EMAIL_FROM!, appUrl: appUrl! },
    notificationEmailDelaySeconds: vars.NOTIFICATION_EMAIL_DELAY_SECONDS ?? 60,
    webhookAllowedHosts: parseAllowedHosts(vars.WEBHOOK_ALLOWED_HOSTS ?? ''),
    webhookRetryBaseSeconds: vars.WEBHOOK_RETRY_BASE_SECONDS ?? 60,
    webhookFailuresToDisable: vars.WEBHOOK_DISABLE_AFTER_FAILURES ?? 20,
  };
}
