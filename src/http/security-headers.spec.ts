import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { securityHeaders } from './security-headers';

const OPTIONS = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } };

function appWith(middleware: express.RequestHandler): express.Express {
  const app = express();
  app.use(middleware);
  app.get('/', (_request, response) => {
    response.json({ ok: true });
  });
  return app;
}

describe('securityHeaders', () => {
  it('sends exactly the headers helmet sends, X-Powered-By removed included', async () => {
    const [replayed, byHelmet] = await Promise.all([request(appWith(securityHeaders(OPTIONS))).get('/'), request(appWith(helmet(OPTIONS))).get('/')]);
    const withoutDate = (headers: Record<string, unknown>) => ({ ...headers, date: undefined, etag: undefined });
    expect(withoutDate(replayed.headers)).toEqual(withoutDate(byHelmet.headers));
    expect(replayed.headers['x-powered-by']).toBeUndefined();
    expect(replayed.headers['content-security-policy']).toContain("default-src 'self'");
    expect(replayed.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('refuses options helmet rejects, at start-up rather than on every request', () => {
    expect(() => securityHeaders({ contentSecurityPolicy: { directives: { 'default-src': ["'self';"] } } })).toThrow(/default-src/);
  });
});
