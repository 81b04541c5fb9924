import type { OpenAPIObject } from '@nestjs/swagger';
import { withoutOptionalQueryExamples } from './openapi-query-examples';

describe(withoutOptionalQueryExamples.name, () => {
  it("moves an optional query parameter's example into its description, and keeps required and path ones", () => {
    const parameters = [
      { name: 'assignee', in: 'query', required: false, description: 'Exact match.', schema: { type: 'string', example: 'alice' } },
      { name: 'q', in: 'query', required: false, example: 'demo', schema: { type: 'string' } },
      { name: 'since', in: 'query', required: true, schema: { type: 'string', example: '42' } },
      { name: 'id', in: 'path', required: true, schema: { type: 'string', example: 'x' } },
    ];
    const document = { openapi: '3.0.0', info: { title: 't', version: '1' }, paths: { '/tasks': { get: { parameters, responses: {} } } } } as unknown as OpenAPIObject;
    withoutOptionalQueryExamples(document);
    expect(parameters).toEqual([
      { name: 'assignee', in: 'query', required: false, description: 'Exact match. Example: `alice`.', schema: { type: 'string' } },
      { name: 'q', in: 'query', required: false, description: 'Example: `demo`.', schema: { type: 'string' } },
      { name: 'since', in: 'query', required: true, schema: { type: 'string', example: '42' } },
      { name: 'id', in: 'path', required: true, schema: { type: 'string', example: 'x' } },
    ]);
  });
});
