import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { APP_VERSION } from './config/app-version';
import { AppConfig } from './config/app-config';
import { DatabaseOutageLog } from './database/database-unavailable';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { rejectDeepJson } from './server/json-depth.middleware';
import { createLoadShedder, type LoadShedderOptions } from './server/load-shedder';
import { MetricsService } from './metrics/metrics.service';
import { assignRequestId, requestIdMiddleware } from './observability/request-context';
import { AppValidationPipe } from './http/validation.pipe';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from './auth/auth.api-docs';
import { SESSION_COOKIE } from './auth/session-cookie';
import { withoutAccounts } from './auth/openapi-without-accounts';
import { withOpenOperationsMarked } from './auth/openapi-public-operations';
import { keepEmptyJsonBodyEmpty } from './http/empty-json-body';
import { securityHeaders } from './http/security-headers';
import { asOpenApi31 } from './http/openapi-3-1';
import { withoutOptionalQueryExamples } from './http/openapi-query-examples';
import { withSharedResponses } from './http/openapi-shared-responses';
import cookieParser from 'cookie-parser';
import { PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import { loggerOf, logRequests } from './http/request-logger';

/** "Over 100 kB" in the contract means over 102,400 bytes. */
export const MAX_BODY_BYTES = 102_400;

/**
 * Options of the Nest application, for main.ts and the e2e tests alike. Nest's default body parsers include
 * urlencoded: a cross-site HTML form could then create tasks (no preflight), and every request paid for it.
 * Bodies are JSON only (configureApp mounts that parser); a form body is refused as "not a JSON object".
 */
export const NEST_APPLICATION_OPTIONS = { bodyParser: false } as const;

export const EXPOSED_HEADERS = ['X-Total-Count', 'X-Next-Cursor', 'ETag', 'Location'];

/**
 * Everything main.ts does to the app besides listening; the e2e tests call the same function so that
 * they test the app exactly as it is served.
 */
export function configureApp(app: NestExpressApplication, config: AppConfig, { loadShedding }: { loadShedding?: LoadShedderOptions } = {}): void {
  const metrics = app.get(MetricsService);
  // First in line: under a flood every refusal takes CPU from the requests being served, so a shed request
  // costs as little as possible: no body parsing or validation, only its id and one counter.
  if (loadShedding) {
    const onShed = (request: IncomingMessage, response: ServerResponse) => {
      assignRequestId(request, response);
      metrics.requestsShed.inc();
    };
    app.use(createLoadShedder(loadShedding, { onShed }));
  }
  // Before the body parser, so that a refused body still gets a request id and counts in the metrics.
  app.use(requestIdMiddleware);
  app.use(logRequests(loggerOf(app.get<Params>(PARAMS_PROVIDER_TOKEN))));
  app.use(metrics.middleware);
  // Our own ETag on tasks only: Express would add weak ones to every other GET.
  app.set('etag', false);
  // request.ip and request.secure believe X-Forwarded-For / -Proto only from the TRUST_PROXY proxies in front.
  app.set('trust proxy', config.trustProxy);
  app.use(cookieParser());
  // application/merge-patch+json and other +json types are JSON too.
  app.useBodyParser('json', { limit: MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] });
  app.use(keepEmptyJsonBodyEmpty);
  app.use(rejectDeepJson);
  // No upgrade-insecure-requests: over plain http (local runs) it would send Swagger UI's assets to https.
  app.use(securityHeaders({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.enableCors({
    // A function, not a list: other origins (or none) must get no Access-Control-* header at all.
    origin: (origin, callback) => callback(null, origin !== undefined && config.corsOrigins.includes(origin) ? origin : false),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'If-Match', 'Idempotency-Key', 'Authorization'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  app.useGlobalPipes(new AppValidationPipe());
  const dataSource = app.get(DataSource);
  const outageLog = new DatabaseOutageLog(() => (dataSource.isInitialized ? dataSource.query('SELECT 1') : undefined));
  app.useGlobalFilters(new HttpExceptionFilter(app.getHttpAdapter(), outageLog));
  // Built on the first request for it rather than at every start (it walks every route's metadata).
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: 'TaskFlow API',
  });
}

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TaskFlow API')
      .setDescription(
        "A small team's task tracker. Field names are snake_case; timestamps are ISO 8601 UTC with milliseconds. " +
          'With accounts on (AUTH_MODE=required), send an access token (POST /auth/login) or an API token ' +
          '(POST /auth/tokens) as `Authorization: Bearer <token>`: the Authorize button takes either.',
      )
      .setVersion(APP_VERSION)
      .setLicense('MIT', 'https://opensource.org/licenses/MIT')
      // Relative: the document describes the server that serves it, wherever that is.
      .addServer('/', 'This server')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An access token (JWT) or an API token (`tf_...`).' }, BEARER_SCHEME)
      .addCookieAuth(
        SESSION_COOKIE,
        { type: 'apiKey', description: 'The HttpOnly session cookie set by sign-in and traded by POST /auth/refresh.' },
        SESSION_COOKIE_SCHEME,
      )
      .build(),
  );
  const served = asOpenApi31(withOpenOperationsMarked(withoutOptionalQueryExamples(withSharedResponses(document))));
  return app.get(AppConfig).authMode === 'off' ? withoutAccounts(served) : served;
}
