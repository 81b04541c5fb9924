import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// package.json sits one level above both src/ (tests) and dist/ (the build).
const packageJson = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

/** The version in package.json, reported by `GET /` and the OpenAPI document. */
export const APP_VERSION = packageJson.version;
