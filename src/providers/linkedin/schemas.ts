import { z } from 'zod';

/*
 * LinkedIn 3-legged OAuth, token introspection and OpenID Connect (reference §8.1, §8.2).
 * https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow
 * https://learn.microsoft.com/linkedin/shared/authentication/programmatic-refresh-tokens
 * https://learn.microsoft.com/linkedin/shared/authentication/token-introspection
 * https://learn.microsoft.com/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2
 */

/** LinkedIn sends scopes comma-separated (`"email,openid"`); space-separated is read too. */
export const scopeList = z.string().transform((value) => value.split(/[\s,]+/).filter(Boolean));

/**
 * §8.1 The `accessToken` answer for both grants. `token_type` may be missing; `refresh_token` and
 * `refresh_token_expires_in` come only for apps approved for programmatic refresh; `id_token` only
 * with `openid` (Tether reads the member from `userinfo` instead of verifying it).
 */
export const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  scope: scopeList.optional(),
  token_type: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().int().nonnegative().optional(),
  id_token: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponse>;

/**
 * §8.1 `introspectToken`. A token of another client, or one LinkedIn does not know, is only
 * `{"active":false}`; otherwise `status` says why an inactive token is inactive. Times are unix seconds.
 */
export const introspection = z.object({
  active: z.boolean(),
  status: z.enum(['active', 'expired', 'revoked']).or(z.string()).optional(),
  expires_at: z.number().optional(),
  scope: scopeList.optional(),
  client_id: z.string().optional(),
  authorized_at: z.number().optional(),
  created_at: z.number().optional(),
  auth_type: z.string().optional(),
});
export type Introspection = z.infer<typeof introspection>;

/**
 * §8.2 OpenID Connect `userinfo`. Name claims need `profile`, email claims `email`; `picture` may
 * be missing. `locale` is documented as a string but has been seen as an object (§10.13): both parse.
 */
export const userinfo = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  picture: z.string().optional(),
  locale: z
    .union([z.string(), z.object({ country: z.string().optional(), language: z.string().optional() })])
    .optional(),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.string()]).optional(),
});
export type Userinfo = z.infer<typeof userinfo>;

/** §8.1 The OAuth 2.0 error envelope of www.linkedin.com/oauth/v2. */
export const oauthErrorBody = z.object({
  error: z.string().min(1),
  error_description: z.string().optional(),
});

/** §8.5 The REST error envelope of api.linkedin.com; not every field is always present. */
export const restErrorBody = z
  .object({
    status: z.number().optional(),
    serviceErrorCode: z.number().optional(),
    code: z.string().optional(),
    message: z.string().optional(),
  })
  .refine((body) => body.status !== undefined || body.serviceErrorCode !== undefined || body.code !== undefined, {
    error: 'not a LinkedIn REST error',
  });

/**
 * §8.3 `GET /rest/organizationAcls?q=roleAssignee`: the member's roles on organizations, a page
 * at a time. Roles and states are open lists: ones Tether does not know are not posting roles.
 */
export const organizationAcls = z.object({
  elements: z.array(
    z.object({
      organization: z.string().regex(/^urn:li:organization:\d+$/),
      role: z.string(),
      state: z.string(),
    }),
  ),
  paging: z.object({ start: z.number().int(), count: z.number().int(), total: z.number().int().optional() }),
});

/** `GET /rest/organizations/{id}`: the fields Tether shows; `localizedName` is the name in the page's own locale. */
export const organization = z.object({
  id: z.number().int(),
  localizedName: z.string().optional(),
  vanityName: z.string().optional(),
});
