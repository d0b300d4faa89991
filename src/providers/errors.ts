/**
 * How every provider failure is classified (DESIGN §5). Classification uses structured fields
 * only (HTTP status, platform error codes, OAuth `error`), never message text. Each kind tells the
 * caller what to do: reconnect, wait, retry with backoff, or give up on this item.
 */
export type ProviderErrorKind = 'reauth_required' | 'rate_limited' | 'transient' | 'rejected';

export interface ProviderErrorInput {
  provider: string;
  /** Stable, provider-qualified code for logs and metrics, e.g. `graph:190/463`, `oauth:invalid_grant`. */
  code: string;
  /** A short machine-readable reason, e.g. `token_expired`, `password_changed`, `quota_exceeded`. */
  reason: string;
  /** Safe to show to the user: says what happened and what to do. */
  userMessage: string;
  /** The platform's own message, for logs only. */
  detail?: string;
  status?: number;
}

export abstract class ProviderError extends Error {
  abstract readonly kind: ProviderErrorKind;
  readonly provider: string;
  readonly code: string;
  readonly reason: string;
  readonly userMessage: string;
  readonly status?: number;

  constructor(input: ProviderErrorInput) {
    super(input.detail ? `${input.code} ${input.reason}: ${input.detail}` : `${input.code} ${input.reason}`);
    this.provider = input.provider;
    this.code = input.code;
    this.reason = input.reason;
    this.userMessage = input.userMessage;
    this.status = input.status;
  }
}

/** The connection cannot be used until the user connects again (expired, revoked, missing permission). */
export class ReauthRequiredError extends ProviderError {
  override name = 'ReauthRequiredError';
  readonly kind = 'reauth_required';
}

/** A platform limit was hit; try again after `retryAfterMs`. */
export class RateLimitedError extends ProviderError {
  override name = 'RateLimitedError';
  readonly kind = 'rate_limited';
  readonly retryAfterMs: number;
  /** Whose limit: the whole app, one user, one Page, one Instagram account... */
  readonly scope: 'app' | 'user' | 'page' | 'instagram' | 'member' | 'other';

  constructor(input: ProviderErrorInput & { retryAfterMs: number; scope: RateLimitedError['scope'] }) {
    super(input);
    this.retryAfterMs = input.retryAfterMs;
    this.scope = input.scope;
  }
}

/**
 * A call Tether held back itself, before sending it, because Meta's usage headers put the app or
 * account above the throttle threshold (`meta-graph/throttle.ts`): wait `retryAfterMs` and try
 * again. Nothing reached the platform, so a job does not count it as a failed attempt.
 */
export class ThrottledError extends RateLimitedError {
  override name = 'ThrottledError';
}

/** A temporary failure (5xx, timeout, "try again"): retry with bounded exponential backoff. */
export class TransientError extends ProviderError {
  override name = 'TransientError';
  readonly kind = 'transient';
}

/** The platform refused this request for good (bad media, too long, duplicate, policy): do not retry it. */
export class RejectedError extends ProviderError {
  override name = 'RejectedError';
  readonly kind = 'rejected';
}
