import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ACCOUNTS_CONFIG } from './account-fixtures';
import { useTestApp } from './create-test-app';

const root = join(__dirname, '..');

/** Redocly CLI's findings on a document, with the repository's redocly.yaml (recommended rules). */
function redoclyProblems(document: unknown): Array<{ ruleId: string; severity: string; message: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'taskflow-openapi-lint-'));
  try {
    const file = join(folder, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const cli = join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const args = [cli, 'lint', file, '--config', join(root, 'redocly.yaml'), '--format=json'];
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    // Exit status 1 means errors were found: the JSON report is on stdout either way.
    let output: string;
    try {
      output = execFileSync(process.execPath, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    return (JSON.parse(output) as { problems: Array<{ ruleId: string; severity: string; message: string }> }).problems.map(
      ({ ruleId, severity, message }) => ({ ruleId, severity, message }),
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe.each([
  ['off', {}],
  ['required', ACCOUNTS_CONFIG],
])('The document served with AUTH_MODE=%s (e2e)', (_, config) => {
  const testApp = useTestApp({ config });

  it("has no error and no warning under Redocly's recommended rules", async () => {
    const document = (await request(testApp().getHttpServer()).get('/openapi.json').expect(200)).body;
    expect(redoclyProblems(document)).toEqual([]);
  });

  it('refuses a document that breaks a rule (the lint really runs)', async () => {
    const document = (await request(testApp().getHttpServer()).get('/openapi.json').expect(200)).body;
    document.paths['/tasks'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Missing' };
    expect(redoclyProblems(document)).toContainEqual(expect.objectContaining({ ruleId: 'no-unresolved-refs', severity: 'error' }));
  });
});
