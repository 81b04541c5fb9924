import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../http/error-response';
import { AuthenticatedRequest, CurrentUserSnapshot, Principal } from './principal';

export const ACCOUNT_ROUTE_KEY = 'taskflow:account-route';
export const API_TOKEN_ACCESS_KEY = 'taskflow:api-token-access';
export const ADMIN_ONLY_KEY = 'taskflow:admin-only';

/** Marks an operation of the document that withoutAccounts() leaves out of the AUTH_MODE=off document. */
export const ACCOUNTS_ONLY_EXTENSION = 'x-accounts-only';

/**
 * A route that exists only with accounts on: in AUTH_MODE=off it answers Nest's usual 404, and the
 * document served in that mode does not list it.
 */
export const AccountRoute = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ACCOUNT_ROUTE_KEY, true), ApiExtension(ACCOUNTS_ONLY_EXTENSION, true));

/**
 * A route that API tokens may call (a `read` token only with GET). Every other protected route needs a
 * signed-in session's access token, so that a leaked API token cannot mint credentials.
 */
export const ApiTokenAccess = (): MethodDecorator & ClassDecorator => SetMetadata(API_TOKEN_ACCESS_KEY, true);

/** Admins only; the guard reads the user's current role, not the one in the access token. */
export const AdminOnly = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(ADMIN_ONLY_KEY, true),
    ApiForbiddenResponse({ description: 'Admins only, or called with an API token.', type: ErrorResponse }),
  );

/** The principal AuthGuard authenticated; only on routes that need a credential. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without a credential');
  return principal;
});

/** The signed-in user (id, email, name, current role). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): CurrentUserSnapshot => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentUser used on a route without a credential');
  return principal.user;
});

/** The signed-in user's id and name, or null in AUTH_MODE=off (tasks then record no author). */
export const CurrentAuthor = createParamDecorator((_data: unknown, context: ExecutionContext): { id: string; name: string } | null => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().principal?.user;
  return user ? { id: user.id, name: user.name } : null;
});
