// Writes the OpenAPI document of the built backend (dist/) to frontend/openapi.json, the file the
// frontend generates its wire types from. Run `npm run build` first; `npm run openapi:export` does both.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const output = process.argv[2] ?? join(root, 'frontend', 'openapi.json');

// The document does not depend on the data: an in-memory database keeps the export side-effect free.
process.env.DATABASE_URL = 'sqlite::memory:';
process.env.NODE_ENV = 'test';

const { NestFactory } = require('@nestjs/core');
const { AppModule } = require(join(root, 'dist', 'app.module.js'));
const { createOpenApiDocument } = require(join(root, 'dist', 'app.setup.js'));

const app = await NestFactory.create(AppModule, { logger: false });
writeFileSync(output, `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`);
await app.close();
console.log(`OpenAPI document written to ${output}`);
