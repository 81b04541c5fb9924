import type { OpenAPIObject } from '@nestjs/swagger';
import { asOpenApi31 } from './openapi-3-1';

const ref = { $ref: '#/components/schemas/Author' };

function documentWith(properties: Record<string, unknown>): OpenAPIObject {
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas: { Task: { type: 'object', properties } } } } as OpenAPIObject;
}

function propertiesOf(document: OpenAPIObject): Record<string, unknown> {
  return (document.components?.schemas?.Task as { properties: Record<string, unknown> }).properties;
}

describe(asOpenApi31.name, () => {
  it('turns a nullable reference (Nest writes it as nullable allOf, with type object) into oneOf with null', () => {
    const converted = asOpenApi31(documentWith({ author: { nullable: true, description: 'Who', type: 'object', allOf: [ref] } }));
    expect(converted.openapi).toBe('3.1.0');
    expect(propertiesOf(converted).author).toEqual({ description: 'Who', oneOf: [ref, { type: 'null' }] });
  });

  it('adds null to the type, and to the enum, of a nullable scalar', () => {
    const converted = asOpenApi31(documentWith({ due: { type: 'string', nullable: true }, level: { type: 'string', enum: ['a'], nullable: true } }));
    expect(propertiesOf(converted)).toEqual({ due: { type: ['string', 'null'] }, level: { type: ['string', 'null'], enum: ['a', null] } });
  });

  it("unwraps a lone allOf reference, which 3.1 lets carry a description beside it, and drops nullable: false", () => {
    const converted = asOpenApi31(documentWith({ author: { description: 'Who', type: 'object', allOf: [ref] }, title: { type: 'string', nullable: false } }));
    expect(propertiesOf(converted)).toEqual({ author: { description: 'Who', ...ref }, title: { type: 'string' } });
  });

  it('leaves the document it was given unchanged', () => {
    const original = documentWith({ due: { type: 'string', nullable: true } });
    asOpenApi31(original);
    expect(original.openapi).toBe('3.0.0');
    expect(propertiesOf(original).due).toEqual({ type: 'string', nullable: true });
  });
});
