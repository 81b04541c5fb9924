import type { OpenAPIObject } from '@nestjs/swagger';

interface Parameter {
  in?: string;
  required?: boolean;
  description?: string;
  example?: unknown;
  schema?: { example?: unknown };
}

/**
 * Swagger UI's "Try it out" fills a parameter with its example, and Execute then sends it: five example
 * filters on GET /tasks answered a filtered subset. An optional query parameter's example moves into its
 * description, so that Execute sends only what the person typed.
 */
export function withoutOptionalQueryExamples(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem)) {
      const parameters = (operation as { parameters?: Parameter[] } | undefined)?.parameters;
      if (!Array.isArray(parameters)) continue;
      for (const parameter of parameters) {
        if (parameter.in !== 'query' || parameter.required) continue;
        const example = parameter.example ?? parameter.schema?.example;
        delete parameter.example;
        if (parameter.schema) delete parameter.schema.example;
        if (example !== undefined) parameter.description = `${parameter.description ?? ''} Example: \`${String(example)}\`.`.trim();
      }
    }
  }
  return document;
}
