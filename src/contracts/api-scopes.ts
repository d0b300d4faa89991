/**
 * What an API token may do. A route needs at most one scope; a token holds any set of them,
 * chosen when it is created. Sessions (signed-in browsers) may do everything. Plain values with
 * no zod, so the web app can list them.
 */
export const API_SCOPES = [
  'accounts:read',
  'accounts:write',
  'posts:read',
  'posts:write',
  'media:read',
  'media:write',
  'webhooks:read',
  'webhooks:write',
  'admin',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** What each scope allows, for the OpenAPI document and the token form. */
export const API_SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  'accounts:read': 'See connected accounts, providers, connection flows and notifications',
  'accounts:write': 'Connect, refresh and disconnect accounts; mark notifications read',
  'posts:read': 'See posts and how each target went',
  'posts:write': 'Validate, schedule, cancel and retry posts',
  'media:read': 'See the media library',
  'media:write': 'Upload and delete media',
  'webhooks:read': 'See webhook endpoints and their deliveries',
  'webhooks:write': 'Add, test and delete webhook endpoints',
  admin: 'Use the admin API (only for a token of an admin user)',
};
