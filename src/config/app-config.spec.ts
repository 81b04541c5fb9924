import { loadConfig, normalizeOrigin } from './app-config';

describe(loadConfig.name, () => {
  describe('defaults', () => {
    it('uses port 8000, development, the SQLite file, the two dev origins and info logs when nothing is set', () => {
      expect(loadConfig({})).toMatchObject({
        port: 8000,
        environment: 'development',
        databaseUrl: 'sqlite:///./taskflow.db',
        corsOrigins: ['http://localhost:5173', 'http://localhost:3000'],
        logLevel: 'info',
      });
    });

    it('turns accounts on by default, with invitations, 15-minute access tokens and no trusted proxy', () => {
      expect(loadConfig({})).toMatchObject({
        authMode: 'required',
        registration: 'invite',
        accessTokenTtlMinutes: 15,
        trustProxy: 0,
        setupToken: undefined,
        jwtSecretGenerated: true,
      });
    });

    it('generates a different random JWT secret at each start when none is set (outside production)', () => {
      const first = loadConfig({}).jwtSecret;
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(loadConfig({}).jwtSecret).not.toBe(first);
    });

    it('treats empty variables as unset, as Render and shells often leave them', () => {
      const empty = { PORT: '', NODE_ENV: '', DATABASE_URL: '', CORS_ORIGINS: '', LOG_LEVEL: '', AUTH_MODE: '', JWT_SECRET: '', TRUST_PROXY: '' };
      const { jwtSecret: _a, ...fromEmpty } = loadConfig(empty);
      const { jwtSecret: _b, ...fromNothing } = loadConfig({});
      expect(fromEmpty).toEqual(fromNothing);
    });

    it('silences logs by default in the test environment only', () => {
      expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
      expect(loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'off' }).logLevel).toBe('info');
      expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    });

    it('ignores variables it does not know', () => {
      const { jwtSecret: _a, ...withExtras } = loadConfig({ HOME: '/root', PATH: '/bin', SECRET: 'x' });
      const { jwtSecret: _b, ...plain } = loadConfig({});
      expect(withExtras).toEqual(plain);
    });
  });

  describe('accepted values', () => {
    it('reads every variable', () => {
      expect(
        loadConfig({
          PORT: '10000',
          NODE_ENV: 'production',
          DATABASE_URL: 'postgresql://user:secret@db.example.com:5432/taskflow?sslmode=require',
          CORS_ORIGINS: 'https://app.example.com',
          LOG_LEVEL: 'warn',
          JWT_SECRET: 'x'.repeat(32),
        }),
      ).toMatchObject({
        port: 10000,
        environment: 'production',
        databaseUrl: 'postgresql://user:secret@db.example.com:5432/taskflow?sslmode=require',
        corsOrigins: ['https://app.example.com'],
        logLevel: 'warn',
      });
    });

    it.each([
      ['1', 1],
      ['65535', 65535],
    ])('accepts PORT %s', (port, expected) => {
      expect(loadConfig({ PORT: port }).port).toBe(expected);
    });

    it.each(['postgres://u@h/db', 'postgresql://u:p@h:5433/db', 'sqlite:///./other.db', 'sqlite:////tmp/x.db', 'sqlite::memory:', 'sqlite:///:memory:'])(
      'accepts DATABASE_URL %s',
      (url) => {
        expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
      },
    );
  });

  describe('CORS_ORIGINS', () => {
    it('expands a bare host name, as Render provides it, to https', () => {
      expect(loadConfig({ CORS_ORIGINS: 'taskflow-frontend.onrender.com' }).corsOrigins).toEqual([
        'https://taskflow-frontend.onrender.com',
      ]);
    });

    it('removes a trailing slash from a full origin, which browsers never send', () => {
      expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com/' }).corsOrigins).toEqual(['https://app.example.com']);
    });

    it('reads a comma-separated list with spaces and a trailing comma', () => {
      expect(
        loadConfig({ CORS_ORIGINS: ' http://localhost:5173 ,  app.example.com/ , https://b.example.com:8443,' })
          .corsOrigins,
      ).toEqual(['http://localhost:5173', 'https://app.example.com', 'https://b.example.com:8443']);
    });

    it('keeps http for a full http origin', () => {
      expect(normalizeOrigin('http://localhost:3000')).toBe('http://localhost:3000');
    });

    it.each(['https://app.example.com/path', 'ftp://app.example.com', 'https://user@app.example.com'])(
      'refuses %s, which is not an origin, naming CORS_ORIGINS',
      (entry) => {
        expect(() => loadConfig({ CORS_ORIGINS: entry })).toThrow(
          new Error(`Invalid environment: CORS_ORIGINS has entries that are not origins or host names: ${entry}`),
        );
      },
    );

    it('refuses a list with an empty entry in the middle', () => {
      expect(() => loadConfig({ CORS_ORIGINS: 'a.example.com,,b.example.com' })).toThrow(/CORS_ORIGINS/);
    });
  });

  describe('refused values', () => {
    it.each(['abc', '0', '70000', '-1', '80.5', ' 80', '8e3'])('refuses PORT %j with a message naming PORT', (port) => {
      expect(() => loadConfig({ PORT: port })).toThrow('Invalid environment: PORT must be an integer between 1 and 65535');
    });

    it.each(['staging', 'Production', 'dev'])('refuses NODE_ENV %j naming NODE_ENV', (environment) => {
      expect(() => loadConfig({ NODE_ENV: environment })).toThrow(
        'Invalid environment: NODE_ENV must be one of: production, development, test',
      );
    });

    it.each(['mysql://x', 'taskflow.db', 'sqlite://relative.db', 'postgres://', 'http://db.example.com'])(
      'refuses DATABASE_URL %j naming DATABASE_URL',
      (url) => {
        expect(() => loadConfig({ DATABASE_URL: url })).toThrow(
          'Invalid environment: DATABASE_URL must be a postgres://, postgresql://, sqlite:///path or sqlite::memory: URL',
        );
      },
    );

    it('refuses an unknown LOG_LEVEL naming LOG_LEVEL', () => {
      expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/^Invalid environment: LOG_LEVEL must be one of: /);
    });

    it('states each reason once even when a value breaks several rules', () => {
      // 'abc' is not an integer, not >= 1 and not <= 65535: one sentence is enough.
      expect(() => loadConfig({ PORT: 'abc' })).toThrow(
        new Error('Invalid environment: PORT must be an integer between 1 and 65535'),
      );
    });

    it('names every bad variable in one message, so one restart is enough to see them all', () => {
      expect(() =>
        loadConfig({ PORT: '70000', NODE_ENV: 'staging', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }),
      ).toThrow(
        new Error(
          'Invalid environment: PORT must be an integer between 1 and 65535; ' +
            'NODE_ENV must be one of: production, development, test; ' +
            'DATABASE_URL must be a postgres://, postgresql://, sqlite:///path or sqlite::memory: URL; ' +
            'LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent',
        ),
      );
    });

    it('names bad CORS_ORIGINS entries together with the other bad variables', () => {
      expect(() => loadConfig({ PORT: 'abc', CORS_ORIGINS: 'ok.example.com, https://app.example.com/path' })).toThrow(
        new Error(
          'Invalid environment: PORT must be an integer between 1 and 65535; ' +
            'CORS_ORIGINS has entries that are not origins or host names: https://app.example.com/path',
        ),
      );
    });
  });

  describe('accounts settings', () => {
    const secret = 'x'.repeat(32);

    it('reads every accounts variable', () => {
      expect(
        loadConfig({
          AUTH_MODE: 'off',
          JWT_SECRET: secret,
          SETUP_TOKEN: 'a-setup-token-of-some-length',
          REGISTRATION: 'open',
          ACCESS_TOKEN_TTL_MINUTES: '60',
          TRUST_PROXY: '2',
        }),
      ).toMatchObject({
        authMode: 'off',
        jwtSecret: secret,
        jwtSecretGenerated: false,
        setupToken: 'a-setup-token-of-some-length',
        registration: 'open',
        accessTokenTtlMinutes: 60,
        trustProxy: 2,
      });
    });

    it('needs JWT_SECRET in production with accounts on, and not with AUTH_MODE=off', () => {
      expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
        new Error('Invalid environment: JWT_SECRET is required when NODE_ENV=production and AUTH_MODE=required'),
      );
      expect(loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'off' }).authMode).toBe('off');
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).jwtSecret).toBe(secret);
    });

    it.each([
      [{ AUTH_MODE: 'on' }, 'AUTH_MODE must be one of: required, off'],
      [{ JWT_SECRET: 'x'.repeat(31) }, 'JWT_SECRET must be at least 32 characters'],
      [{ SETUP_TOKEN: 'with space' }, 'SETUP_TOKEN must be 1 to 256 visible ASCII characters'],
      [{ REGISTRATION: 'closed' }, 'REGISTRATION must be one of: invite, open'],
      [{ ACCESS_TOKEN_TTL_MINUTES: '0' }, 'ACCESS_TOKEN_TTL_MINUTES must be an integer between 1 and 60'],
      [{ ACCESS_TOKEN_TTL_MINUTES: '61' }, 'ACCESS_TOKEN_TTL_MINUTES must be an integer between 1 and 60'],
      [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY must be an integer between 0 and 10'],
      [{ TRUST_PROXY: '-1' }, 'TRUST_PROXY must be an integer between 0 and 10'],
    ])('refuses %p, naming the variable', (env, message) => {
      expect(() => loadConfig(env)).toThrow(new Error(`Invalid environment: ${message}`));
    });
  });

  describe('email settings', () => {
    const EMAIL = { SMTP_URL: 'smtp://mailer:s3cret@smtp.example.com:587', EMAIL_FROM: 'TaskFlow <tasks@example.com>', APP_URL: 'https://taskflow.example.com/' };

    it('has no email, no APP_URL and a 60-second notification delay when nothing is set', () => {
      expect(loadConfig({})).toMatchObject({ email: undefined, appUrl: undefined, notificationEmailDelaySeconds: 60 });
    });

    it('reads SMTP_URL, EMAIL_FROM and APP_URL (without its trailing slash)', () => {
      expect(loadConfig({ ...EMAIL, NOTIFICATION_EMAIL_DELAY_SECONDS: '0' })).toMatchObject({
        appUrl: 'https://taskflow.example.com',
        email: { smtpUrl: EMAIL.SMTP_URL, from: EMAIL.EMAIL_FROM, appUrl: 'https://taskflow.example.com' },
        notificationEmailDelaySeconds: 0,
      });
      expect(loadConfig({ ...EMAIL, SMTP_URL: 'smtps://smtp.example.com', EMAIL_FROM: 'tasks@example.com' }).email?.from).toBe('tasks@example.com');
    });

    it('names EMAIL_FROM and APP_URL when SMTP_URL comes without them', () => {
      expect(() => loadConfig({ SMTP_URL: EMAIL.SMTP_URL })).toThrow(new Error('Invalid environment: EMAIL_FROM and APP_URL are required with SMTP_URL'));
      expect(() => loadConfig({ SMTP_URL: EMAIL.SMTP_URL, APP_URL: EMAIL.APP_URL })).toThrow(
        new Error('Invalid environment: EMAIL_FROM is required with SMTP_URL'),
      );
    });

    it.each([
      [{ SMTP_URL: 'http://smtp.example.com' }, 'SMTP_URL must be smtp://[user:password@]host[:port] or smtps://...'],
      [{ EMAIL_FROM: 'not an address' }, 'EMAIL_FROM must be an address, or "Name <address>"'],
      [{ APP_URL: 'taskflow.example.com' }, 'APP_URL must be an http:// or https:// address, e.g. https://taskflow.example.com'],
      [{ NOTIFICATION_EMAIL_DELAY_SECONDS: '3601' }, 'NOTIFICATION_EMAIL_DELAY_SECONDS must be an integer between 0 and 3600'],
    ])('refuses %p, naming the variable', (env, message) => {
      expect(() => loadConfig(env)).toThrow(new Error(`Invalid environment: ${message}`));
    });

    it('never repeats SMTP_URL (and its password) in the message', () => {
      expect(() => loadConfig({ SMTP_URL: 'smtp://user:hunter2@host:99999999' })).toThrow(/^((?!hunter2).)*$/);
    });
  });

  describe('webhook settings', () => {
    it('allows no private host and retries with a base of 60 s by default', () => {
      expect(loadConfig({})).toMatchObject({ webhookAllowedHosts: [], webhookRetryBaseSeconds: 60 });
    });

    it('reads WEBHOOK_ALLOWED_HOSTS as lower-case names and addresses, IPv6 without brackets', () => {
      expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, Hooks.Internal ,[::1],' }).webhookAllowedHosts).toEqual(['127.0.0.1', 'hooks.internal', '::1']);
    });

    it('reads WEBHOOK_RETRY_BASE_SECONDS from 1 to 3600', () => {
      expect(loadConfig({ WEBHOOK_RETRY_BASE_SECONDS: '1' }).webhookRetryBaseSeconds).toBe(1);
      expect(loadConfig({ WEBHOOK_RETRY_BASE_SECONDS: '3600' }).webhookRetryBaseSeconds).toBe(3600);
    });

    it.each(['0', '3601', 'fast', '1.5'])('refuses WEBHOOK_RETRY_BASE_SECONDS %j naming it', (value) => {
      expect(() => loadConfig({ WEBHOOK_RETRY_BASE_SECONDS: value })).toThrow('Invalid environment: WEBHOOK_RETRY_BASE_SECONDS must be an integer between 1 and 3600');
    });

    it('turns a webhook off after 20 failed deliveries unless WEBHOOK_DISABLE_AFTER_FAILURES says otherwise (0: never)', () => {
      expect(loadConfig({}).webhookFailuresToDisable).toBe(20);
      expect(loadConfig({ WEBHOOK_DISABLE_AFTER_FAILURES: '100' }).webhookFailuresToDisable).toBe(100);
      expect(loadConfig({ WEBHOOK_DISABLE_AFTER_FAILURES: '0' }).webhookFailuresToDisable).toBe(0);
    });

    it.each(['-1', '1000001', 'never'])('refuses WEBHOOK_DISABLE_AFTER_FAILURES %j naming it', (value) => {
      expect(() => loadConfig({ WEBHOOK_DISABLE_AFTER_FAILURES: value })).toThrow('Invalid environment: WEBHOOK_DISABLE_AFTER_FAILURES must be an integer between 0 and 1000000');
    });

    it.each(['http://127.0.0.1', 'a b', 'a,,b'])('refuses WEBHOOK_ALLOWED_HOSTS %j naming it', (value) => {
      expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: value })).toThrow('Invalid environment: WEBHOOK_ALLOWED_HOSTS must be comma-separated host names or addresses');
    });
  });
});
