import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

/** The arguments of `npm run api:types`, with the output sent to `output` instead of over the committed file. */
function apiTypesArgs(output: string): string[] {
  const script: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts['api:types'];
  const [command, ...args] = script.split(/\s+/);
  expect(command).toBe('openapi-typescript');
  const outputFlag = args.indexOf('-o');
  expect(outputFlag).toBeGreaterThan(-1);
  args[outputFlag + 1] = output;
  return args;
}

describe('api-schema.d.ts', () => {
  // The backend's tests keep openapi.json current; this keeps the types the app compiles against current with it,
  // so a contract change reaches the compiler instead of surfacing as a broken screen.
  it('is what openapi-typescript generates from openapi.json today (run `npm run api:types` if not)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskflow-api-types-'));
    try {
      const output = join(dir, 'api-schema.d.ts');
      execFileSync(
        process.execPath,
        [join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), ...apiTypesArgs(output)],
        { cwd: root, stdio: 'pipe' },
      );
      const committed = readFileSync(join(root, 'src', 'lib', 'api-schema.d.ts'), 'utf8');
      expect(committed).toBe(readFileSync(output, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
