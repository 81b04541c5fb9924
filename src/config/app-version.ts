import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// package.json sits two levels above both src/config/ (tests) and dist/config/ (the build).
const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };

/** The version in package.json, reported by `GET /` and the OpenAPI document. */
export const APP_VERSION = packageJson.version;
