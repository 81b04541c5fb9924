import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateBy, validateSync } from 'class-validator';

export const ENVIRONMENTS = ['production', 'development', 'test'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
}

// An empty variable (`PORT=`) counts as unset, as Render and shells often leave them.
const emptyAsUnset = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const ORIGIN_OR_HOST = /^(https?:\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?$/;

class EnvironmentVariables {
  @Transform(({ value }) => (value === '' || value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : value))
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
  return {
    port: vars.PORT ?? 8000,
    environment,
    databaseUrl: vars.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    corsOrigins: parseCorsOrigins(vars.CORS_ORIGINS ?? DEFAULT_CORS_ORIGINS),
    logLevel: vars.LOG_LEVEL ?? (environment === 'test' ? 'silent' : 'info'),
  };
}
