import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_BODY_LIMIT_BYTES } from '../../src/server/app.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { fillPath, type Operation, openApiOperations, operationName } from './routes.ts';
import { createWorld, type Owned, validBody, validParams } from './world.ts';

/**
 * Hostile bodies on every operation of the OpenAPI document that takes a JSON body, signed in
 * with the session cookie from the app's own origin: oversized → 413, malformed → 400, wrong
 * content type → 415, deep nesting, huge strings and over-long arrays → 4xx; never 5xx.
 */

const deep = (depth: number, open: string, close: string) => `${open.repeat(depth)}${close.repeat(depth)}`;

/** Replaces every string and array of a valid body with an oversized one, one field at a time. */
function oversizedVariants(body: unknown): unknown[] {
  const variants: unknown[] = [];
  const visit = (value: unknown, replace: (next: unknown) => unknown) => {
    if (typeof value === 'string') variants.push(replace('x'.repeat(200_000)));
    else if (Array.isArray(value)) {
      variants.push(replace(Array.from({ length: 5_000 }, () => value[0] ?? 'x')));
      value.forEach((item, index) => {
        visit(item, (next) => replace(value.map((old, i) => (i === index ? next : old))));
      });
    } else if (value && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) visit(item, (next) => replace({ ...value, [key]: next }));
  };
  visit(body, (next) => next);
  return variants;
}

describe('attack: oversized and malformed bodies', () => {
  let t: TestApp;
  let owner: Owned;
  let jsonOperations: Operation[];

  beforeAll(async () => {
    ({ t, owner } = await createWorld('bodies@example.com'));
    jsonOperations = (await openApiOperations(t.app)).filter(
      (op) => op.jsonBody && !op.path.startsWith('/webhooks/meta') && op.path !== '/api/me',
    );
  }, 120_000);
  afterAll(() => t?.close());

  const send = (op: Operation, payload: string | Buffer, contentType = 'application/json') =>
    t.app.inject({
      method: op.method,
      url: fillPath(op.path, validParams(op, owner)),
      headers: { cookie: owner.cookie, origin: t.origin, 'content-type': contentType },
      payload,
    });

  it('finds the JSON-body operations', () => {
    expect(jsonOperations.length).toBeGreaterThanOrEqual(7);
  });

  it('oversized JSON (> 1 MiB) → 413', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(JSON_BODY_LIMIT_BYTES + 1) });
    for (const op of [...jsonOperations, { method: 'POST', path: '/api/auth/sign-in/email' } as Operation]) {
      const response = await send(op, big);
      expect(response.statusCode, operationName(op)).toBe(413);
    }
  });

  it('malformed JSON → 400', async () => {
    for (const op of jsonOperations) {
      for (const payload of ['{"name": ', '{', 'nul', '{"a":1}}', "{'a':1}", '\u0000', '{"__proto__":{"x":1}']) {
        const response = await send(op, payload);
        expect(response.statusCode, `${operationName(op)} ${JSON.stringify(payload)}: ${response.body}`).toBe(400);
      }
    }
  });

  it('wrong content types → 415', async () => {
    for (const op of jsonOperations) {
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'image/png',
        'foo/bar',
      ]) {
        const response = await send(op, 'name=x', type);
        expect(response.statusCode, `${operationName(op)} as ${type}: ${response.body}`).toBe(415);
      }
    }
  });

  it('deeply nested JSON → 4xx', async () => {
    for (const op of jsonOperations) {
      for (const payload of [
        deep(100_000, '[', ']'),
        `{"a":${deep(50_000, '{"a":', '}').replace(/\{"a":\}$/, '1}')}`,
        // Every field the schema knows holding a deep array instead of its value.
        JSON.stringify(
          Object.fromEntries(
            Object.keys(op.jsonBody?.schema.properties ?? {}).map((key) => [key, JSON.parse(deep(2_000, '[', ']'))]),
          ),
        ),
      ]) {
        const response = await send(op, payload);
        expect(response.statusCode, `${operationName(op)}: ${response.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, `${operationName(op)}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
      }
    }
  });

  it('huge strings in fields and arrays over their limits → 4xx', async () => {
    let sent = 0;
    for (const op of jsonOperations) {
      for (const variant of oversizedVariants(validBody(op, owner))) {
        const response = await send(op, JSON.stringify(variant));
        const label = `${operationName(op)} ${JSON.stringify(variant).slice(0, 120)}: ${response.body.slice(0, 200)}`;
        expect(response.statusCode, label).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, label).toBeLessThan(500);
        sent += 1;
      }
    }
    expect(sent).toBeGreaterThan(10);
  });

  it('multipart where JSON is expected, and JSON or junk where the upload is expected → 4xx', async () => {
    const upload = (await openApiOperations(t.app)).find((op) => op.method === 'POST' && op.path === '/api/media');
    expect(upload).toBeDefined();
    for (const [payload, type] of [
      ['{"file":"x"}', 'application/json'],
      [
        '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nnot a file\r\n--b--\r\n',
        'multipart/form-data; boundary=b',
      ],
      ['--b\r\ngarbage', 'multipart/form-data; boundary=b'],
      ['x', 'multipart/form-data'],
      [
        '--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n\xff\xd8',
        'multipart/form-data; boundary=b',
      ],
      [
        '--b\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{oops\r\n--b--\r\n',
        'multipart/form-data; boundary=b',
      ],
      [
        '--b\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\nx\r\n--b--\r\n',
        'multipart/form-data; boundary=b',
      ],
      [
        '--b\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\n\r\nroot:x:0:0\r\n--b--\r\n',
        'multipart/form-data; boundary=b',
      ],
    ] as const) {
      const response = await send(upload!, payload, type);
      expect(response.statusCode, `${type}: ${response.body}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, `${type}: ${response.body}`).toBeLessThan(500);
    }
  });
});
