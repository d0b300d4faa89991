import fc from 'fast-check';
import type { JsonSchema, Operation } from './routes.ts';

/** Strings shaped like SQL injection, NUL bytes, unicode oddities and very long input. */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE posts; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)--',
  '\' UNION SELECT id, email FROM "user" --',
  '\\',
  '%',
  '_',
  "$1'",
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\u202Eevil',
  '𝕿𝖊𝖙𝖍𝖊𝖗 🔗',
  // Template-injection shapes, as literal text.
  '$' + '{7*7}{{7*7}}',
  '../../../etc/passwd',
  'x'.repeat(100_000),
];

/** Every string-typed field of a JSON body schema, as paths of keys (`*` for array items). */
export function stringFields(schema: JsonSchema, at: string[] = []): string[][] {
  if (schema.type === 'string') return [at];
  if (schema.type === 'array' && schema.items) return stringFields(schema.items, [...at, '*']);
  if (schema.properties)
    return Object.entries(schema.properties).flatMap(([key, value]) => stringFields(value, [...at, key]));
  return [];
}

/** A copy of `body` with the value at `path` (arrays: one item) set to `value`. */
export function setAt(body: unknown, path: string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (head === '*') {
    const items = Array.isArray(body) && body.length > 0 ? body : [undefined];
    return [setAt(items[0], rest, value), ...items.slice(1)];
  }
  const object = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  return { ...object, [head]: setAt(object[head], rest, value) };
}

const typeOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type[0] : schema.type);

/**
 * Values for a JSON Schema: mostly valid-looking (enums, uuids, dates, bounded strings and
 * numbers, objects with their properties), some just outside the bounds, some of the wrong type.
 */
export function arbitraryFor(schema: JsonSchema, known: { ids: string[] }, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constant({}),
  );
  if (depth > 4) return wrong;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((variant) => arbitraryFor(variant, known, depth + 1)));
  let valid: fc.Arbitrary<unknown>;
  if (schema.enum) valid = fc.constantFrom(...schema.enum, 'not-in-the-enum');
  else if (schema.const !== undefined) valid = fc.constant(schema.const);
  else
    switch (typeOf(schema)) {
      case 'string':
        valid =
          schema.format === 'uuid'
            ? fc.oneof(fc.constantFrom(...known.ids), fc.uuid(), fc.constant('not-a-uuid'))
            : schema.format === 'date-time'
              ? fc.oneof(
                  fc
                    .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
                    .map((d) => d.toISOString()),
                  fc.constantFrom('2026-02-30T00:00:00Z', 'yesterday', '9999-12-31T23:59:59+14:00'),
                )
              : schema.format === 'uri' || schema.pattern?.includes('http')
                ? fc.oneof(
                    fc.webUrl(),
                    fc.constantFrom('javascript:alert(1)', 'http://127.0.0.1:9/x', 'file:///etc/passwd'),
                  )
                : fc.oneof(
                    fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }),
                    fc.constantFrom(...HOSTILE_STRINGS),
                    fc.constant('y'.repeat((schema.maxLength ?? 1_000) + 1)),
                  );
        break;
      case 'integer':
      case 'number':
        valid = fc.oneof(
          fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000 }),
          fc.constantFrom((schema.minimum ?? 0) - 1, (schema.maximum ?? 2 ** 31) + 1, 1.5, Number.MAX_SAFE_INTEGER),
        );
        break;
      case 'boolean':
        valid = fc.boolean();
        break;
      case 'array':
        valid = fc.array(arbitraryFor(schema.items ?? {}, known, depth + 1), {
          minLength: 0,
          maxLength: Math.min((schema.maxItems ?? 4) + 1, 6),
        });
        break;
      case 'object':
      case undefined: {
        const properties = Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([key, value]) => [key, arbitraryFor(value, known, depth + 1)]),
        );
        valid = fc.record(properties, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) });
        break;
      }
      default:
        valid = fc.anything();
    }
  return fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: wrong, weight: 1 });
}

export interface FuzzRequest {
  method: Operation['method'];
  url: string;
  payload?: unknown;
  auth: 'cookie' | 'token';
}

/** Requests for one operation: path parameters, query string and JSON body drawn from its schemas. */
export function requestArbitrary(operation: Operation, known: { ids: string[]; pathValues: string[] }) {
  const pathArb = fc.record(
    Object.fromEntries(
      operation.params
        .filter((parameter) => parameter.in === 'path')
        .map((parameter) => [
          parameter.name,
          fc.oneof(
            { arbitrary: arbitraryFor(parameter.schema, known).map(String), weight: 3 },
            { arbitrary: fc.constantFrom(...known.pathValues), weight: 2 },
            { arbitrary: fc.constantFrom('..', '%2e%2e', '%00', ' ', 'null', "' OR 1=1 --"), weight: 1 },
          ),
        ]),
    ),
  );
  const queryArb = fc.record(
    Object.fromEntries(
      operation.params
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => [parameter.name, arbitraryFor(parameter.schema, known).map((value) => String(value))]),
    ),
    { requiredKeys: [] },
  );
  const bodyArb = operation.jsonBody ? arbitraryFor(operation.jsonBody.schema, known) : fc.constant(undefined);
  return fc
    .tuple(pathArb, queryArb, bodyArb, fc.constantFrom<'cookie' | 'token'>('cookie', 'token'))
    .map(([path, query, payload, auth]): FuzzRequest => {
      const url = operation.path.replace(/:(\w+)/g, (_whole, name: string) =>
        encodeURIComponent(String((path as Record<string, string>)[name] ?? '').toWellFormed()),
      );
      const search = new URLSearchParams(query as Record<string, string>).toString();
      return { method: operation.method, url: search ? `${url}?${search}` : url, payload, auth };
    });
}
