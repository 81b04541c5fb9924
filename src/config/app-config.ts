import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, validateSync } from 'class-validator';

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
  @Matches(/^\s*[^,\s]+(\s*,\s*[^,\s]+)*\s*,?\s*$/, { message: 'CORS_ORIGINS must be a comma-separated list of origins' })
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
  return corsEntries(list).filter((entry) => !ORIGIN_OR_HOST.test(entry.replace(/\/+$/, '')));
}

function corsOriginsReason(invalid: string[]): string {
  return `CORS_ORIGINS has entries that are not origins or host names: ${invalid.join(', ')}`;
}

export function parseCorsOrigins(list: string): string[] {
  const invalid = invalidCorsEntries(list);
  if (invalid.length > 0) throw new Error(`Invalid environment: ${corsOriginsReason(invalid)}`);
  return corsEntries(list).map(normalizeOrigin);
}

/** Validates the environment and returns the typed config; throws an error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, env, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { whitelist: true });
  // A Set, because a value that breaks several rules (PORT=abc) gives the same message for each.
  const reasons = new Set(errors.flatMap((error) => Object.values(error.constraints ?? {})));
  // Checked here too, so that bad origins are reported with the other variables rather than one restart later.
  const corsList = vars.CORS_ORIGINS ?? DEFAULT_CORS_ORIGINS;
  const invalidOrigins = errors.some((error) => error.property === 'CORS_ORIGINS') ? [] : invalidCorsEntries(corsList);
  if (invalidOrigins.length > 0) reasons.add(corsOriginsReason(invalidOrigins));
  if (reasons.size > 0) throw new Error(`Invalid environment: ${[...reasons].join('; ')}`);
  const environment = vars.NODE_ENV ?? 'development';
  return {
    port: vars.PORT ?? 8000,
    environment,
    databaseUrl: vars.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    corsOrigins: parseCorsOrigins(corsList),
    logLevel: vars.LOG_LEVEL ?? (environment === 'test' ? 'silent' : 'info'),
  };
}
