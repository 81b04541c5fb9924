import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readRepoFile, readSchema, readYaml, repoRoot, schemaDir } from './delivery-files';

interface EnvVar {
  key: string;
  value?: string | number;
  sync?: boolean;
  generateValue?: boolean;
  fromDatabase?: { name: string; property: string };
}
interface Service {
  type: string;
  name: string;
  runtime?: string;
  region?: string;
  plan?: string;
  branch?: string;
  rootDir?: string;
  buildCommand?: string;
  startCommand?: string;
  preDeployCommand?: string;
  healthCheckPath?: string;
  staticPublishPath?: string;
  envVars?: EnvVar[];
  routes?: { type: string; source: string; destination: string }[];
  headers?: { path: string; name: string; value: string }[];
}
interface Database {
  name: string;
  plan?: string;
  region?: string;
  postgresMajorVersion?: unknown;
}
interface Environment {
  name: string;
  databases: Database[];
  services: Service[];
}
interface Blueprint {
  projects: { name: string; environments: Environment[] }[];
  services?: Service[];
  databases?: Database[];
}

const blueprint = readYaml<Blueprint>('render.yaml');
const nodeVersion = readRepoFile('.node-version').trim();
const environments = blueprint.projects.flatMap((project) => project.environments);

/** Each environment of the Blueprint, with the names of its resources and the branch it deploys. */
const ENVIRONMENTS = [
  { name: 'production', branch: 'main', suffix: '' },
  { name: 'staging', branch: 'staging', suffix: '-staging' },
].map((expected) => ({
  ...expected,
  database: `taskflow-db${expected.suffix}`,
  backend: `taskflow-backend${expected.suffix}`,
  frontend: `taskflow-frontend${expected.suffix}`,
}));

function environment(name: string): Environment {
  const found = environments.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`render.yaml has no environment named ${name}`);
  return found;
}

function service(name: string): Service {
  const found = environments.flatMap((candidate) => candidate.services).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`render.yaml has no service named ${name}`);
  return found;
}

function envVar(serviceName: string, key: string): EnvVar | undefined {
  return service(serviceName).envVars?.find((candidate) => candidate.key === key);
}

/** A service with its own names replaced by a placeholder, to compare environments. */
function withoutNames(value: unknown, suffix: string): unknown {
  return JSON.parse(JSON.stringify(value).replaceAll(`${suffix}"`, '"').replaceAll(`${suffix}.onrender.com`, '.onrender.com'));
}

const blueprintSchema = readSchema('render-blueprint.schema.json');

if (blueprintSchema) {
  describe('render.yaml against Render’s Blueprint schema', () => {
    // Render's schema is draft 2020-12 and uses keywords Ajv's strict mode refuses, e.g. `required` without `type`.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(blueprintSchema);
    const copy = (): Blueprint => structuredClone(blueprint);

    it('accepts render.yaml', () => {
      const valid = validate(blueprint);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    });

    const staticSite = (broken: Blueprint): Service => {
      const site = broken.projects[0].environments[0].services.find((candidate) => candidate.runtime === 'static');
      if (!site) throw new Error('render.yaml has no static site');
      return site;
    };

    it('rejects a service with an unknown key', () => {
      const broken = copy();
      (broken.projects[0].environments[0].services[0] as unknown as Record<string, unknown>).startCmd = 'node dist/main.js';
      expect(validate(broken)).toBe(false);
    });

    it('rejects an unquoted (integer) postgresMajorVersion', () => {
      const broken = copy();
      const [database] = broken.projects[0].environments[0].databases;
      database.postgresMajorVersion = Number(database.postgresMajorVersion);
      expect(validate(broken)).toBe(false);
    });

    it('rejects a static site with a region, which Render does not accept for static sites', () => {
      const broken = copy();
      staticSite(broken).region = 'frankfurt';
      expect(validate(broken)).toBe(false);
    });

    it('rejects an unknown key in an environment', () => {
      const broken = copy();
      (broken.projects[0].environments[1] as unknown as Record<string, unknown>).branch = 'staging';
      expect(validate(broken)).toBe(false);
    });
  });
} else {
  describe('render.yaml against Render’s Blueprint schema', () => {
    // Printed so a skipped run says why instead of passing silently.
    console.log(`Skipping the Blueprint schema check: ${join(schemaDir, 'render-blueprint.schema.json')} not found.`);
    it.skip('accepts render.yaml (schema not available)', () => undefined);
  });
}

describe('render.yaml environments', () => {
  it('puts everything in one project with a production and a staging environment, nothing outside them', () => {
    expect(blueprint.projects.map((project) => project.name)).toEqual(['taskflow']);
    expect(environments.map((candidate) => candidate.name)).toEqual(['production', 'staging']);
    expect(blueprint.services).toBeUndefined();
    expect(blueprint.databases).toBeUndefined();
  });

  it.each(ENVIRONMENTS)('gives $name its own database, backend and static site', (expected) => {
    const found = environment(expected.name);
    expect(found.databases.map((database) => database.name)).toEqual([expected.database]);
    expect(found.services.map((candidate) => candidate.name).sort()).toEqual([expected.backend, expected.frontend]);
  });

  it.each(ENVIRONMENTS)('deploys $name from the $branch branch', (expected) => {
    expect(service(expected.backend).branch).toBe(expected.branch);
    expect(service(expected.frontend).branch).toBe(expected.branch);
  });

  it('makes staging a copy of production except for names, branch and SENTRY_ENVIRONMENT', () => {
    const comparable = (name: string, suffix: string) => {
      const found = withoutNames(environment(name), suffix) as Environment;
      for (const candidate of found.services) {
        delete candidate.branch;
        candidate.envVars = candidate.envVars?.filter((variable) => !variable.key.endsWith('SENTRY_ENVIRONMENT'));
      }
      return { ...found, name: undefined };
    };
    expect(comparable('staging', '-staging')).toEqual(comparable('production', ''));
    for (const expected of ENVIRONMENTS) {
      expect(envVar(expected.backend, 'SENTRY_ENVIRONMENT')?.value).toBe(expected.name);
      expect(envVar(expected.frontend, 'VITE_SENTRY_ENVIRONMENT')?.value).toBe(expected.name);
    }
  });
});

describe.each(ENVIRONMENTS)('render.yaml $name database', (expected) => {
  const database = () => environment(expected.name).databases[0];

  it('is on the free plan in Frankfurt, reachable from Render services only', () => {
    expect(database()).toMatchObject({ name: expected.database, plan: 'free', region: 'frankfurt', ipAllowList: [] });
  });

  it('pins the PostgreSQL major version as a string', () => {
    expect(typeof database().postgresMajorVersion).toBe('string');
    expect(database().postgresMajorVersion).toMatch(/^\d+$/);
  });

  it('uses the same PostgreSQL major version as the CI service containers', () => {
    const workflows = ['backend.yml', 'blueprint-smoke.yml']
      .map((name) => readRepoFile(`.github/workflows/${name}`))
      .join('\n');
    const images = [...workflows.matchAll(/image:\s*postgres:(\d+)/g)].map((match) => match[1]);
    expect(images.length).toBeGreaterThan(0);
    expect(new Set(images)).toEqual(new Set([database().postgresMajorVersion]));
  });
});

describe.each(ENVIRONMENTS)('render.yaml $name backend service', (expected) => {
  const backend = () => service(expected.backend);

  it('is a Node web service on the free plan in Frankfurt', () => {
    expect(backend()).toMatchObject({ type: 'web', runtime: 'node', plan: 'free', region: 'frankfurt' });
  });

  it('installs from the lockfile with the dev dependencies the build needs, then builds', () => {
    // NODE_ENV=production is set at build time too, so a plain `npm ci` would leave out the Nest CLI.
    expect(backend().buildCommand).toMatch(/^npm ci --include=dev && npm run build\b/);
    expect(backend().buildCommand).not.toMatch(/npm install/);
  });

  it('starts the production build that `npm run build` writes to dist/', () => {
    expect(backend().startCommand).toBe('node --max-old-space-size=128 --max-semi-space-size=8 dist/main.js');
    // `npm run start:prod` starts the build the same way, heap limits and malloc arenas included.
    const packageJson = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };
    expect(packageJson.scripts['start:prod']).toBe(`MALLOC_ARENA_MAX=${envVar(expected.backend, 'MALLOC_ARENA_MAX')?.value} ${backend().startCommand}`);
    expect(existsSync(join(repoRoot, 'src', 'main.ts'))).toBe(true);
  });

  it('has no preDeployCommand, which the free plan does not offer', () => {
    expect(backend().preDeployCommand).toBeUndefined();
  });

  it('checks /health', () => {
    expect(backend().healthCheckPath).toBe('/health');
  });

  it('takes DATABASE_URL from its own environment’s database', () => {
    expect(envVar(expected.backend, 'DATABASE_URL')).toEqual({
      key: 'DATABASE_URL',
      fromDatabase: { name: expected.database, property: 'connectionString' },
    });
  });

  it('runs with NODE_ENV=production and accounts required', () => {
    expect(envVar(expected.backend, 'NODE_ENV')?.value).toBe('production');
    expect(envVar(expected.backend, 'AUTH_MODE')?.value).toBe('required');
  });

  it('has Render generate JWT_SECRET, SETUP_TOKEN and METRICS_TOKEN', () => {
    for (const key of ['JWT_SECRET', 'SETUP_TOKEN', 'METRICS_TOKEN']) {
      expect(envVar(expected.backend, key)).toEqual({ key, generateValue: true });
    }
  });

  it('trusts the two proxies in front of the web app’s requests: the /api rewrite and Render’s load balancer', () => {
    expect(envVar(expected.backend, 'TRUST_PROXY')?.value).toBe('2');
  });

  it('sets NODE_VERSION to the version in .node-version', () => {
    expect(nodeVersion).toMatch(/^\d+(\.\d+){0,2}$/);
    expect(String(envVar(expected.backend, 'NODE_VERSION')?.value)).toBe(nodeVersion);
  });

  it('asks for CORS_ORIGINS and SENTRY_DSN when the Blueprint is applied', () => {
    expect(envVar(expected.backend, 'CORS_ORIGINS')).toEqual({ key: 'CORS_ORIGINS', sync: false });
    expect(envVar(expected.backend, 'SENTRY_DSN')).toEqual({ key: 'SENTRY_DSN', sync: false });
  });

  it('asks for SMTP_URL, EMAIL_FROM and APP_URL when the Blueprint is applied (email stays off while SMTP_URL is empty)', () => {
    for (const key of ['SMTP_URL', 'EMAIL_FROM', 'APP_URL']) expect(envVar(expected.backend, key)).toEqual({ key, sync: false });
  });

  it("limits glibc's malloc to 2 arenas (the peak RSS under load)", () => {
    expect(envVar(expected.backend, 'MALLOC_ARENA_MAX')?.value).toBe('2');
  });

  it('sets only variables the API reads', () => {
    const config = readRepoFile('src/config/app-config.ts');
    // Read by Render and by glibc respectively, not by the API.
    const renderOwn = ['NODE_VERSION', 'MALLOC_ARENA_MAX'];
    for (const variable of backend().envVars ?? []) {
      if (!renderOwn.includes(variable.key)) expect(config).toContain(`${variable.key}?:`);
    }
  });
});

describe.each(ENVIRONMENTS)('render.yaml $name static site', (expected) => {
  const frontend = () => service(expected.frontend);

  it('is a static site built from frontend/ into dist', () => {
    expect(frontend()).toMatchObject({
      type: 'web',
      runtime: 'static',
      rootDir: 'frontend',
      buildCommand: 'npm ci && npm run build',
      staticPublishPath: 'dist',
    });
  });

  it('needs no API URL at build time: the app calls /api on its own origin', () => {
    expect(envVar(expected.frontend, 'VITE_API_URL')).toBeUndefined();
    expect(readRepoFile('frontend/src/config.ts')).toMatch(/'\/api'/);
  });

  it('asks for VITE_SENTRY_DSN when the Blueprint is applied', () => {
    expect(envVar(expected.frontend, 'VITE_SENTRY_DSN')).toEqual({ key: 'VITE_SENTRY_DSN', sync: false });
  });

  it('builds with the Node version in .node-version, which it cannot see from frontend/', () => {
    expect(String(envVar(expected.frontend, 'NODE_VERSION')?.value)).toBe(nodeVersion);
  });

  it('rewrites /api/* to its own environment’s backend, before the catch-all', () => {
    expect(frontend().routes).toEqual([
      { type: 'rewrite', source: '/api/*', destination: `https://${expected.backend}.onrender.com/*` },
      { type: 'rewrite', source: '/*', destination: '/index.html' },
    ]);
  });

  it('sends security headers on every path', () => {
    const everyPath = (frontend().headers ?? []).filter((header) => header.path === '/*');
    const byName = Object.fromEntries(everyPath.map((header) => [header.name.toLowerCase(), header.value]));
    expect(byName['x-content-type-options']).toBe('nosniff');
    expect(byName['x-frame-options']).toBe('DENY');
    expect(byName['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(byName['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(byName['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(byName['content-security-policy']).toMatch(/connect-src 'self'/);
  });

  it('caches the hashed assets for a year', () => {
    const caching = frontend().headers?.find((header) => header.path === '/assets/*' && header.name === 'Cache-Control');
    expect(caching?.value).toMatch(/max-age=31536000\b.*\bimmutable/);
  });
});

describe('render.yaml as a whole', () => {
  const services = environments.flatMap((candidate) => candidate.services);

  it('gives each environment variable one definition per service', () => {
    for (const candidate of services) {
      const keys = (candidate.envVars ?? []).map((variable) => variable.key);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('documents every value Render asks for (sync: false) in docs/DEPLOY.md', () => {
    const deployGuide = readRepoFile('docs/DEPLOY.md');
    const asked = [
      ...new Set(
        services.flatMap((candidate) =>
          (candidate.envVars ?? []).filter((variable) => variable.sync === false).map((variable) => variable.key),
        ),
      ),
    ];
    expect(asked.sort()).toEqual(['APP_URL', 'CORS_ORIGINS', 'EMAIL_FROM', 'SENTRY_DSN', 'SMTP_URL', 'VITE_SENTRY_DSN']);
    for (const key of asked) expect(deployGuide).toContain(key);
  });

  it('is what docs/DEPLOY.md tells people to enter by hand', () => {
    const deployGuide = readRepoFile('docs/DEPLOY.md');
    const backend = service('taskflow-backend');
    const frontend = service('taskflow-frontend');
    for (const command of [backend.buildCommand, backend.startCommand, frontend.buildCommand]) {
      expect(deployGuide).toContain(`\`${command}\``);
    }
    expect(deployGuide).toContain(`PostgreSQL ${String(environment('production').databases[0].postgresMajorVersion)}`);
    for (const route of frontend.routes ?? []) expect(deployGuide).toContain(`\`${route.source}\``);
  });

  it('hard-codes no custom host name (only Render’s own service URLs)', () => {
    const hosts = [...readRepoFile('render.yaml').matchAll(/https?:\/\/([\w.-]+)/g)].map((match) => match[1]);
    for (const host of hosts) expect(host).toMatch(/^taskflow-backend(-staging)?\.onrender\.com$/);
  });
});
