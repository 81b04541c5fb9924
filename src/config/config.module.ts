import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig, loadConfig } from './app-config';

const APP_CONFIG_KEY = 'taskflow';

/**
 * Validates the environment once, at start-up and before anything is served: @nestjs/config's
 * `validate` hook throws with a message naming each bad variable. A `.env` file is read when present.
 */
@Global()
@Module({
  imports: [NestConfigModule.forRoot({ validate: (env) => ({ [APP_CONFIG_KEY]: loadConfig(env) }) })],
  providers: [
    {
      provide: AppConfig,
      inject: [ConfigService],
      useFactory: (config: ConfigService): AppConfig => config.getOrThrow<AppConfig>(APP_CONFIG_KEY),
    },
  ],
  exports: [AppConfig],
})
export class ConfigModule {}
