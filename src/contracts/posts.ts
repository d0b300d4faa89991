/** The closed lists of publishing, shared by the API schemas and the database schema. */

/** What a target publishes as. Instagram has all four; other platforms use `feed`. */
export const POST_KINDS = ['feed', 'reel', 'story', 'carousel'] as const;
export type PostKind = (typeof POST_KINDS)[number];

/**
 * One target's state machine: `scheduled → publishing → processing → published`, or `failed` /
 * `canceled`. `publishing` is taken with a compare-and-set before any remote call.
 */
export const TARGET_STATUSES = ['scheduled', 'publishing', 'processing', 'published', 'failed', 'canceled'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export const MEDIA_KINDS = ['image', 'video'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
