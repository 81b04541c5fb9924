import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../http/error-response';

// Swagger decorators of the accounts routes; the prose lives here, once.

export const BEARER_SCHEME = 'bearer';
/** The `taskflow_session` cookie, which only POST /auth/refresh and POST /auth/logout read. */
export const SESSION_COOKIE_SCHEME = 'session_cookie';

/** A route that needs a credential: the bearer scheme and its 401. */
export function ApiCredential(description = 'An access token, or an API token where the route allows one.'): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(BEARER_SCHEME),
    ApiUnauthorizedResponse({
      description: `No valid credential (missing, malformed, expired, revoked, or of a disabled user); \`WWW-Authenticate: Bearer realm="taskflow"\`. ${description}`,
      type: ErrorResponse,
    }),
  );
}

/** A route that API tokens cannot call. */
export function ApiSessionOnly(): MethodDecorator {
  return ApiForbiddenResponse({ description: 'Called with an API token: this route needs a signed-in session.', type: ErrorResponse });
}

export function ApiSignInLimits(): MethodDecorator {
  return applyDecorators(
    ApiTooManyRequestsResponse({
      description: 'Too many failed attempts for this email from this client address, for this email from anywhere, or from this client address; wait `Retry-After` seconds.',
      type: ErrorResponse,
      headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
    }),
  );
}

/** Response header of the routes that start or rotate a session. */
export const SESSION_COOKIE_HEADER = {
  'Set-Cookie': {
    description: '`taskflow_session` (HttpOnly, SameSite=Strict, Path=/, Secure over https): the cookie POST /auth/refresh trades.',
    schema: { type: 'string' },
  },
};
