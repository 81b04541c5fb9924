import { ValidateBy, ValidationOptions } from 'class-validator';

// YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS[.fraction]] with an optional Z or ±HH:MM offset (CONTRACT.md).
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * What the document declares for a timestamp in a request: this pattern rather than `format: date-time`,
 * which would refuse the date alone that the API accepts (impossible dates still get a 422).
 */
export const TIMESTAMP_INPUT_PATTERN = TIMESTAMP.source;

// The range both databases store and `toISOString()` prints with a four-digit year.
const EARLIEST = new Date('0001-01-01T00:00:00.000Z').getTime();
const LATEST = new Date('9999-12-31T23:59:59.999Z').getTime();

/**
 * Parses a contract timestamp into a Date, or returns undefined when the text is not one (wrong shape,
 * impossible date such as 2026-02-30, or outside years 0001-9999). Digits beyond milliseconds are truncated.
 */
export function parseTimestamp(text: string): Date | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset = 'Z'] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;

  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const [offsetHours, offsetRest] = offset.slice(1).split(':').map(Number);
    if (offsetHours > 23 || offsetRest > 59) return undefined;
    offsetMinutes = (offsetHours * 60 + offsetRest) * (offset.startsWith('-') ? -1 : 1);
  }

  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi - offsetMinutes, s, ms);
  const time = date.getTime();
  return time >= EARLIEST && time <= LATEST ? date : undefined;
}

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/** Accepts a string that `parseTimestamp` understands. */
export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseTimestamp(value) !== undefined,
        defaultMessage: (args) =>
          `${args?.property} must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM])`,
      },
    },
    options,
  );
}
