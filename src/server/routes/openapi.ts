import type { FastifySchema } from 'fastify';
import type { RouteScope } from '../plugins/auth.ts';

/** OpenAPI security requirement of routes that need a signed-in user: an API token or a session cookie. */
export const userSecurity: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];

/** OpenAPI security requirement of routes that only a signed-in browser may call (`scope: 'session'`). */
export const sessionSecurity: Array<Record<string, string[]>> = [{ session: [] }];

const SCOPE_NOTES: Record<'any' | 'session', string> = {
  any: 'Any API token may call this.',
  session: 'Not available to API tokens: only a signed-in session.',
};

/**
 * Documents a route's `config.scope` in its OpenAPI operation: `x-scope`, and a sentence in the
 * description saying what an API token needs.
 */
export function documentScope<S extends FastifySchema>(schema: S, scope: RouteScope | undefined): S {
  if (!scope) return schema;
  const note = scope === 'any' || scope === 'session' ? SCOPE_NOTES[scope] : `API tokens need the \`${scope}\` scope.`;
  const description = 'description' in schema && typeof schema.description === 'string' ? schema.description : '';
  return { ...schema, 'x-scope': scope, description: description ? `${description}\n\n${note}` : note };
}
