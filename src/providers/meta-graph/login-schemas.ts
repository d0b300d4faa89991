import { z } from 'zod';

/*
 * Responses of the Facebook Login and Page-listing calls that the Instagram (Facebook Login) and
 * Facebook Page providers make, as documented.
 * Reference §2.3/§2.4: https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
 */
export const accessTokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  /** Missing for tokens that do not expire. */
  expires_in: z.number().optional(),
});

/** §2.6 https://developers.facebook.com/docs/graph-api/reference/debug_token */
export const debugTokenResponse = z.object({
  data: z.object({
    app_id: z.string().optional(),
    type: z.string().optional(),
    is_valid: z.boolean(),
    expires_at: z.number().optional(),
    data_access_expires_at: z.number().optional(),
    issued_at: z.number().optional(),
    scopes: z.array(z.string()).default([]),
    granular_scopes: z.array(z.object({ scope: z.string(), target_ids: z.array(z.string()).optional() })).optional(),
    user_id: z.string().optional(),
    error: z.object({ code: z.number(), message: z.string().optional(), subcode: z.number().optional() }).optional(),
  }),
});

/** §2.5 https://developers.facebook.com/docs/graph-api/reference/user/accounts */
export const pagesResponse = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      access_token: z.string().optional(),
      tasks: z.array(z.string()).optional(),
      picture: z.object({ data: z.object({ url: z.string() }) }).optional(),
      instagram_business_account: z
        .object({
          id: z.string(),
          username: z.string().optional(),
          name: z.string().optional(),
          profile_picture_url: z.string().optional(),
        })
        .optional(),
    }),
  ),
  paging: z
    .object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() })
    .optional(),
});

/** §2.8 https://developers.facebook.com/docs/graph-api/reference/user/permissions */
export const successResponse = z.object({ success: z.boolean() });
