import { z } from 'zod';

export const API_TOKEN_NAME_MAX = 100;

export const apiToken = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the token, to recognise it.'),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof apiToken>;

export const createApiTokenBody = z.object({
  name: z.string().trim().min(1, 'give the token a name').max(API_TOKEN_NAME_MAX),
});
export type CreateApiTokenBody = z.infer<typeof createApiTokenBody>;

export const createdApiToken = z.object({
  token: apiToken,
  secret: z.string().describe('The token itself. Shown once: only its hash is stored.'),
});
export type CreatedApiToken = z.infer<typeof createdApiToken>;

export const apiTokenList = z.object({ tokens: z.array(apiToken) });
export type ApiTokenList = z.infer<typeof apiTokenList>;
