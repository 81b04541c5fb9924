import { validate } from 'class-validator';
import { IsTimestamp, parseTimestamp } from './timestamp';

/** The parsed instant as the API prints it, or undefined when the text is refused. */
function iso(text: string): string | undefined {
  return parseTimestamp(text)?.toISOString();
}

describe(parseTimestamp.name, () => {
  describe('accepted forms', () => {
    it.each([
      ['a date alone as midnight UTC', '2026-12-01', '2026-12-01T00:00:00.000Z'],
      ['hours and minutes without an offset as UTC', '2026-12-01T09:15', '2026-12-01T09:15:00.000Z'],
      ['seconds without an offset as UTC', '2026-12-01T09:15:30', '2026-12-01T09:15:30.000Z'],
      ['Z as UTC', '2026-12-01T09:15:30Z', '2026-12-01T09:15:30.000Z'],
      ['minutes with Z', '2026-12-01T09:15Z', '2026-12-01T09:15:00.000Z'],
      ['one fraction digit as tenths', '2026-12-01T09:15:30.1Z', '2026-12-01T09:15:30.100Z'],
      ['two fraction digits as hundredths', '2026-12-01T09:15:30.12', '2026-12-01T09:15:30.120Z'],
      ['three fraction digits as milliseconds', '2026-12-01T09:15:30.123Z', '2026-12-01T09:15:30.123Z'],
      ['a positive offset converted to UTC', '2026-12-01T09:15:00+01:00', '2026-12-01T08:15:00.000Z'],
      ['a negative offset with minutes converted to UTC', '2026-12-01T09:15:00-05:30', '2026-12-01T14:45:00.000Z'],
      ['an offset on a time without seconds', '2026-12-01T09:15+02:00', '2026-12-01T07:15:00.000Z'],
      ['-00:00 as UTC', '2026-12-01T09:15:00-00:00', '2026-12-01T09:15:00.000Z'],
      ['the largest offset, +23:59', '2026-12-01T23:59:00+23:59', '2026-12-01T00:00:00.000Z'],
      ['an offset that moves the instant into the next year', '2026-12-31T23:30:00-01:00', '2027-01-01T00:30:00.000Z'],
      ['an offset that moves the instant into the previous day', '2026-03-01T00:30:00+01:00', '2026-02-28T23:30:00.000Z'],
      ['29 February of a leap year', '2024-02-29', '2024-02-29T00:00:00.000Z'],
      ['29 February of a year divisible by 400', '2000-02-29', '2000-02-29T00:00:00.000Z'],
      ['the last second of a day', '2026-12-31T23:59:59.999Z', '2026-12-31T23:59:59.999Z'],
    ])('accepts %s: %s', (_, text, expected) => {
      expect(iso(text)).toBe(expected);
    });

    it.each([
      ['four digits', '2026-12-01T09:15:30.1239Z', '2026-12-01T09:15:30.123Z'],
      ['six digits', '2026-12-01T09:15:30.123999Z', '2026-12-01T09:15:30.123Z'],
      ['nine digits', '2026-12-01T09:15:30.123456789Z', '2026-12-01T09:15:30.123Z'],
      // Rounding .9999 would carry into the next second, minute, hour, day and year.
      ['digits that would round up to the next year', '2026-12-31T23:59:59.9999999Z', '2026-12-31T23:59:59.999Z'],
    ])('truncates a fraction of %s to milliseconds instead of rounding it', (_, text, expected) => {
      expect(iso(text)).toBe(expected);
    });

    it('reads years below 100 literally rather than as 19xx', () => {
      expect(iso('0050-06-15')).toBe('0050-06-15T00:00:00.000Z');
    });

    it('accepts the first and the last instant of years 0001 to 9999', () => {
      expect(iso('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000Z');
      expect(iso('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
    });

    it('returns a new Date on every call, so callers cannot change each other\'s value', () => {
      const first = parseTimestamp('2026-12-01');
      const second = parseTimestamp('2026-12-01');
      expect(first).toBeInstanceOf(Date);
      expect(first).not.toBe(second);
    });
  });

  describe('refused forms', () => {
    it.each([
      ['an impossible day of February', '2026-02-30'],
      ['29 February of a common year', '2025-02-29'],
      ['29 February of a century that is not divisible by 400', '1900-02-29'],
      ['31 April', '2026-04-31'],
      ['day 00', '2026-12-00'],
      ['day 32', '2026-12-32'],
      ['month 00', '2026-00-10'],
      ['month 13', '2026-13-01'],
      ['hour 24', '2026-12-01T24:00'],
      ['minute 60', '2026-12-01T09:60'],
      ['seconds 60', '2026-12-01T09:15:60Z'],
      ['an offset of 24 hours', '2026-12-01T09:15:00+24:00'],
      ['an offset with minute 60', '2026-12-01T09:15:00+01:60'],
      ['a lower-case t', '2026-12-01t09:15:00Z'],
      ['a lower-case z', '2026-12-01T09:15:00z'],
      ['a space instead of T', '2026-12-01 09:15:00'],
      ['a single seconds digit', '2026-12-01T09:15:3'],
      ['a colon without seconds', '2026-12-01T09:15:'],
      ['a dot without fraction digits', '2026-12-01T09:15:30.'],
      ['a fraction without seconds', '2026-12-01T09:15.5'],
      ['an hour without minutes', '2026-12-01T09'],
      ['T without a time', '2026-12-01T'],
      ['an offset without a colon', '2026-12-01T09:15:00+0100'],
      ['an offset of hours only', '2026-12-01T09:15:00+01'],
      ['an offset on a date alone', '2026-12-01Z'],
      ['trailing garbage', '2026-12-01T09:15:00Zabc'],
      ['a trailing space', '2026-12-01 '],
      ['a leading space', ' 2026-12-01'],
      ['trailing text after a date', '2026-12-01x'],
      ['a trailing newline', '2026-12-01\n'],
      ['an empty string', ''],
      ['a two-digit year', '26-12-01'],
      ['a five-digit year', '20260-12-01'],
      ['an expanded year with a sign', '+002026-12-01'],
      ['single-digit month and day', '2026-1-1'],
      ['slashes', '2026/12/01'],
      ['a compact date', '20261201'],
      ['week dates', '2026-W48-1'],
      ['non-ASCII digits', '２０２６-12-01'],
      ['year 0000', '0000-01-01'],
      ['year 0000 at the end of its last day', '0000-12-31T23:59:59Z'],
    ])('refuses %s: %j', (_, text) => {
      expect(parseTimestamp(text)).toBeUndefined();
    });

    it('refuses a time whose offset puts it before year 0001', () => {
      expect(parseTimestamp('0001-01-01T00:30:00+01:00')).toBeUndefined();
    });

    it('refuses a time whose offset puts it after year 9999', () => {
      expect(parseTimestamp('9999-12-31T23:30:00-01:00')).toBeUndefined();
    });
  });
});

describe(IsTimestamp.name, () => {
  class Probe {
    @IsTimestamp()
    due!: unknown;
  }

  async function errorsFor(due: unknown) {
    const probe = new Probe();
    probe.due = due;
    return validate(probe);
  }

  it('accepts a string parseTimestamp understands', async () => {
    await expect(errorsFor('2026-12-01T09:15:00+01:00')).resolves.toEqual([]);
  });

  it('refuses an impossible date with a message naming the field and the accepted forms', async () => {
    const errors = await errorsFor('2026-02-30');
    expect(errors).toHaveLength(1);
    expect(errors[0].property).toBe('due');
    expect(errors[0].constraints).toEqual({
      isTimestamp:
        'due must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM])',
    });
  });

  it.each([
    ['a number', 1764579600000],
    ['a Date object', new Date('2026-12-01T00:00:00Z')],
    ['null', null],
    ['an array of timestamps', ['2026-12-01']],
  ])('refuses %s, which is not a string', async (_, value) => {
    const errors = await errorsFor(value);
    expect(errors.map((error) => Object.keys(error.constraints ?? {}))).toEqual([['isTimestamp']]);
  });
});
