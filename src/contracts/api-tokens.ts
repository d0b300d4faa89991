import { z } from 'zod';
import { API_SCOPE_DESCRIPTIONS, API_SCOPES } from './api-scopes.ts';

export const API_TOKEN_NAME_MAX = 100;

const scopesDescription = `What the token may do:\n${API_SCOPES.map((scope) => `- \`${scope}\`: ${API_SCOPE_DESCRIPTIONS[scope]}`).join('\n')}`;

export const apiToken = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the token, to recognise it.'),
    scopes: z.array(z.enum(API_SCOPES)).describe(scopesDescription),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof apiToken>;

export const createApiTokenBody = z.object({
  name: z.string().trim().min(1, 'give the token a name').max(API_TOKEN_NAME_MAX),
  scopes: z
    .array(z.enum(API_SCOPES))
    .min(1, 'give the token at least one scope')
    .default([...API_SCOPES])
    .describe(`${scopesDescription}\n\nEvery scope when left out.`),
});
export type CreateApiTokenBody = z.infer<typeof createApiTokenBody>;

export const createdApiToken = z.object({
  token: apiToken,
  secret: z.string().describe('The token itself. Shown once: only its hash is stored.'),
});
export type CreatedApiToken = z.infer<typeof createdApiToken>;

export const apiTokenList = z.object({ tokens: z.array(apiToken) });
export type ApiTokenList = z.infer<typeof apiTokenList>;
