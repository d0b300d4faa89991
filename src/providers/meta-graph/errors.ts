import { z } from 'zod';
import { type ProviderError, RateLimitedError, ReauthRequiredError, RejectedError, TransientError } from '../errors.ts';
import { type GraphUsage, regainAccessMs } from './usage.ts';

/** The Graph error envelope (reference §5.1); only message, type, code and fbtrace_id are always present. */
export const graphErrorBody = z.object({
  error: z.object({
    message: z.string().default(''),
    type: z.string().optional(),
    code: z.number(),
    error_subcode: z.number().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    is_transient: z.boolean().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** Why a token stopped working, by error 190 subcode (reference §5.2). */
const TOKEN_REASONS: Record<number, { reason: string; userMessage: string }> = {
  458: {
    reason: 'app_removed',
    userMessage: 'Tether was removed from your Facebook account. Connect the account again.',
  },
  459: {
    reason: 'user_checkpointed',
    userMessage: 'Facebook needs you to log in at facebook.com and follow its instructions, then connect again.',
  },
  460: { reason: 'password_changed', userMessage: 'Your Facebook password changed. Connect the account again.' },
  463: { reason: 'token_expired', userMessage: 'The connection expired. Connect the account again.' },
  464: {
    reason: 'unconfirmed_user',
    userMessage: 'Confirm your Facebook account at facebook.com, then connect again.',
  },
  467: { reason: 'logged_out', userMessage: 'You were logged out of Facebook. Connect the account again.' },
  492: {
    reason: 'lost_page_role',
    userMessage: 'You no longer have a role on the Facebook Page. Ask a Page admin to restore it, then connect again.',
  },
};

/** The reason for an invalid token by its 190 subcode, shared by error responses and debug_token. */
export const tokenReason = (subcode: number | undefined): string =>
  (subcode === undefined ? undefined : TOKEN_REASONS[subcode]?.reason) ?? 'invalid_token';

/** Throttling codes: whose limit it is and the default wait when Meta gives no estimate. */
const RATE_LIMITS: Record<number, { scope: RateLimitedError['scope']; defaultWaitMs: number }> = {
  4: { scope: 'app', defaultWaitMs: 5 * 60_000 },
  17: { scope: 'user', defaultWaitMs: 5 * 60_000 },
  32: { scope: 'page', defaultWaitMs: 5 * 60_000 },
  341: { scope: 'app', defaultWaitMs: 15 * 60_000 },
  613: { scope: 'other', defaultWaitMs: 5 * 60_000 },
  80001: { scope: 'page', defaultWaitMs: 5 * 60_000 },
  80002: { scope: 'instagram', defaultWaitMs: 5 * 60_000 },
};
const isBusinessUseCaseLimit = (code: number) => code >= 80000 && code <= 80014;

/** Instagram publishing subcodes that are temporary (reference §4.7): retry, possibly with a new container. */
const TRANSIENT_SUBCODES = new Set([2207001, 2207003, 2207008, 2207027, 2207032, 2207053]);

const REJECTED_MESSAGES: Record<number, string> = {
  2207004: 'The image is larger than 8 MB. Use a smaller JPEG.',
  2207005: 'The image format is not supported. Instagram accepts JPEG images.',
  2207009: 'The aspect ratio is not supported. Use an image between 4:5 and 1.91:1.',
  2207010: 'The caption is too long. Instagram allows 2,200 characters.',
  2207020: 'The uploaded media expired before it was published. Publish it again.',
  2207026: 'The video format is not supported. Use an MP4 or MOV with H.264 or HEVC video.',
  2207028: 'A carousel needs between 2 and 10 items.',
  2207042: 'The account reached its daily publishing limit. Try again tomorrow.',
  2207050: 'The Instagram account is restricted or inactive. Check it in the Instagram app.',
  2207051: 'Instagram blocked this action as possible spam. Wait before posting again.',
  2207052: 'Instagram could not download the media. Check that its URL is public.',
};

/** Refusals known by their code alone (Pages publishing, reference §5.2 and §7.2). */
const REJECTED_CODES: Record<number, { reason: string; userMessage: string }> = {
  324: {
    reason: 'invalid_media',
    userMessage:
      'Facebook could not use the photo. It must be a JPEG, PNG, GIF, BMP or TIFF smaller than 10 MB, reachable at its public URL.',
  },
  368: {
    reason: 'policy_block',
    userMessage: 'Meta temporarily blocked this account from posting for a policy reason.',
  },
  506: {
    reason: 'duplicate',
    userMessage:
      'Facebook refused this post as a duplicate of one the Page published recently. Change the text, then publish again.',
  },
};

export interface GraphErrorInput {
  provider: string;
  status: number;
  body: unknown;
  usage?: GraphUsage;
}

/** Classifies a failed Graph response (DESIGN §5 table). Pure; every branch has a fixture test. */
export function parseGraphError({ provider, status, body, usage }: GraphErrorInput): ProviderError {
  const parsed = graphErrorBody.safeParse(body);
  if (!parsed.success) {
    const common = { provider, code: `http:${status}`, status, detail: 'response without a Graph error body' };
    return status >= 500 || status === 0
      ? new TransientError({
          ...common,
          reason: 'server_error',
          userMessage: 'Meta is not answering right now; Tether will retry.',
        })
      : new RejectedError({ ...common, reason: 'unexpected_response', userMessage: 'Meta refused the request.' });
  }
  const {
    code,
    error_subcode: subcode,
    is_transient: isTransient,
    error_user_msg: userMsg,
    message,
  } = parsed.data.error;
  const common = {
    provider,
    code: subcode === undefined ? `graph:${code}` : `graph:${code}/${subcode}`,
    status,
    detail: message,
  };

  if (code === 190 || code === 102) {
    const known = subcode === undefined ? undefined : TOKEN_REASONS[subcode];
    return new ReauthRequiredError({
      ...common,
      reason: known?.reason ?? 'invalid_token',
      userMessage: known?.userMessage ?? 'The connection is no longer valid. Connect the account again.',
    });
  }
  if (code === 10 || (code >= 200 && code <= 299)) {
    return new ReauthRequiredError({
      ...common,
      reason: 'missing_permission',
      userMessage: 'Tether is missing a permission for this account. Connect it again and allow every permission.',
    });
  }
  const limit =
    RATE_LIMITS[code] ??
    (isBusinessUseCaseLimit(code) ? { scope: 'other' as const, defaultWaitMs: 5 * 60_000 } : undefined);
  if (limit) {
    const estimated = usage ? regainAccessMs(usage) : 0;
    return new RateLimitedError({
      ...common,
      reason: 'rate_limited',
      userMessage: 'Meta asked Tether to slow down; it will try again shortly.',
      scope: limit.scope,
      retryAfterMs: Math.max(estimated, limit.defaultWaitMs),
    });
  }
  if (subcode !== undefined && TRANSIENT_SUBCODES.has(subcode)) {
    return new TransientError({
      ...common,
      reason: 'temporary_failure',
      userMessage: 'Instagram had a temporary problem; Tether will retry.',
    });
  }
  if (code === 1 || code === 2 || isTransient === true || status >= 500) {
    return new TransientError({
      ...common,
      reason: 'temporary_failure',
      userMessage: 'Meta had a temporary problem; Tether will retry.',
    });
  }
  const known = subcode === undefined ? undefined : REJECTED_MESSAGES[subcode];
  const byCode = REJECTED_CODES[code];
  return new RejectedError({
    ...common,
    reason: byCode?.reason ?? (subcode === 2207042 ? 'quota_exceeded' : 'rejected'),
    userMessage: known ?? userMsg ?? byCode?.userMessage ?? 'Meta refused the request.',
  });
}
