import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const repoRoot = join(__dirname, '..', '..');

/**
 * The third-party JSON Schemas live next to the repository, never in it (see SOURCES.md there). Returns undefined
 * when a schema is absent, so the caller can skip and say why.
 */
export const schemaDir = join(repoRoot, '..', 'shared', 'schemas');

export function readSchema(fileName: string): object | undefined {
  const path = join(schemaDir, fileName);
  if (!existsSync(path)) return undefined;
  // Render publishes its schema with a byte-order mark, which JSON.parse rejects.
  return JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as object;
}

export function readRepoFile(relativePath: string): string {
  return readFileSync(join(repoRoot, relativePath), 'utf8');
}

export function readYaml<T = unknown>(relativePath: string): T {
  // yaml follows YAML 1.2, so a workflow's `on:` key stays the string "on" (YAML 1.1 parsers turn it into true).
  return parse(readRepoFile(relativePath)) as T;
}

export function workflowFiles(): string[] {
  const dir = join(repoRoot, '.github', 'workflows');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
    .sort()
    .map((name) => `.github/workflows/${name}`);
}
