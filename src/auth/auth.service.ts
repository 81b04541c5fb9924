import { ConflictException, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Invitation } from '../users/invitation.entity';
import { InvitationsService } from '../users/invitations.service';
import { User, emailKey } from '../users/user.entity';
import { Locale } from '../users/user-preferences';
import { UserRole } from '../users/user-role';
import { UsersService } from '../users/users.service';
import { LoginDto, RegisterDto, SetupDto } from './dto/credentials.dto';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './passwords';
import { SessionGrant, SessionsService } from './sessions.service';
import { SetupTokenService } from './setup-token.service';
import { AuthMetrics } from '../metrics/auth-metrics.service';
import {
  CLIENT_FAILURE_LIMIT,
  EMAIL_FAILURE_LIMIT,
  PAIR_FAILURE_LIMIT,
  SignInLimiter,
  clientCounterKey,
  emailCounterKey,
  pairCounterKey,
} from './sign-in-limiter.service';

export const INVALID_SIGN_IN = 'Invalid email or password';
const INVITATION_REFUSED = 'This invitation is unknown, used, expired or for another email';

/** Who is signing in from where, as the controller read it from the request. */
export interface ClientContext {
  address: string;
  userAgent: string | undefined;
  /** From Accept-Language: the language of a new account. */
  locale: Locale;
}

export interface SignedIn extends SessionGrant {
  user: User;
}

/** Set-up, registration and sign-in: the routes that create sessions from something other than a session. */
@Injectable()
export class AuthService {
  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly invitations: InvitationsService,
    private readonly sessions: SessionsService,
    private readonly setupToken: SetupTokenService,
    private readonly limiter: SignInLimiter,
    private readonly metrics: AuthMetrics,
  ) {}

  async status(): Promise<{ setupRequired: boolean }> {
    return { setupRequired: !(await this.users.exists()) };
  }

  async setup(dto: SetupDto, client: ClientContext): Promise<SignedIn> {
    const clientKey = clientCounterKey(client.address);
    await this.limiter.assertNotLocked(clientKey);
    if (await this.users.exists()) throw new ConflictException('TaskFlow is already set up');
    if (!this.setupToken.matches(dto.setup_token)) {
      await this.limiter.recordFailure(clientKey, CLIENT_FAILURE_LIMIT);
      throw new ForbiddenException('Wrong set-up token');
    }
    const user = await this.users.createFirstAdmin({
      email: dto.email,
      name: dto.name,
      passwordHash: await hashPassword(dto.password),
      locale: client.locale,
    });
    if (!user) throw new ConflictException('TaskFlow is already set up');
    return { user, ...(await this.sessions.start(user.id, client.userAgent)) };
  }

  /**
   * The checks of registration that come before the body's own validation: set-up pending, the
   * client's lock-out, and (in invite mode, or whenever one is given) the invitation.
   */
  async admitRegistration(invitationCode: unknown, email: unknown, client: ClientContext): Promise<Invitation | null> {
    if (!(await this.users.exists())) throw new ForbiddenException('TaskFlow is not set up yet');
    const clientKey = clientCounterKey(client.address);
    await this.limiter.assertNotLocked(clientKey);
    if (invitationCode === undefined || invitationCode === null) {
      if (this.config.registration === 'open') return null;
      return this.refuseRegistration(clientKey, 'Registration needs an invitation');
    }
    const invitation = typeof invitationCode === 'string' ? await this.invitations.findUsable(invitationCode, email) : null;
    if (!invitation) return this.refuseRegistration(clientKey, INVITATION_REFUSED);
    return invitation;
  }

  async register(dto: RegisterDto, invitation: Invitation | null, client: ClientContext): Promise<SignedIn> {
    const clientKey = clientCounterKey(client.address);
    if (await this.users.emailTaken(dto.email)) {
      await this.limiter.recordFailure(clientKey, CLIENT_FAILURE_LIMIT);
      throw new ConflictException('An account with this email already exists');
    }
    const passwordHash = await hashPassword(dto.password);
    // Claimed only now, so that a registration refused above leaves the invitation usable.
    if (invitation && !(await this.invitations.claim(invitation.id))) return this.refuseRegistration(clientKey, INVITATION_REFUSED);
    let user: User;
    try {
      user = await this.users.create({ email: dto.email, name: dto.name, role: invitation?.role ?? UserRole.Member, passwordHash, locale: client.locale });
    } catch (error) {
      if (invitation) await this.invitations.release(invitation.id);
      throw error;
    }
    if (invitation) await this.invitations.recordUser(invitation.id, user.id);
    return { user, ...(await this.sessions.start(user.id, client.userAgent)) };
  }

  /**
   * Same answer and about the same time for an unknown email, a wrong password and a disabled user, so
   * that sign-in reveals nothing about which accounts exist.
   */
  async login(dto: LoginDto, client: ClientContext): Promise<SignedIn> {
    const clientKey = clientCounterKey(client.address);
    const emailKeyName = emailCounterKey(emailKey(dto.email));
    const pairKey = pairCounterKey(emailKey(dto.email), client.address);
    await this.limiter.assertNotLocked(clientKey, emailKeyName, pairKey);
    const user = await this.users.findByEmailWithPassword(dto.email);
    const passwordMatches = user ? await verifyPassword(user.passwordHash, dto.password) : await verifyAgainstDecoy(dto.password);
    if (!user || !passwordMatches || user.disabled) {
      await this.limiter.recordFailure(pairKey, PAIR_FAILURE_LIMIT);
      await this.limiter.recordFailure(emailKeyName, EMAIL_FAILURE_LIMIT);
      await this.limiter.recordFailure(clientKey, CLIENT_FAILURE_LIMIT);
      this.metrics.signInFailed();
      throw new UnauthorizedException(INVALID_SIGN_IN);
    }
    // Only this address's count: the email-wide count ends with its window or a completed password reset.
    await this.limiter.clear(pairKey);
    return { user, ...(await this.sessions.start(user.id, client.userAgent)) };
  }

  private async refuseRegistration(clientKey: string, reason: string): Promise<never> {
    await this.limiter.recordFailure(clientKey, CLIENT_FAILURE_LIMIT);
    throw new ForbiddenException(reason);
  }
}
