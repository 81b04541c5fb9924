import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config';
import { UserRole } from '../users/user-role';
import { ACCOUNT_ROUTE_KEY, ADMIN_ONLY_KEY, API_TOKEN_ACCESS_KEY } from './access.decorators';
import { CredentialError, CredentialsService } from './credentials.service';
import { AuthenticatedRequest, Principal } from './principal';
import { IS_PUBLIC_KEY } from './public.decorator';

const REALM = 'Bearer realm="taskflow"';

/** The 401 of a refused credential, with the WWW-Authenticate header the contract asks for. */
export function refusal(response: Response, message: string, credentialSent: boolean): UnauthorizedException {
  response.setHeader('WWW-Authenticate', credentialSent ? `${REALM}, error="invalid_token"` : REALM);
  return new UnauthorizedException(message);
}

/**
 * The global guard. AUTH_MODE=off: the v1 API, where account routes do not exist. AUTH_MODE=required:
 * every route not marked @Public() needs a valid credential, then the route's own limits apply
 * (API tokens only where @ApiTokenAccess() allows them, read tokens only on GET, @AdminOnly()).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly credentials: CredentialsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    if (this.config.authMode === 'off') {
      if (this.reflector.getAllAndOverride<boolean>(ACCOUNT_ROUTE_KEY, targets)) {
        // The same answer as a route that was never declared.
        throw new NotFoundException(`Cannot ${request.method} ${request.path}`);
      }
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const { principal, validUntil } = await this.authenticate(request, context.switchToHttp().getResponse<Response>());
    this.checkCredentialReach(principal, request.method, targets);
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY_KEY, targets) && principal.user.role !== UserRole.Admin) {
      throw new ForbiddenException('Only admins may do this');
    }
    request.principal = principal;
    request.credentialValidUntil = validUntil;
    return true;
  }

  private async authenticate(request: AuthenticatedRequest, response: Response): Promise<{ principal: Principal; validUntil: number }> {
    try {
      return await this.credentials.authenticate(request.headers.authorization);
    } catch (error) {
      if (!(error instanceof CredentialError)) throw error;
      throw refusal(response, error.message, error.credentialSent);
    }
  }

  private checkCredentialReach(principal: Principal, method: string, targets: Parameters<Reflector['getAllAndOverride']>[1]): void {
    const { credential } = principal;
    if (credential.kind !== 'api_token') return;
    if (!this.reflector.getAllAndOverride<boolean>(API_TOKEN_ACCESS_KEY, targets)) {
      throw new ForbiddenException('API tokens cannot be used here: sign in');
    }
    if (credential.scope === 'read' && method !== 'GET' && method !== 'HEAD') {
      throw new ForbiddenException('This API token has the read scope: it can only read');
    }
  }
}
