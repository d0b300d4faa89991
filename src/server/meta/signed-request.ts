import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** How old a signed_request may be; Meta sends callbacks at once, so an old one is a replay. */
export const SIGNED_REQUEST_MAX_AGE_MS = 60 * 60_000;
/** Clock skew tolerated for an `issued_at` in the future. */
const FUTURE_SKEW_MS = 5 * 60_000;

const payloadSchema = z.object({
  algorithm: z.string(),
  issued_at: z.number().int().nonnegative(),
  user_id: z.union([z.string().min(1), z.number().int()]).transform(String),
});

export type SignedRequestFailure = 'malformed' | 'bad_signature' | 'bad_algorithm' | 'expired';

export type SignedRequestResult =
  | { ok: true; userId: string; issuedAt: Date; appId: string }
  | { ok: false; reason: SignedRequestFailure };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Verifies a Meta `signed_request` (`<signature>.<payload>`, both base64url): the signature is an
 * HMAC-SHA256 of the payload segment as received, compared in constant time, under one of the
 * given app secrets (Facebook Login and Instagram Login apps have their own); the algorithm must
 * be HMAC-SHA256 and `issued_at` recent. Pure; says which app signed it.
 */
export function verifySignedRequest(
  value: string,
  apps: ReadonlyArray<{ appId: string; secret: string }>,
  now: number,
): SignedRequestResult {
  const [signature, payload, ...rest] = value.split('.');
  if (!signature || !payload || rest.length > 0 || !BASE64URL.test(signature) || !BASE64URL.test(payload))
    return { ok: false, reason: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  const app = apps.find(({ secret }) => {
    const expected = createHmac('sha256', secret).update(payload).digest();
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!app) return { ok: false, reason: 'bad_signature' };

  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = payloadSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (parsed.data.algorithm.toUpperCase() !== 'HMAC-SHA256') return { ok: false, reason: 'bad_algorithm' };
  const issuedAt = parsed.data.issued_at * 1000;
  if (issuedAt < now - SIGNED_REQUEST_MAX_AGE_MS || issuedAt > now + FUTURE_SKEW_MS)
    return { ok: false, reason: 'expired' };
  return { ok: true, userId: parsed.data.user_id, issuedAt: new Date(issuedAt), appId: app.appId };
}
