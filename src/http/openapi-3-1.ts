import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * Nest's document generator writes OpenAPI 3.0 with `nullable: true`. On a `$ref` (our `created_by`,
 * history's `user` and `task`) it writes `{nullable: true, allOf: [$ref]}`, where `nullable` has no effect
 * (it only widens a `type` beside it), so standard validators reject every `null` there. The document is
 * served as OpenAPI 3.1 instead, whose schemas are JSON Schema 2020-12 and say "or null" plainly:
 * `type: [T, 'null']`, and `oneOf: [$ref, {type: 'null'}]` for a reference. A `$ref` may have a
 * description beside it in 3.1, so Nest's `allOf: [$ref]` wrapper (its way to add one in 3.0) goes too.
 */
export function asOpenApi31(document: OpenAPIObject): OpenAPIObject {
  const converted = structuredClone(document);
  converted.openapi = '3.1.0';
  const pending: unknown[] = [converted.paths, converted.components];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (!Array.isArray(node)) {
      if ('nullable' in node) withNull(node as Record<string, unknown>);
      else unwrapSingleAllOf(node as Record<string, unknown>);
    }
    pending.push(...Object.values(node));
  }
  return converted;
}

function withNull(schema: Record<string, unknown>): void {
  const nullable = schema.nullable === true;
  delete schema.nullable;
  if (!nullable) return;
  const alternatives = schema.allOf ?? (schema.$ref !== undefined ? [{ $ref: schema.$ref }] : undefined);
  if (Array.isArray(alternatives)) {
    // Nest also writes `type: 'object'` beside the reference, which would refuse the null.
    delete schema.allOf;
    delete schema.$ref;
    delete schema.type;
    schema.oneOf = [...(alternatives.length === 1 ? alternatives : [{ allOf: alternatives }]), { type: 'null' }];
    return;
  }
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
    return;
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) (schema[key] as unknown[]).push({ type: 'null' });
  }
}

function unwrapSingleAllOf(schema: Record<string, unknown>): void {
  const [only, ...others] = Array.isArray(schema.allOf) ? (schema.allOf as Array<Record<string, unknown>>) : [];
  if (only === undefined || others.length > 0 || typeof only.$ref !== 'string' || schema.$ref !== undefined) return;
  delete schema.allOf;
  // Nest writes `type: 'object'` beside it, which says nothing the reference does not.
  delete schema.type;
  schema.$ref = only.$ref;
}
