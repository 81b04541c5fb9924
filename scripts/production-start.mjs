// How render.yaml starts the production backend, read from render.yaml itself so that the benchmarks and the
// drills start the API exactly as deployed: the Node flags of its start command (heap limits) and the
// environment variables read by the runtime rather than by the API (glibc's malloc arenas).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const RUNTIME_VARIABLES = ['MALLOC_ARENA_MAX'];

function productionBackend() {
  const blueprint = parse(readFileSync(join(import.meta.dirname, '..', 'render.yaml'), 'utf8'));
  // Services sit at the top level, or under projects[].environments[] (production first).
  const services = blueprint.services
    ?? blueprint.projects.flatMap((project) => project.environments.flatMap((environment) => environment.services ?? []));
  return services.find((service) => service.name === 'taskflow-backend');
}

/** The `--flags` of the production start command, e.g. ['--max-old-space-size=128', '--max-semi-space-size=8']. */
export function productionNodeFlags() {
  return productionBackend().startCommand.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** The commands of render.yaml's build command, in order, e.g. ['npm ci --include=dev', 'npm run build', ...]. */
export function productionBuildSteps() {
  return productionBackend().buildCommand.split('&&').map((step) => step.trim()).filter(Boolean);
}

/** The production environment variables that tune the runtime, e.g. { MALLOC_ARENA_MAX: '2' }. */
export function productionRuntimeEnv() {
  const variables = productionBackend().envVars ?? [];
  return Object.fromEntries(
    variables.filter((variable) => RUNTIME_VARIABLES.includes(variable.key) && variable.value !== undefined)
      .map((variable) => [variable.key, String(variable.value)]),
  );
}
