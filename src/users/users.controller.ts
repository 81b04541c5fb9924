import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AccountRoute, AdminOnly, ApiTokenAccess, CurrentUser } from '../auth/access.decorators';
import { ApiCredential, ApiSessionOnly } from '../auth/auth.api-docs';
import { CredentialsService } from '../auth/credentials.service';
import { CurrentUserSnapshot } from '../auth/principal';
import { IssuedPasswordResetResponse } from '../auth/dto/account.dto';
import { PasswordResetsService } from '../auth/password-resets.service';
import { SessionsService } from '../auth/sessions.service';
import { ErrorResponse } from '../http/error-response';
import { ApiJsonBody } from '../tasks/tasks.api-docs';
import { CreatedInvitationResponse, CreateInvitationDto, InvitationResponse, toInvitationResponse } from './dto/invitation.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { toUserResponse, UserResponse } from './dto/user-response.dto';
import { InvitationsService } from './invitations.service';
import { UsersService } from './users.service';

/** The team's members; admins manage them and invite new ones. */
@ApiTags('users')
@Controller('users')
@AccountRoute()
@ApiCredential()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly invitations: InvitationsService,
    private readonly sessions: SessionsService,
    private readonly credentials: CredentialsService,
    private readonly passwordResets: PasswordResetsService,
  ) {}

  @Get()
  @ApiTokenAccess()
  @ApiOperation({ summary: 'Every member of the team, disabled ones included' })
  @ApiOkResponse({ type: [UserResponse] })
  async findAll(): Promise<UserResponse[]> {
    return (await this.users.findAll()).map(toUserResponse);
  }

  @Get('invitations')
  @AdminOnly()
  @ApiOperation({ summary: 'Pending invitations (neither used, expired nor deleted), without their codes' })
  @ApiOkResponse({ type: [InvitationResponse] })
  async findInvitations(): Promise<InvitationResponse[]> {
    return (await this.invitations.findPending()).map(toInvitationResponse);
  }

  @Post('invitations')
  @AdminOnly()
  @ApiOperation({
    summary: 'Invite someone',
    description:
      'The code is shown once, in this answer; it works once, for 7 days. With email configured, an invitation with an `email` is also sent to it (in the inviting admin\'s language), with the link `APP_URL/register?invitation=<code>`.',
  })
  @ApiCreatedResponse({ type: CreatedInvitationResponse })
  @ApiJsonBody()
  async invite(@CurrentUser() admin: CurrentUserSnapshot, @Body() body: CreateInvitationDto): Promise<CreatedInvitationResponse> {
    const { invitation, code } = await this.invitations.create(body.role, body.email ?? null, await this.users.findOne(admin.id));
    return { ...toInvitationResponse(invitation), code };
  }

  @Delete('invitations/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @AdminOnly()
  @ApiOperation({ summary: 'Delete an invitation that has not been used' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted; its code no longer works.' })
  @ApiNotFoundResponse({ description: 'No unused invitation has this id.', type: ErrorResponse })
  async removeInvitation(@Param('id') id: string): Promise<void> {
    await this.invitations.remove(id);
  }

  @Post(':id/password-reset')
  @AdminOnly()
  @ApiOperation({
    summary: "Make a password reset link for a user, to pass on by other means",
    description:
      'The same kind of token as the emailed one (single use, valid 60 minutes), shown once, in this answer; works with or without email. Using it ends every session of the user.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: IssuedPasswordResetResponse })
  @ApiNotFoundResponse({ description: 'No user has this id.', type: ErrorResponse })
  @ApiSessionOnly()
  async issuePasswordReset(@Param('id') id: string, @CurrentUser() admin: CurrentUserSnapshot): Promise<IssuedPasswordResetResponse> {
    const reset = await this.passwordResets.issueByAdmin(id, admin.id);
    return { token: reset.token, url: reset.url, expires_at: reset.expiresAt.toISOString() };
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOperation({
    summary: "Change a user's name, role or disabled state",
    description: 'Disabling ends all of their sessions; their credentials stop working within 5 seconds on every instance.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ description: 'No user has this id.', type: ErrorResponse })
  @ApiConflictResponse({ description: 'It would leave no enabled admin.', type: ErrorResponse })
  @ApiSessionOnly()
  @ApiJsonBody()
  async update(@Param('id') id: string, @Body() body: UpdateUserDto): Promise<UserResponse> {
    const user = await this.users.update(id, { name: body.name, role: body.role, disabled: body.disabled });
    if (body.disabled === true) await this.sessions.endAllOf(id);
    this.credentials.forgetCachedChecks();
    return toUserResponse(user);
  }
}
