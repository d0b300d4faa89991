import { z } from 'zod';
import { providerId } from './connected-accounts.ts';

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

export const POST_CAPTION_MAX = 10_000;
export const POST_TARGETS_MAX = 20;
/** A bound on the request; each platform's own limit (Instagram carousels: 10) is checked per target. */
export const POST_MEDIA_MAX = 20;

export const createPostBody = z.object({
  caption: z.string().max(POST_CAPTION_MAX).default(''),
  mediaIds: z.array(z.uuid()).max(POST_MEDIA_MAX).default([]).describe('In the order they appear (a carousel order).'),
  targets: z
    .array(
      z.object({
        accountId: z.uuid(),
        kind: z.enum(POST_KINDS).default('feed').describe('How the post appears on this account.'),
      }),
    )
    .min(1, 'choose at least one account')
    .max(POST_TARGETS_MAX),
  scheduledAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('When to publish (ISO 8601 with a time zone); now when left out.'),
});
export type CreatePostBody = z.input<typeof createPostBody>;

export const postProblem = z.object({
  target: z.uuid().optional().describe('The account id of the target it is about; absent for the post as a whole.'),
  code: z.string(),
  message: z.string(),
});
export type PostProblem = z.infer<typeof postProblem>;

export const postValidation = z
  .object({ problems: z.array(postProblem).describe('Empty when the post can be published as it is.') })
  .meta({ id: 'PostValidation' });
export type PostValidation = z.infer<typeof postValidation>;

export const postTarget = z
  .object({
    id: z.uuid(),
    accountId: z.uuid(),
    provider: providerId,
    username: z.string().nullable(),
    displayName: z.string().nullable(),
    kind: z.enum(POST_KINDS),
    status: z.enum(TARGET_STATUSES),
    permalink: z.string().nullable(),
    remoteId: z.string().nullable(),
    attempts: z.number().int(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    publishedAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'PostTarget' });
export type PostTarget = z.infer<typeof postTarget>;

export const post = z
  .object({
    id: z.uuid(),
    caption: z.string(),
    mediaIds: z.array(z.uuid()),
    scheduledAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    targets: z.array(postTarget),
  })
  .meta({ id: 'Post' });
export type Post = z.infer<typeof post>;

export const postListQuery = z.object({
  status: z.enum(TARGET_STATUSES).optional().describe('Posts with at least one target in this state.'),
  accountId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Scheduled at or after.'),
  to: z.iso.datetime({ offset: true }).optional().describe('Scheduled before.'),
  order: z
    .enum(['asc', 'desc'])
    .default('desc')
    .describe('By scheduled time: `asc` lists upcoming posts soonest first.'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type PostListQuery = z.input<typeof postListQuery>;

export const postList = z.object({ posts: z.array(post).describe('In the order asked for.') });
export type PostList = z.infer<typeof postList>;
