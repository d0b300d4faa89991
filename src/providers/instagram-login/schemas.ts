import { z } from 'zod';

/*
 * Instagram API with Instagram Login (reference §3).
 * https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login
 */

const permissions = z.union([z.string().transform((value) => value.split(',').filter(Boolean)), z.array(z.string())]);
const shortToken = z.object({
  access_token: z.string().min(1),
  /** Read from the raw JSON text, so ids above 2^53 stay exact (see `parseExactIds`). */
  user_id: z.string().regex(/^\d+$/),
  permissions: permissions.default([]),
});

/** §3.2 The code exchange answers either in the documented `data[]` wrapper or flat; both are read. */
export const codeExchangeResponse = z.union([
  z.object({ data: z.array(shortToken).min(1) }).transform((value) => value.data[0] as z.infer<typeof shortToken>),
  shortToken,
]);

/** §3.2 The legacy error envelope of api.instagram.com. */
export const legacyError = z.object({
  error_type: z.string(),
  code: z.number(),
  error_message: z.string(),
});

/** §3.3 ig_exchange_token and ig_refresh_token. */
export const longLivedToken = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number(),
});

/** §3.4 `/me`: `user_id` is the professional account id used for publishing; `id` is app-scoped. */
export const profile = z.object({
  user_id: z.string(),
  username: z.string(),
  name: z.string().optional(),
  account_type: z.string().optional(),
  profile_picture_url: z.string().optional(),
});
