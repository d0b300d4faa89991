import type { FastifyInstance } from 'fastify';

/**
 * Route discovery for the attack suite: every operation of the OpenAPI document, and every route
 * the router holds, so that a route added later is attacked too, or fails the inventory until it
 * is classified here.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const STATE_CHANGING: readonly Method[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** A JSON Schema as the OpenAPI document carries it (only the keywords the suite reads). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  additionalProperties?: boolean | JsonSchema;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: Method;
  /** Fastify's form: `/api/posts/:id`. */
  path: string;
  params: Parameter[];
  /** The JSON body's schema, when the operation takes a JSON body. */
  jsonBody?: { schema: JsonSchema; required: boolean };
  /** Content types the body may have (multipart, form...). */
  bodyTypes: string[];
  /** Security schemes that may authenticate it (`bearer`, `session`); empty for public operations. */
  security: string[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}

/** The operations of the app's own `/openapi.json`. */
export async function openApiOperations(app: FastifyInstance): Promise<Operation[]> {
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  if (response.statusCode !== 200) throw new Error(`/openapi.json answered ${response.statusCode}`);
  const doc = response.json() as OpenApiDocument;
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const upper = method.toUpperCase() as Method;
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(upper)) continue;
      const content = (
        operation.requestBody as { required?: boolean; content?: Record<string, { schema: JsonSchema }> }
      )?.content;
      const json = content?.['application/json'];
      operations.push({
        method: upper,
        path: template.replace(/\{(\w+)\}/g, ':$1'),
        // Record-typed querystrings come out as nonsense parameters (`type`, `additionalProperties`).
        params: ((operation.parameters ?? []) as Parameter[]).filter(
          (parameter) => typeof parameter.schema === 'object',
        ),
        jsonBody: json
          ? { schema: json.schema, required: Boolean((operation.requestBody as { required?: boolean }).required) }
          : undefined,
        bodyTypes: Object.keys(content ?? {}),
        security: ((operation.security ?? []) as Record<string, unknown>[]).flatMap((entry) => Object.keys(entry)),
      });
    }
  }
  return operations;
}

export const operationName = (operation: Pick<Operation, 'method' | 'path'>) => `${operation.method} ${operation.path}`;

/** Path parameters of a Fastify path, in order. */
export const pathParams = (path: string) => [...path.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');

/** Fills a Fastify path's parameters (each value URL-encoded). */
export const fillPath = (path: string, values: Record<string, string>) =>
  path.replace(/:(\w+)/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });

/**
 * Every (method, path) the router holds, read from `printRoutes()`: each line of the tree is a
 * segment that continues its parent's path. HEAD routes Fastify adds to GETs are left out.
 */
export function routerRoutes(app: FastifyInstance): string[] {
  const stack: string[] = [];
  const routes = new Set<string>();
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    const full = (stack[depth - 1] ?? '') + (match[2] ?? '');
    stack[depth] = full;
    for (const method of (match[3] ?? '').split(', ').filter(Boolean))
      if (method !== 'HEAD') routes.add(`${method} ${full}`);
  }
  return [...routes].sort();
}

/**
 * Routes that are deliberately not in the OpenAPI document, with why. The inventory test fails on
 * any other undocumented route, so a new one is classified here before the suite passes.
 */
export const UNDOCUMENTED_ROUTES: Record<string, string> = {
  'GET *': 'better-auth at /api/auth/* (printRoutes loses its prefix): its own origin check, tested in the CSRF suite',
  'POST *': 'better-auth at /api/auth/* (printRoutes loses its prefix): its own origin check, tested in the CSRF suite',
  'GET /openapi.json': 'the API description itself, public',
  'GET /docs': 'the API reference UI, static',
  'GET /docs/static/index.html': 'the API reference UI, static',
  'GET /docs/static/swagger-initializer.js': 'the API reference UI, static',
  'GET /docs*': 'the API reference UI, static',
  'GET /docs/json': 'the API reference UI, static',
  'GET /docs/yaml': 'the API reference UI, static',
  'POST /webhooks/meta': 'Meta webhook events: public, each one signed with X-Hub-Signature-256 over the raw body',
  'GET /metrics':
    'Prometheus metrics for operators: 404 unless METRICS_TOKEN is set, then only with that bearer token (no session, no user data)',
  'GET /data-deletion/:code':
    'Meta data-deletion status page: public by design, the 128-bit confirmation code is the only key',
  ...Object.fromEntries(
    ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].flatMap((method) => [
      [`${method} /sandbox`, 'the provider emulator (sandbox mode only), no Tether user data'],
      [`${method} /sandbox*`, 'the provider emulator (sandbox mode only), no Tether user data'],
    ]),
  ),
};

/**
 * State-changing routes that a session cookie does not authenticate, so CSRF does not apply;
 * matched by prefix.
 */
export const CSRF_EXEMPT_PREFIXES: Record<string, string> = {
  '/webhooks/meta':
    'called by Meta server to server; every request proves itself with the app secret (signed_request or X-Hub-Signature-256)',
  '/sandbox': 'the provider emulator, no Tether session or user data',
  '/api/auth/': 'better-auth: checks the Origin itself against PUBLIC_URL (disableOriginCheck: false); tested here',
};
