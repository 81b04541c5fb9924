import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { ErrorResponse } from '../http/error-response';
import { ApiJsonBody } from '../tasks/tasks.api-docs';
import { toUserResponse } from '../users/dto/user-response.dto';
import { localeFromAcceptLanguage } from '../users/user-preferences';
import { AppValidationPipe } from '../http/validation.pipe';
import { AccountRoute } from './access.decorators';
import { ApiSignInLimits, BEARER_SCHEME, SESSION_COOKIE_HEADER, SESSION_COOKIE_SCHEME } from './auth.api-docs';
import { AuthService, ClientContext, SignedIn } from './auth.service';
import { CredentialsService } from './credentials.service';
import { AuthStatusResponse, SessionTokenResponse, SignedInResponse } from './dto/account.dto';
import { LoginDto, PasswordResetConfirmDto, PasswordResetRequestDto, RegisterDto, SetupDto } from './dto/credentials.dto';
import { PasswordResetsService } from './password-resets.service';
import { Public } from './public.decorator';
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from './session-cookie';
import { SessionsService } from './sessions.service';

function clientContext(request: Request): ClientContext {
  // request.ip follows TRUST_PROXY (Express's `trust proxy`), set in configureApp.
  return {
    address: request.ip ?? request.socket.remoteAddress ?? 'unknown',
    userAgent: request.headers['user-agent'],
    locale: localeFromAcceptLanguage(request.headers['accept-language']),
  };
}

/** The routes that need no credential: they create, refresh and end sessions. */
@ApiTags('auth')
@Controller('auth')
@Public()
export class AuthController {
  private readonly registrationValidator = new AppValidationPipe();

  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly credentials: CredentialsService,
    private readonly passwordResets: PasswordResetsService,
    private readonly config: AppConfig,
  ) {}

  @Get('status')
  @ApiOperation({ summary: 'Accounts mode, whether set-up is pending, and how people register' })
  @ApiOkResponse({ type: AuthStatusResponse })
  async status(): Promise<AuthStatusResponse> {
    const required = this.config.authMode === 'required';
    return {
      auth_mode: this.config.authMode,
      setup_required: required && (await this.auth.status()).setupRequired,
      registration: this.config.registration,
      email: this.config.email !== undefined,
    };
  }

  @Post('setup')
  @AccountRoute()
  @ApiOperation({ summary: 'Create the first admin (once), with the set-up token', description: 'Starts a session.' })
  @ApiCreatedResponse({ type: SignedInResponse, headers: SESSION_COOKIE_HEADER })
  @ApiForbiddenResponse({ description: 'Wrong set-up token.', type: ErrorResponse })
  @ApiConflictResponse({ description: 'TaskFlow is already set up.', type: ErrorResponse })
  @ApiJsonBody()
  @ApiSignInLimits()
  async setup(@Body() body: SetupDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SignedInResponse> {
    return this.signedIn(await this.auth.setup(body, clientContext(request)), request, response);
  }

  @Post('register')
  @AccountRoute()
  @ApiOperation({
    summary: 'Create an account (a member, or the invitation\'s role)',
    description:
      'The invitation is checked before anything else: with REGISTRATION=invite, a missing, unknown, used or expired invitation, or one for another email, is a 403 whatever the rest of the body says. Starts a session.',
  })
  @ApiBody({ type: RegisterDto })
  @ApiCreatedResponse({ type: SignedInResponse, headers: SESSION_COOKIE_HEADER })
  @ApiForbiddenResponse({ description: 'Set-up is pending, or the invitation is missing or not usable.', type: ErrorResponse })
  @ApiConflictResponse({ description: 'An account with this email exists.', type: ErrorResponse })
  @ApiJsonBody()
  @ApiSignInLimits()
  async register(
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SignedInResponse> {
    const client = clientContext(request);
    const invitation = await this.auth.admitRegistration(body.invitation, body.email, client);
    const dto = (await this.registrationValidator.transform(body, { type: 'body', metatype: RegisterDto })) as RegisterDto;
    return this.signedIn(await this.auth.register(dto, invitation, client), request, response);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @AccountRoute()
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'After 5 failures for one email from one client address in 15 minutes, that email gets 429 from that address for 15 minutes, even with the right password; after 50 from any addresses, from every address. A success clears its own address\'s count.',
  })
  @ApiOkResponse({ type: SignedInResponse, headers: SESSION_COOKIE_HEADER })
  @ApiUnauthorizedResponse({ description: '"Invalid email or password" (also for a disabled user).', type: ErrorResponse })
  @ApiJsonBody()
  @ApiSignInLimits()
  async login(@Body() body: LoginDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SignedInResponse> {
    return this.signedIn(await this.auth.login(body, clientContext(request)), request, response);
  }

  @Post('password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @AccountRoute()
  @ApiOperation({
    summary: 'Ask for a password reset link by email',
    description:
      'Always 202, with the same body and timing whether or not the email has an account. A known enabled user gets an email with `APP_URL/reset-password?token=<token>` (single use, valid 60 minutes); at most 3 such emails per address per hour.',
  })
  @ApiAcceptedResponse({ description: 'Accepted (whether or not an email is sent).' })
  @ApiNotFoundResponse({ description: 'Email is not configured on this server (`/auth/status` says `"email": false`).', type: ErrorResponse })
  @ApiJsonBody()
  async requestPasswordReset(@Body() body: PasswordResetRequestDto): Promise<void> {
    await this.passwordResets.request(body.email);
  }

  @Post('password-reset/confirm')
  @HttpCode(HttpStatus.NO_CONTENT)
  @AccountRoute()
  @ApiOperation({
    summary: 'Choose a new password with a reset token',
    description:
      'The new password holds at once; every session of the user ends, and the sign-in limits of their email are cleared. A refused token counts as a failure against the client address.',
  })
  @ApiNoContentResponse({ description: 'The password is changed.' })
  @ApiForbiddenResponse({ description: 'The token is unknown, used or expired.', type: ErrorResponse })
  @ApiJsonBody()
  @ApiSignInLimits()
  async confirmPasswordReset(@Body() body: PasswordResetConfirmDto, @Req() request: Request): Promise<void> {
    await this.passwordResets.confirm(body.token, body.password, clientContext(request));
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @AccountRoute()
  @ApiOperation({
    summary: 'Trade the session cookie for a new access token and a new cookie',
    description: 'Presenting a cookie value that was already traded ends the whole session (theft detection).',
  })
  @ApiCookieAuth(SESSION_COOKIE_SCHEME)
  @ApiOkResponse({ type: SessionTokenResponse, headers: SESSION_COOKIE_HEADER })
  @ApiUnauthorizedResponse({ description: 'No cookie, or an unknown, expired, ended or reused one.', type: ErrorResponse })
  async refresh(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionTokenResponse> {
    const cookie = sessionCookieOf(request);
    const grant = cookie === undefined ? 'unknown' : await this.sessions.rotate(cookie);
    if (typeof grant === 'string') {
      clearSessionCookie(response, request, this.config);
      throw new UnauthorizedException('No valid session: sign in again');
    }
    const user = await this.credentials.activeUser(grant.session.userId);
    if (!user) {
      clearSessionCookie(response, request, this.config);
      throw new UnauthorizedException('No valid session: sign in again');
    }
    setSessionCookie(response, request, this.config, grant.cookieValue, grant.session);
    const access = this.sessions.issueAccessToken(user, grant.session.id);
    return { access_token: access.token, token_type: 'bearer', expires_in: access.expiresIn };
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @AccountRoute()
  @ApiOperation({ summary: 'Sign out: end the session named by the cookie, or else by the access token; clear the cookie' })
  @ApiCookieAuth(SESSION_COOKIE_SCHEME)
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiNoContentResponse({ description: 'Always, even without a session.' })
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const cookie = sessionCookieOf(request);
    if (cookie !== undefined) {
      await this.sessions.endByCookie(cookie);
    } else {
      const bearer = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
      const claims = bearer === undefined ? null : this.credentials.verifyAccessToken(bearer, { allowExpired: true });
      if (claims) await this.sessions.end(claims.sid);
    }
    clearSessionCookie(response, request, this.config);
  }

  private signedIn(signedIn: SignedIn, request: Request, response: Response): SignedInResponse {
    setSessionCookie(response, request, this.config, signedIn.cookieValue, signedIn.session);
    const access = this.sessions.issueAccessToken(signedIn.user, signedIn.session.id);
    return { access_token: access.token, token_type: 'bearer', expires_in: access.expiresIn, user: toUserResponse(signedIn.user) };
  }
}
