// Builds the API with `nest build` into a folder of the drills' own, then copies it to a temporary
// directory, so that a colleague's `npm run build` (which deletes dist/) cannot break a running drill.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Returns the directory holding dist/, package.json and a node_modules link; `reuse` skips the build, and `existingDist`
 * copies the repository's own dist/ (a fresh `npm run build`, as CI's set-up makes) instead of building again.
 */
export function buildApp({ reuse, existingDist = false } = {}) {
  if (reuse) return reuse;
  const distDir = existingDist ? join(ROOT, 'dist') : nestBuild();
  if (!existsSync(join(distDir, 'main.js'))) throw new Error(`${distDir}/main.js is missing: run npm run build`);
  const appDir = mkdtempSync(join(tmpdir(), 'drills-dist-'));
  cpSync(distDir, join(appDir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(appDir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(appDir, 'node_modules'));
  process.on('exit', () => rmSync(appDir, { recursive: true, force: true }));
  return appDir;
}

/** `nest build` into .test-results/drills-build/dist, which it returns. */
function nestBuild() {
  const buildDir = join(ROOT, '.test-results', 'drills-build');
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(
    join(buildDir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../tsconfig.build.json',
      compilerOptions: { rootDir: '../../src', outDir: './dist', tsBuildInfoFile: './dist/.tsbuildinfo' },
      include: ['../../src'],
      exclude: ['../../node_modules', '../../src/**/*.spec.ts'],
    }),
  );
  const nest = join(ROOT, 'node_modules', '.bin', 'nest');
  const result = spawnSync(nest, ['build', '-p', join('.test-results', 'drills-build', 'tsconfig.json')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('nest build failed');
  return join(buildDir, 'dist');
}
