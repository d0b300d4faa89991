import { and, eq, notInArray } from 'drizzle-orm';
import type { TargetStatus } from '../../contracts/posts.ts';
import { connectedAccounts, notifications, posts, postTargets } from '../db/schema/index.ts';
import type { ConnectDeps } from './connect-account.ts';
import { accountName } from './notifications.ts';
import { queueWebhookEvent } from './webhooks.ts';

/**
 * States a target does not leave by itself. Only a target outside them can be published or
 * failed, so each outcome is recorded (and told) once; a retry moves a failed target back to
 * `scheduled`, and its next outcome is a new one.
 */
const FINAL: TargetStatus[] = ['published', 'failed', 'canceled'];

const CAPTION_EXCERPT = 60;

/** The first line of a caption, shortened for a notification. */
function excerpt(caption: string): string {
  const line = caption.trim().split('\n')[0] ?? '';
  return line.length > CAPTION_EXCERPT ? `${line.slice(0, CAPTION_EXCERPT - 1).trimEnd()}…` : line;
}

type Outcome =
  | { status: 'published'; remoteId: string | null; permalink: string | null; publishedAt?: Date }
  | { status: 'failed'; code: string; message: string; attempts?: number };

/**
 * Moves a target to its outcome and, in the same transaction, writes the in-app notification and
 * queues the `post.published` / `post.failed` webhook deliveries. Does nothing (and returns
 * false) when the target is already in a final state.
 */
async function finish(deps: ConnectDeps, targetId: string, outcome: Outcome): Promise<boolean> {
  const values =
    outcome.status === 'published'
      ? {
          status: outcome.status,
          remoteId: outcome.remoteId,
          permalink: outcome.permalink,
          publishedAt: outcome.publishedAt ?? new Date(deps.now()),
          errorCode: null,
          errorMessage: null,
        }
      : {
          status: outcome.status,
          errorCode: outcome.code,
          errorMessage: outcome.message,
          ...(outcome.attempts === undefined ? {} : { attempts: outcome.attempts }),
        };
  return deps.db.transaction(async (tx) => {
    const [target] = await tx
      .update(postTargets)
      .set(values)
      .where(and(eq(postTargets.id, targetId), notInArray(postTargets.status, FINAL)))
      .returning();
    if (!target) return false;
    const [found] = await tx
      .select({
        post: { userId: posts.userId, caption: posts.caption, scheduledAt: posts.scheduledAt },
        account: {
          id: connectedAccounts.id,
          provider: connectedAccounts.provider,
          username: connectedAccounts.username,
          displayName: connectedAccounts.displayName,
        },
      })
      .from(posts)
      .innerJoin(connectedAccounts, eq(connectedAccounts.id, target.accountId))
      .where(eq(posts.id, target.postId));
    if (!found) throw new Error(`target ${target.id} has no post or account`);
    const { post, account } = found;
    const caption = excerpt(post.caption);
    const text =
      outcome.status === 'published'
        ? {
            title: `Published to ${accountName(account)}`,
            body: caption ? `“${caption}” is live.` : 'Your post is live.',
          }
        : { title: `Could not publish to ${accountName(account)}`, body: outcome.message };
    const kind = outcome.status === 'published' ? 'post.published' : 'post.failed';
    await tx
      .insert(notifications)
      .values({ userId: post.userId, accountId: account.id, postId: target.postId, kind, ...text });
    await queueWebhookEvent(
      { tx, boss: deps.boss },
      {
        userId: post.userId,
        type: kind,
        data: {
          post: { id: target.postId, scheduledAt: post.scheduledAt.toISOString() },
          target: {
            id: target.id,
            kind: target.kind,
            status: target.status,
            attempts: target.attempts,
            ...(outcome.status === 'published'
              ? {
                  publishedAt: target.publishedAt?.toISOString() ?? null,
                  remoteId: target.remoteId,
                  permalink: target.permalink,
                }
              : { error: { code: outcome.code, message: outcome.message } }),
          },
          account,
        },
      },
    );
    return true;
  });
}

/** Records a target as published (with the platform's id and link), its notification and webhook event. */
export function markPublished(
  deps: ConnectDeps,
  targetId: string,
  result: { remoteId: string | null; permalink: string | null; publishedAt?: Date },
): Promise<boolean> {
  return finish(deps, targetId, { status: 'published', ...result });
}

/**
 * Records a target as failed for good (not a failure that will be retried), its notification and
 * webhook event. `attempts`, when given, is stored with it.
 */
export function markFailed(
  deps: ConnectDeps,
  targetId: string,
  failure: { code: string; message: string; attempts?: number },
): Promise<boolean> {
  return finish(deps, targetId, { status: 'failed', ...failure });
}
