import { applyDecorators } from '@nestjs/common';
import { IsString, ValidateBy } from 'class-validator';

/** Length in Unicode code points, as the original counted it (an emoji is one character). */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * A string without NUL characters (PostgreSQL cannot store or compare them, so they are refused on
 * both databases alike rather than failing later as a server error), of at most `max` code points.
 */
export function IsTaskText(max = Infinity): PropertyDecorator {
  return applyDecorators(
    IsString(),
    ValidateBy({
      name: 'maxCodePoints',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || codePointLength(value) <= max,
        defaultMessage: (args) => `${args?.property} must be shorter than or equal to ${max} characters`,
      },
    }),
    ValidateBy({
      name: 'noNulCharacter',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !value.includes('\u0000'),
        defaultMessage: (args) => `${args?.property} must not contain NUL (\\u0000) characters`,
      },
    }),
  );
}
