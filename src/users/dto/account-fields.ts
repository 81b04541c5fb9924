import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches, ValidateBy } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/passwords';
import { trimIfString } from '../../tasks/dto/create-task.dto';
import { codePointLength, IsTaskText } from '../../tasks/dto/task-text.validator';

export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 100;

/** Trimmed; one `@` with something on each side, no white space; at most 254 characters. */
export function IsAccountEmail(): PropertyDecorator {
  return applyDecorators(
    Transform(trimIfString),
    IsTaskText(EMAIL_MAX_LENGTH),
    Matches(/^[^\s@]+@[^\s@]+$/, { message: '$property must be an email address (one @, no spaces)' }),
  );
}

/** A person's or a token's name: trimmed, 1 to 100 characters. */
export function IsDisplayName(): PropertyDecorator {
  return applyDecorators(Transform(trimIfString), IsTaskText(NAME_MAX_LENGTH), IsNotEmpty({ message: '$property must not be empty' }));
}

/** 8 to 128 characters of any kind, not trimmed: no composition rules (OWASP ASVS). */
export function IsPassword(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    ValidateBy({
      name: 'passwordLength',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && codePointLength(value) >= PASSWORD_MIN_LENGTH && codePointLength(value) <= PASSWORD_MAX_LENGTH,
        defaultMessage: (args) => `${args?.property} must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
      },
    }),
  );
}
