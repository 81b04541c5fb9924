import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readRepoFile, readSchema, readYaml, repoRoot, schemaDir } from './delivery-files';

interface EnvVar {
  key: string;
  value?: string | number;
  sync?: boolean;
  fromDatabase?: { name: string; property: string };
}
interface Service {
  type: string;
  name: string;
  runtime?: string;
  region?: string;
  plan?: string;
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
interface Blueprint {
  databases: { name: string; plan?: string; region?: string; postgresMajorVersion?: unknown }[];
  services: Service[];
}

const blueprint = readYaml<Blueprint>('render.yaml');
const nodeVersion = readRepoFile('.node-version').trim();

function service(name: string): Service {
  const found = blueprint.services.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`render.yaml has no service named ${name}`);
  return found;
}

function envVar(serviceName: string, key: string): EnvVar | undefined {
  return service(serviceName).envVars?.find((candidate) => candidate.key === key);
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

    it('rejects a service with an unknown key', () => {
      const broken = copy();
      (broken.services[0] as unknown as Record<string, unknown>).startCmd = 'node dist/main.js';
      expect(validate(broken)).toBe(false);
    });

    it('rejects an unquoted (integer) postgresMajorVersion', () => {
      const broken = copy();
      broken.databases[0].postgresMajorVersion = Number(broken.databases[0].postgresMajorVersion);
      expect(validate(broken)).toBe(false);
    });

    it('rejects a static site with a region, which Render does not accept for static sites', () => {
      const broken = copy();
      const site = broken.services.find((candidate) => candidate.runtime === 'static');
      if (!site) throw new Error('render.yaml has no static site');
      site.region = 'frankfurt';
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

describe('render.yaml database', () => {
  const database = blueprint.databases.find((candidate) => candidate.name === 'taskflow-db');

  it('declares taskflow-db on the free plan in Frankfurt', () => {
    expect(database).toMatchObject({ name: 'taskflow-db', plan: 'free', region: 'frankfurt' });
  });

  it('pins the PostgreSQL major version as a string', () => {
    expect(typeof database?.postgresMajorVersion).toBe('string');
    expect(database?.postgresMajorVersion).toMatch(/^\d+$/);
  });

  it('uses the same PostgreSQL major version as the CI service containers', () => {
    const workflows = ['backend.yml', 'blueprint-smoke.yml']
      .map((name) => readRepoFile(`.github/workflows/${name}`))
      .join('\n');
    const images = [...workflows.matchAll(/image:\s*postgres:(\d+)/g)].map((match) => match[1]);
    expect(images.length).toBeGreaterThan(0);
    expect(new Set(images)).toEqual(new Set([database?.postgresMajorVersion]));
  });
});

describe('render.yaml backend service', () => {
  const backend = service('taskflow-backend');

  it('is a Node web service on the free plan in Frankfurt', () => {
    expect(backend).toMatchObject({ type: 'web', runtime: 'node', plan: 'free', region: 'frankfurt' });
  });

  it('installs from the lockfile with the dev dependencies the build needs, then builds', () => {
    // NODE_ENV=production is set at build time too, so a plain `npm ci` would leave out the Nest CLI.
    expect(backend.buildCommand).toMatch(/^npm ci --include=dev && npm run build\b/);
    expect(backend.buildCommand).not.toMatch(/npm install/);
  });

  it('starts the production build that `npm run build` writes to dist/', () => {
    expect(backend.startCommand).toBe('node --max-old-space-size=128 --max-semi-space-size=8 dist/main.js');
    // `npm run start:prod` starts the build the same way, heap limits included.
    const packageJson = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };
    expect(packageJson.scripts['start:prod']).toBe(backend.startCommand);
    expect(existsSync(join(repoRoot, 'src', 'main.ts'))).toBe(true);
  });

  it('has no preDeployCommand, which the free plan does not offer', () => {
    expect(backend.preDeployCommand).toBeUndefined();
  });

  it('checks /health', () => {
    expect(backend.healthCheckPath).toBe('/health');
  });

  it('takes DATABASE_URL from taskflow-db’s connection string', () => {
    expect(envVar('taskflow-backend', 'DATABASE_URL')).toEqual({
      key: 'DATABASE_URL',
      fromDatabase: { name: 'taskflow-db', property: 'connectionString' },
    });
  });

  it('runs with NODE_ENV=production', () => {
    expect(envVar('taskflow-backend', 'NODE_ENV')?.value).toBe('production');
  });

  it('sets NODE_VERSION to the version in .node-version', () => {
    expect(nodeVersion).toMatch(/^\d+(\.\d+){0,2}$/);
    expect(String(envVar('taskflow-backend', 'NODE_VERSION')?.value)).toBe(nodeVersion);
  });

  it('asks for CORS_ORIGINS when the Blueprint is applied', () => {
    expect(envVar('taskflow-backend', 'CORS_ORIGINS')).toEqual({ key: 'CORS_ORIGINS', sync: false });
  });
});

describe('render.yaml frontend static site', () => {
  const frontend = service('taskflow-frontend');

  it('is a static site built from frontend/ into dist', () => {
    expect(frontend).toMatchObject({
      type: 'web',
      runtime: 'static',
      rootDir: 'frontend',
      buildCommand: 'npm ci && npm run build',
      staticPublishPath: 'dist',
    });
  });

  it('asks for VITE_API_URL when the Blueprint is applied', () => {
    expect(envVar('taskflow-frontend', 'VITE_API_URL')).toEqual({ key: 'VITE_API_URL', sync: false });
  });

  it('builds with the Node version in .node-version, which it cannot see from frontend/', () => {
    expect(String(envVar('taskflow-frontend', 'NODE_VERSION')?.value)).toBe(nodeVersion);
  });

  it('rewrites every path to /index.html so deep links work', () => {
    expect(frontend.routes).toContainEqual({ type: 'rewrite', source: '/*', destination: '/index.html' });
  });

  it('sends security headers on every path', () => {
    const everyPath = (frontend.headers ?? []).filter((header) => header.path === '/*');
    const byName = Object.fromEntries(everyPath.map((header) => [header.name.toLowerCase(), header.value]));
    expect(byName['x-content-type-options']).toBe('nosniff');
    expect(byName['x-frame-options']).toBe('DENY');
    expect(byName['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(byName['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(byName['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('caches the hashed assets for a year', () => {
    const caching = frontend.headers?.find((header) => header.path === '/assets/*' && header.name === 'Cache-Control');
    expect(caching?.value).toMatch(/max-age=31536000\b.*\bimmutable/);
  });
});

describe('render.yaml as a whole', () => {
  it('names exactly the database and the two services', () => {
    expect(blueprint.databases.map((database) => database.name)).toEqual(['taskflow-db']);
    expect(blueprint.services.map((candidate) => candidate.name).sort()).toEqual([
      'taskflow-backend',
      'taskflow-frontend',
    ]);
  });

  it('gives each environment variable one definition per service', () => {
    for (const candidate of blueprint.services) {
      const keys = (candidate.envVars ?? []).map((variable) => variable.key);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('documents every value Render asks for (sync: false) in docs/DEPLOY.md', () => {
    const deployGuide = readRepoFile('docs/DEPLOY.md');
    const asked = blueprint.services.flatMap((candidate) =>
      (candidate.envVars ?? []).filter((variable) => variable.sync === false).map((variable) => variable.key),
    );
    expect(asked.sort()).toEqual(['CORS_ORIGINS', 'VITE_API_URL']);
    for (const key of asked) expect(deployGuide).toContain(key);
  });

  it('is what docs/DEPLOY.md tells people to enter by hand', () => {
    const deployGuide = readRepoFile('docs/DEPLOY.md');
    const backend = service('taskflow-backend');
    const frontend = service('taskflow-frontend');
    for (const command of [backend.buildCommand, backend.startCommand, frontend.buildCommand]) {
      expect(deployGuide).toContain(`\`${command}\``);
    }
    expect(deployGuide).toContain(`PostgreSQL ${String(blueprint.databases[0].postgresMajorVersion)}`);
  });
});
