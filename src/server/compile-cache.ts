// Node's module compile cache (V8's code cache, kept on disk) for the API's start-up: most of a start is loading
// some 2,000 modules, and on a free instance's 0.1 CPU every millisecond of it counts ten times. render.yaml's
// build fills dist/.compile-cache (scripts/warm-compile-cache.mjs), so that even the first start after a deploy
// or a wake from sleep reads compiled code instead of compiling it. main.ts imports this module first: only the
// modules loaded after it can use the cache.
import { enableCompileCache, flushCompileCache } from 'node:module';
import { join } from 'node:path';

/** Inside the build output: a new build starts from an empty cache (entries are also checked against the source). */
export const COMPILE_CACHE_DIR = join(__dirname, '..', '.compile-cache');

// Portable: entries are keyed by paths relative to the directory, so the cache still applies when the build is
// copied or moved (the bench runs a copy). NODE_COMPILE_CACHE overrides the directory, NODE_DISABLE_COMPILE_CACHE=1
// turns the cache off; a cache that cannot be used is silently skipped by Node (start-up is only slower).
enableCompileCache({ directory: COMPILE_CACHE_DIR, portable: true });

/** Writes what this start compiled that the cache did not hold yet; Node would otherwise wait for a clean exit. */
export function saveCompileCache(): void {
  flushCompileCache();
}
