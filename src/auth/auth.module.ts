import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { EmailModule } from '../email/email.module';
import { JobsModule } from '../jobs/jobs.module';
import { UsersController } from '../users/users.controller';
import { UsersModule } from '../users/users.module';
import { AccountController } from './account.controller';
import { ApiToken } from './api-token.entity';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { CredentialsService } from './credentials.service';
import { PasswordReset } from './password-reset.entity';
import { PasswordResetsService } from './password-resets.service';
import { RetiredSessionToken } from './retired-session-token.entity';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';
import { SetupTokenService } from './setup-token.service';
import { SignInCounter } from './sign-in-counter.entity';
import { SignInLimiter } from './sign-in-limiter.service';

/**
 * Sign-in, sessions, API tokens and the global AuthGuard. It also serves /users, whose admin routes
 * end sessions and so need this module's services.
 */
@Module({
  imports: [
    UsersModule,
    EmailModule,
    JobsModule,
    TypeOrmModule.forFeature([Session, RetiredSessionToken, ApiToken, SignInCounter, PasswordReset]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, AccountController, UsersController],
  providers: [
    AuthService,
    CredentialsService,
    SessionsService,
    ApiTokensService,
    SetupTokenService,
    SignInLimiter,
    PasswordResetsService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [CredentialsService],
})
export class AuthModule {}
