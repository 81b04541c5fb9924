// `npm run drills`: fault drills against the production build, one line per drill and database:
//   PASS <drill> [<database>] <figures>      or      FAIL <drill> [<database>] <figures> (criteria: ...)
// Options: --quick (CI: the quick drills, shorter), --only a,b (drill names), --db sqlite|postgres,
// --app <dir> (a directory holding an already built dist/, package.json and node_modules), --no-build (run a copy of
// the repository's dist/, a fresh `npm run build`, instead of building).
import { parseArgs } from 'node:util';
import { buildApp } from './lib/build.mjs';
import { postgresAvailable } from './lib/databases.mjs';
import { authEnabled } from './lib/server.mjs';

const DRILLS = [
  'fuzz', 'sigterm', 'kill9', 'slow-headers', 'two-instances', 'connections', 'db-outage', 'smtp-outage', 'soak', 'pg-restart',
  'webhook-receiver-down',
];

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    db: { type: 'string' },
    app: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

const selected = flags.only ? flags.only.split(',') : DRILLS;
const unknown = selected.filter((name) => !DRILLS.includes(name));
if (unknown.length > 0) throw new Error(`unknown drill(s): ${unknown.join(', ')}; known: ${DRILLS.join(', ')}`);

const appDir = buildApp({ reuse: flags.app, existingDist: flags['no-build'] });
const hasPostgres = await postgresAvailable();
console.log(`drills: ${flags.quick ? 'quick' : 'full'} mode, AUTH_MODE=${authEnabled() ? 'required' : 'off'}, build in ${appDir}`);

let failed = 0;
for (const name of selected) {
  const { drill } = await import(`./${name}.drill.mjs`);
  if (flags.quick && !drill.quick) {
    console.log(`skip ${name}: not part of the quick mode`);
    continue;
  }
  // A drill may run on fewer databases in the quick mode (`quickDatabases`), to keep CI's run short.
  for (const database of (flags.quick && drill.quickDatabases) || drill.databases) {
    if (flags.db && flags.db !== database) continue;
    const label = `${name} [${database}]`;
    if (database === 'postgres' && !hasPostgres) {
      console.log(`FAIL ${label} PostgreSQL is not reachable on 127.0.0.1:5432`);
      failed++;
      continue;
    }
    const started = performance.now();
    try {
      const { pass, figures } = await drill.run({ appDir, database, quick: flags.quick });
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      console.log(`${pass ? 'PASS' : 'FAIL'} ${label} ${figures} (${seconds} s)${pass ? '' : ` (criteria: ${drill.criteria})`}`);
      if (!pass) failed++;
    } catch (error) {
      console.log(`FAIL ${label} the drill broke: ${error instanceof Error ? error.stack : error}`);
      failed++;
    }
  }
}
process.exit(failed > 0 ? 1 : 0);
