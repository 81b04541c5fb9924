import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponse } from '../http/error-response';
import { ApiJsonBody } from '../tasks/tasks.api-docs';
import { toUserResponse, UserResponse } from '../users/dto/user-response.dto';
import { UserChanges, UsersService } from '../users/users.service';
import { AccountRoute, ApiTokenAccess, CurrentPrincipal } from './access.decorators';
import { ApiTokensService } from './api-tokens.service';
import { ApiCredential, ApiSessionOnly } from './auth.api-docs';
import { CredentialsService } from './credentials.service';
import {
  ApiTokenResponse,
  CreateApiTokenDto,
  CreatedApiTokenResponse,
  SessionInfoResponse,
  toApiTokenResponse,
  toSessionInfo,
  UpdateMeDto,
} from './dto/account.dto';
import { hashPassword, verifyPassword } from './passwords';
import { Principal } from './principal';
import { SessionsService } from './sessions.service';

/** The signed-in user's own account: profile, sessions and API tokens. */
@ApiTags('account')
@Controller('auth')
@AccountRoute()
@ApiCredential()
export class AccountController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly credentials: CredentialsService,
  ) {}

  @Get('me')
  @ApiTokenAccess()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserResponse })
  async findMe(@CurrentPrincipal() principal: Principal): Promise<UserResponse> {
    return toUserResponse(await this.users.findOne(principal.user.id));
  }

  @Patch('me')
  @ApiOperation({
    summary: 'Change your name, email, password, language or email notifications',
    description: 'Changing the email or the password needs current_password; a new password ends every other session.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiForbiddenResponse({ description: 'current_password missing or wrong, or called with an API token.', type: ErrorResponse })
  @ApiConflictResponse({ description: 'An account with this email exists.', type: ErrorResponse })
  @ApiJsonBody()
  async updateMe(@CurrentPrincipal() principal: Principal, @Body() body: UpdateMeDto): Promise<UserResponse> {
    const userId = principal.user.id;
    const changes: UserChanges = { name: body.name, email: body.email, locale: body.locale, emailNotifications: body.email_notifications };
    if (body.email !== undefined || body.password !== undefined) {
      const current = body.current_password;
      if (current === undefined || current === null || !(await verifyPassword(await this.users.passwordHashOf(userId), current))) {
        throw new ForbiddenException('current_password is missing or wrong');
      }
    }
    if (body.password !== undefined) changes.passwordHash = await hashPassword(body.password);
    const user = await this.users.update(userId, changes);
    if (body.password !== undefined) await this.sessions.endAllOf(userId, sessionIdOf(principal));
    this.credentials.forgetCachedChecks();
    return toUserResponse(user);
  }

  @Get('sessions')
  @ApiOperation({ summary: 'Your active sessions', description: '`current` marks the session of the access token that asked.' })
  @ApiOkResponse({ type: [SessionInfoResponse] })
  @ApiSessionOnly()
  async findSessions(@CurrentPrincipal() principal: Principal): Promise<SessionInfoResponse[]> {
    const sessions = await this.sessions.findActive(principal.user.id);
    return sessions.map((session) => toSessionInfo(session, sessionIdOf(principal)));
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End one of your sessions (sign out a device)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Ended; its access tokens stop working within 5 seconds on every instance.' })
  @ApiNotFoundResponse({ description: 'None of your active sessions has this id.', type: ErrorResponse })
  @ApiSessionOnly()
  async endSession(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.sessions.endOwn(principal.user.id, id);
  }

  @Get('tokens')
  @ApiOperation({ summary: 'Your API tokens (without their values)' })
  @ApiOkResponse({ type: [ApiTokenResponse] })
  @ApiSessionOnly()
  async findTokens(@CurrentPrincipal() principal: Principal): Promise<ApiTokenResponse[]> {
    return (await this.apiTokens.findAllOf(principal.user.id)).map(toApiTokenResponse);
  }

  @Post('tokens')
  @ApiOperation({ summary: 'Create an API token for scripts and REST clients', description: 'The token is shown once, in this answer.' })
  @ApiCreatedResponse({ type: CreatedApiTokenResponse })
  @ApiSessionOnly()
  @ApiJsonBody()
  async createToken(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiTokenDto): Promise<CreatedApiTokenResponse> {
    const { token, secret } = await this.apiTokens.create(principal.user.id, {
      name: body.name,
      scope: body.scope,
      expiresInDays: body.expires_in_days ?? null,
    });
    return { ...toApiTokenResponse(token), token: secret };
  }

  @Delete('tokens/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke one of your API tokens' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Revoked; it stops working within 5 seconds on every instance.' })
  @ApiNotFoundResponse({ description: 'None of your API tokens has this id.', type: ErrorResponse })
  @ApiSessionOnly()
  async revokeToken(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.apiTokens.revoke(principal.user.id, id);
  }
}

function sessionIdOf(principal: Principal): string | undefined {
  return principal.credential.kind === 'session' ? principal.credential.sessionId : undefined;
}
