import { expect } from '@jest/globals';

/**
 * Checks a JSON value against a schema of the server's OpenAPI 3.0 document, over the subset @nestjs/swagger
 * writes: $ref, allOf, oneOf (with or without a discriminator), nullable, type, enum, properties, required,
 * additionalProperties, items and the date, date-time and uuid formats. Stricter than JSON Schema on one point, on
 * purpose: an object schema with `properties` and no `additionalProperties` refuses a field it does not name, so
 * an answer cannot carry more than the document says.
 */
export interface SchemaObject {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  nullable?: boolean;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  items?: SchemaObject;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: SchemaObject }> }> }>>;
  components: { schemas: Record<string, SchemaObject> };
}

const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Every way `value` departs from `schema`, each as `path: what`; empty when it conforms. */
export function schemaErrors(document: OpenApiDocument, schema: SchemaObject, value: unknown, path = '$'): string[] {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components.schemas[name];
    if (!target) return [`${path}: unknown schema ${schema.$ref}`];
    return schemaErrors(document, target, value, path);
  }
  if (value === null) return schema.nullable ? [] : [`${path}: null, but the schema is not nullable`];

  const errors: string[] = [];
  for (const part of schema.allOf ?? []) errors.push(...schemaErrors(document, part, value, path));
  if (schema.oneOf) errors.push(...oneOfErrors(document, schema, value, path));
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);

  switch (schema.type) {
    case undefined:
      break;
    case 'integer':
      if (!Number.isInteger(value)) errors.push(`${path}: ${JSON.stringify(value)} is not an integer`);
      break;
    case 'number':
    case 'string':
    case 'boolean':
      if (typeOf(value) !== schema.type) errors.push(`${path}: ${typeOf(value)}, expected ${schema.type}`);
      else if (schema.type === 'string' && schema.format && FORMATS[schema.format] && !FORMATS[schema.format].test(value as string)) {
        errors.push(`${path}: ${JSON.stringify(value)} is not a ${schema.format}`);
      }
      break;
    case 'array':
      if (!Array.isArray(value)) errors.push(`${path}: ${typeOf(value)}, expected array`);
      else if (schema.items) value.forEach((item, i) => errors.push(...schemaErrors(document, schema.items!, item, `${path}[${i}]`)));
      break;
    case 'object':
      if (typeOf(value) !== 'object') errors.push(`${path}: ${typeOf(value)}, expected object`);
      else errors.push(...objectErrors(document, schema, value as Record<string, unknown>, path));
      break;
  }
  return errors;
}

function objectErrors(document: OpenApiDocument, schema: SchemaObject, value: Record<string, unknown>, path: string): string[] {
  const errors: string[] = [];
  const properties = schema.properties ?? {};
  for (const name of schema.required ?? []) if (!(name in value)) errors.push(`${path}.${name}: required, missing`);
  for (const [name, item] of Object.entries(value)) {
    const property = properties[name];
    if (property) errors.push(...schemaErrors(document, property, item, `${path}.${name}`));
    else if (typeof schema.additionalProperties === 'object') errors.push(...schemaErrors(document, schema.additionalProperties, item, `${path}.${name}`));
    else if (schema.additionalProperties !== true && schema.properties) errors.push(`${path}.${name}: not in the schema`);
  }
  return errors;
}

function oneOfErrors(document: OpenApiDocument, schema: SchemaObject, value: unknown, path: string): string[] {
  const { discriminator } = schema;
  if (discriminator?.mapping && typeOf(value) === 'object') {
    const tag = (value as Record<string, unknown>)[discriminator.propertyName];
    const ref = discriminator.mapping[String(tag)];
    if (!ref) return [`${path}.${discriminator.propertyName}: ${JSON.stringify(tag)} is not one of ${JSON.stringify(Object.keys(discriminator.mapping))}`];
    return schemaErrors(document, { $ref: ref }, value, path);
  }
  const results = schema.oneOf!.map((variant) => schemaErrors(document, variant, value, path));
  const matching = results.filter((result) => result.length === 0).length;
  if (matching === 1) return [];
  return matching === 0 ? [`${path}: matches none of oneOf (${results.map((r) => r[0]).join('; ')})`] : [`${path}: matches ${matching} of oneOf`];
}

/** The schema of an operation's JSON answer for `status`, as the document declares it. */
export function responseSchema(document: OpenApiDocument, method: string, path: string, status: number): SchemaObject {
  const operation = document.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`The document has no ${method.toUpperCase()} ${path}`);
  const schema = operation.responses[String(status)]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method.toUpperCase()} ${path} documents no JSON body for ${status}`);
  return schema;
}

/** Fails unless the answer's status is `status` and its body conforms to what the document says of that answer. */
export function expectDocumented(document: OpenApiDocument, response: { status: number; body: unknown }, method: string, path: string, status = 200): void {
  expect({ status: response.status, body: response.status === status ? 'ok' : response.body }).toEqual({ status, body: 'ok' });
  const errors = schemaErrors(document, responseSchema(document, method, path, status), response.body);
  expect({ operation: `${method} ${path}`, errors }).toEqual({ operation: `${method} ${path}`, errors: [] });
}
