import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { createOpenApiDocument } from '../src/app.setup';

/**
 * Checks every answer of an e2e test app against the OpenAPI document that app serves: its status is
 * declared for the operation, its Content-Type is one the document lists, its body matches the declared
 * schema (Ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses), and its declared headers are present and valid.
 * A mismatch is recorded here and fails the running test (openapi-conformance.setup.ts), so every
 * existing suite checks the document without a line of its own. Requests to paths the document does not
 * list (/docs, /metrics, unknown routes) are not checked.
 */

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, ResponseObject>;
}
interface ResponseObject {
  content?: Record<string, { schema?: Json }>;
  headers?: Record<string, { required?: boolean; schema?: Json }>;
}
interface Route {
  pattern: RegExp;
  literalSegments: number;
  path: string;
  item: Record<string, unknown>;
}

const mismatches: string[] = [];

/** The mismatches found since the last call; the setup file fails the test with them. */
export function takeMismatches(): string[] {
  return mismatches.splice(0);
}

const DOCUMENT_ID = 'openapi.json';

export class DocumentChecker {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    addFormats(this.ajv);
    // OpenAPI's own keywords inside schemas: annotations, not constraints.
    this.ajv.addVocabulary(['example', 'xml', 'externalDocs', 'discriminator']);
    // The component schemas, as one JSON Schema resource whose $defs they are.
    const schemas = JSON.stringify((document.components as Json | undefined)?.schemas ?? {}).replaceAll('"#/components/schemas/', '"#/$defs/');
    this.ajv.addSchema({ $id: DOCUMENT_ID, $defs: JSON.parse(schemas) as Json });
    this.routes = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .map(([path, item]) => {
        const segments = path.split('/');
        const pattern = segments.map((segment) => (/^\{.+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/');
        return { pattern: new RegExp(`^${pattern}$`), literalSegments: segments.filter((s) => !s.startsWith('{')).length, path, item };
      })
      // A static path (/tasks/count) wins over a templated one (/tasks/{id}), as the router's order ensures.
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** `body` is 'stream' for an event stream, checked at its start: status, headers and media type only. */
  check(method: string, url: string, status: number, headers: Record<string, unknown>, body: Buffer | 'stream'): string[] {
    const path = url.split('?')[0];
    const route = this.routes.find((candidate) => candidate.pattern.test(path));
    const operation = route?.item[method.toLowerCase()] as Operation | undefined;
    if (!route || !operation) return [];
    const where = `${method} ${url.slice(0, 120)} -> ${status} (${route.path})`;
    const statusKey = [String(status), `${String(status)[0]}XX`, 'default'].find((key) => key in operation.responses);
    if (!statusKey) return [`${where}: status ${status} is not declared (declared: ${Object.keys(operation.responses).join(', ')})`];
    const declared = operation.responses[statusKey];
    const problems = this.checkHeaders(declared, headers, route.path, method, statusKey);
    const contentType = String(headers['content-type'] ?? '').split(';')[0].trim();
    const hasBody = body === 'stream' || body.length > 0;
    if (!hasBody) {
      if (declared.content && status !== 304 && method !== 'HEAD') problems.push(`body is empty, but ${Object.keys(declared.content).join(', ')} is declared`);
      return problems.map((problem) => `${where}: ${problem}`);
    }
    const mediaType = declared.content?.[contentType];
    if (!mediaType) {
      problems.push(`Content-Type ${contentType || '(none)'} is not declared (declared: ${Object.keys(declared.content ?? {}).join(', ') || 'no body'})`);
    } else if (body !== 'stream' && mediaType.schema && /json$/.test(contentType)) {
      const pointer = ['paths', route.path, method.toLowerCase(), 'responses', statusKey, 'content', contentType, 'schema'];
      problems.push(...this.validate(pointer, mediaType.schema, JSON.parse(body.toString('utf8'))));
    }
    return problems.map((problem) => `${where}: ${problem}`);
  }

  private checkHeaders(declared: ResponseObject, headers: Record<string, unknown>, path: string, method: string, statusKey: string): string[] {
    const problems: string[] = [];
    for (const [name, header] of Object.entries(declared.headers ?? {})) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`required header ${name} is missing`);
        continue;
      }
      if (!header.schema) continue;
      // Header values are text: an integer header is checked as the number it spells.
      const text = Array.isArray(value) ? value.join(', ') : String(value);
      const typed = header.schema.type === 'integer' || header.schema.type === 'number' ? (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text) : text;
      const pointer = ['paths', path, method.toLowerCase(), 'responses', statusKey, 'headers', name, 'schema'];
      problems.push(...this.validate(pointer, header.schema, typed).map((problem) => `header ${name}: ${problem}`));
    }
    return problems;
  }

  private validate(pointer: string[], schema: Json, value: unknown): string[] {
    const key = pointer.join('\u0001');
    let validator = this.validators.get(key);
    if (!validator) {
      // The document's $refs point at #/components/schemas/...: compiled against the schemas added above.
      const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${DOCUMENT_ID}#/$defs/`)) as Json;
      validator = this.ajv.compile(rewritten);
      this.validators.set(key, validator);
    }
    if (validator(value)) return [];
    return (validator.errors ?? []).slice(0, 5).map((error) => `body${error.instancePath} ${error.message} (${error.schemaPath}) in ${JSON.stringify(value).slice(0, 300)}`);
  }
}

/**
 * Express middleware, first in line, that checks each answer against the app's document as it ends.
 * The document is built on first use, as the app builds it for GET /openapi.json.
 */
export function conformanceRecorder(app: NestExpressApplication): (request: Request, response: Response, next: NextFunction) => void {
  let checker: DocumentChecker | undefined;
  const checkerOf = () => (checker ??= new DocumentChecker(JSON.parse(JSON.stringify(createOpenApiDocument(app))) as Json));
  return (request, response, next) => {
    const method = request.method;
    const url = request.originalUrl;
    const chunks: Buffer[] = [];
    let checked = false;
    const check = (body: Buffer | 'stream') => {
      if (checked) return;
      checked = true;
      try {
        mismatches.push(...checkerOf().check(method, url, response.statusCode, response.getHeaders(), body));
      } catch (error) {
        mismatches.push(`${method} ${url}: the check failed: ${(error as Error).stack ?? String(error)}`);
      }
    };
    const isStream = () => String(response.getHeader('content-type') ?? '').startsWith('text/event-stream');
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => Response;
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      // A stream is checked at its start (status, headers); its events are not JSON documents.
      if (isStream()) check('stream');
      else if (chunk) chunks.push(Buffer.from(chunk as string));
      return write(chunk, ...rest);
    }) as Response['write'];
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
      check(isStream() ? 'stream' : Buffer.concat(chunks));
      return end(chunk, ...rest);
    }) as Response['end'];
    next();
  };
}
