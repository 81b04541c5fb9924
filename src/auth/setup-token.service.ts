import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { UsersService } from '../users/users.service';
import { randomSecret, secretsEqual } from './secrets';

/**
 * The one-time token of POST /auth/setup: SETUP_TOKEN, or one generated at start and written to the
 * log (one warn line) while no user exists, so that knowing the URL alone never makes anyone an admin.
 */
@Injectable()
export class SetupTokenService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Accounts');
  private readonly token: string;

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {
    this.token = config.setupToken ?? randomSecret(24);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.authMode !== 'required') return;
    if (this.config.jwtSecretGenerated) {
      this.logger.warn('JWT_SECRET is not set: using a random one, so access tokens end at restart and work on this instance only');
    }
    if (this.config.setupToken !== undefined) return;
    if (!(await this.users.exists())) {
      this.logger.warn(`Set-up token: ${this.token} (enter it in the web app's set-up form, or POST /auth/setup)`);
    }
  }

  matches(given: string): boolean {
    return secretsEqual(given, this.token);
  }
}
