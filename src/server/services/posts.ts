import { and, asc, desc, eq, exists, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { z } from 'zod';
import type { CreatePostBody, Post, PostListQuery } from '../../contracts/posts.ts';
import { createPostBody, postListQuery } from '../../contracts/posts.ts';
import type { PublishDraft, Publisher } from '../../providers/types.ts';
import type { Database } from '../db/client.ts';
import { connectedAccounts, media, posts, postTargets } from '../db/schema/index.ts';
import { AppError, type ErrorDetail, notFound } from '../errors.ts';
import { inTransaction } from '../jobs/transactional.ts';
import type { ConnectDeps } from './connect-account.ts';
import { type MediaRow, toMedia } from './media.ts';

/** The queue that publishes one target; its jobs carry the target id as singleton key. */
export const PUBLISH_QUEUE = 'publish-target';

/** A "publish now" or a time this close to now is accepted; anything earlier is a mistake. */
const PAST_TOLERANCE_MS = 5 * 60_000;
const USABLE_STATUSES = new Set(['active', 'expiring']);

/** The user's media among some ids, as a statement prepared once per database (every publish run reads them). */
const prepareFindMedia = (db: Database) =>
  db
    .select()
    .from(media)
    .where(and(eq(media.userId, sql.placeholder('userId')), sql`${media.id} = any(${sql.placeholder('ids')}::uuid[])`))
    .prepare('find_media');
const findMediaStatements = new WeakMap<Database, ReturnType<typeof prepareFindMedia>>();

/** The user's media with these ids, in the order asked; `undefined` for a missing or foreign id. */
async function findMedia(db: Database, userId: string, ids: string[]): Promise<(MediaRow | undefined)[]> {
  if (ids.length === 0) return [];
  let statement = findMediaStatements.get(db);
  if (!statement) {
    statement = prepareFindMedia(db);
    findMediaStatements.set(db, statement);
  }
  const rows = await statement.execute({ userId, ids });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id));
}

const mediaNotFound = (id: string) => `Media ${id} was not found in your library.`;

/** The user's media with these ids, in the order asked; a missing or foreign id is an error. */
export async function loadMedia(db: Database, userId: string, ids: string[]): Promise<MediaRow[]> {
  const rows = await findMedia(db, userId, ids);
  return rows.map((row, index) => {
    if (!row) throw new AppError('POST_INVALID', mediaNotFound(ids[index] ?? ''));
    return row;
  });
}

export interface PostCheck {
  body: z.output<typeof createPostBody>;
  scheduledAt: Date;
  /** Empty when the post can be published as it is. */
  problems: ErrorDetail[];
  /** The targets' accounts that were found. */
  accounts: (typeof connectedAccounts.$inferSelect)[];
}

/**
 * Every reason the post cannot be published as it is, without writing anything: a time in the
 * past, an account listed twice, media not in the user's library, and for each target an account
 * that is missing, cannot be published to or needs reconnecting, or a draft its publisher refuses.
 * Problems about one target name its account id as `target`. `createPost` refuses a post with any;
 * `POST /api/posts/validate` answers them as they are.
 */
export async function validatePost(
  deps: ConnectDeps,
  input: { userId: string; body: CreatePostBody },
): Promise<PostCheck> {
  const body = createPostBody.parse(input.body);
  const now = deps.now();
  const scheduledAt = body.scheduledAt ? new Date(body.scheduledAt) : new Date(now);
  const problems: ErrorDetail[] = [];
  if (scheduledAt.getTime() < now - PAST_TOLERANCE_MS)
    problems.push({
      code: 'SCHEDULED_IN_PAST',
      message: 'The scheduled time is in the past. Pick a time from now on.',
    });
  const accountIds = body.targets.map((target) => target.accountId);
  if (new Set(accountIds).size !== accountIds.length)
    problems.push({ code: 'ACCOUNT_LISTED_TWICE', message: 'An account is listed twice. List each account once.' });

  const accounts = await deps.db
    .select()
    .from(connectedAccounts)
    .where(and(eq(connectedAccounts.userId, input.userId), inArray(connectedAccounts.id, accountIds)));
  const mediaRows = await findMedia(deps.db, input.userId, body.mediaIds);
  body.mediaIds.forEach((id, index) => {
    if (!mediaRows[index]) problems.push({ code: 'MEDIA_NOT_FOUND', message: mediaNotFound(id) });
  });
  // The API's media object carries everything a publisher reads (PublishMedia).
  const publishMedia = mediaRows.flatMap((row) => (row ? [toMedia(deps.publicUrl, row)] : []));

  const seen = new Set<string>();
  for (const target of body.targets) {
    if (seen.has(target.accountId)) continue;
    seen.add(target.accountId);
    const account = accounts.find((row) => row.id === target.accountId);
    const label = target.accountId;
    if (!account) {
      problems.push({ target: label, code: 'ACCOUNT_NOT_FOUND', message: 'This account was not found.' });
      continue;
    }
    const publisher = deps.providers[account.provider]?.publisher;
    if (!publisher) {
      problems.push({
        target: label,
        code: 'CANNOT_PUBLISH',
        message: 'Publishing to this platform is not available.',
      });
      continue;
    }
    if (!USABLE_STATUSES.has(account.status)) {
      problems.push({
        target: label,
        code: 'ACCOUNT_NEEDS_RECONNECT',
        message: 'This account needs to be reconnected before it can be published to.',
      });
      continue;
    }
    const draft: PublishDraft = { kind: target.kind, caption: body.caption, media: publishMedia };
    for (const problem of publisher.validate(draft)) problems.push({ target: label, ...problem });
  }
  problems.push(...sameAccountTwice(accounts));
  return { body, scheduledAt, problems, accounts };
}

/**
 * Validates a post for every target with the target's publisher, then writes the post, its
 * targets and one publish job per target in one transaction: either all of it exists or none.
 */
export async function createPost(
  deps: ConnectDeps,
  boss: PgBoss,
  input: { userId: string; body: CreatePostBody },
): Promise<Post> {
  const { body, scheduledAt, problems, accounts } = await validatePost(deps, input);
  if (problems.length > 0) {
    const summary = problems.length === 1 ? problems[0]?.message : `${problems.length} problems; see the details.`;
    throw new AppError('POST_INVALID', summary, problems);
  }

  const postId = await deps.db.transaction(async (tx) => {
    // Lock the media against a concurrent delete, which checks for posts using them under its own lock.
    if (body.mediaIds.length > 0) {
      const present = await tx
        .select({ id: media.id })
        .from(media)
        .where(and(eq(media.userId, input.userId), inArray(media.id, body.mediaIds)))
        .for('key share');
      if (present.length !== new Set(body.mediaIds).size)
        throw new AppError('POST_INVALID', 'A media file of this post was just deleted. Choose the media again.');
    }
    const [row] = await tx
      .insert(posts)
      .values({ userId: input.userId, caption: body.caption, mediaIds: body.mediaIds, scheduledAt })
      .returning({ id: posts.id });
    if (!row) throw new Error('post insert returned nothing');
    const targets = await tx
      .insert(postTargets)
      .values(body.targets.map((target) => ({ postId: row.id, accountId: target.accountId, kind: target.kind })))
      .returning({ id: postTargets.id, accountId: postTargets.accountId });
    for (const target of targets) {
      const provider = accounts.find((account) => account.id === target.accountId)?.provider;
      const publisher = provider ? deps.providers[provider]?.publisher : undefined;
      await enqueuePublish(boss, tx, target.id, firstRunAt(deps, publisher, scheduledAt));
    }
    return row.id;
  });
  return getPost(deps.db, { userId: input.userId, postId });
}

/**
 * An Instagram account connected through both Facebook Login and Instagram Login is two rows
 * with the same Instagram id: choosing both would publish the post twice.
 */
function sameAccountTwice(accounts: (typeof connectedAccounts.$inferSelect)[]): ErrorDetail[] {
  const instagram = accounts.filter((row) => row.provider === 'instagram' || row.provider === 'instagram_login');
  return instagram
    .filter((row, index) => instagram.findIndex((other) => other.externalId === row.externalId) !== index)
    .map((row) => ({
      target: row.id,
      code: 'SAME_ACCOUNT_TWICE',
      message: `${row.username ? `@${row.username}` : 'This Instagram account'} is chosen twice (through Facebook Login and Instagram Login). Choose it once.`,
    }));
}

/**
 * When a target's first run starts: its time, or for a publisher that prepares ahead, as long
 * before as PUBLISH_PREPARE_AHEAD_MINUTES says (and not before now), so that at the time only
 * the publish call is left.
 */
export function firstRunAt(deps: ConnectDeps, publisher: Publisher | undefined, scheduledAt: Date): Date {
  if (!publisher?.preparesAhead) return scheduledAt;
  return new Date(
    Math.min(scheduledAt.getTime(), Math.max(deps.now(), scheduledAt.getTime() - deps.publishPrepareAheadMs)),
  );
}

/** Queues the publish job of a target (in the caller's transaction), to start at `at`. */
export async function enqueuePublish(boss: PgBoss, tx: Database, targetId: string, at: Date) {
  await boss.send(PUBLISH_QUEUE, { targetId }, { db: inTransaction(tx), singletonKey: targetId, startAfter: at });
}

type TargetRow = typeof postTargets.$inferSelect;
type AccountSummary = Pick<typeof connectedAccounts.$inferSelect, 'provider' | 'username' | 'displayName'>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

function serialize(post: typeof posts.$inferSelect, targets: (TargetRow & AccountSummary)[]): Post {
  return {
    id: post.id,
    caption: post.caption,
    mediaIds: post.mediaIds,
    scheduledAt: post.scheduledAt.toISOString(),
    createdAt: post.createdAt.toISOString(),
    targets: targets.map((target) => ({
      id: target.id,
      accountId: target.accountId,
      provider: target.provider,
      username: target.username,
      displayName: target.displayName,
      kind: target.kind,
      status: target.status,
      permalink: target.permalink,
      remoteId: target.remoteId,
      attempts: target.attempts,
      error: target.errorCode && target.errorMessage ? { code: target.errorCode, message: target.errorMessage } : null,
      publishedAt: iso(target.publishedAt),
      updatedAt: target.updatedAt.toISOString(),
    })),
  };
}

async function targetsOf(db: Database, postIds: string[]) {
  if (postIds.length === 0) return [];
  return db
    .select({
      target: postTargets,
      provider: connectedAccounts.provider,
      username: connectedAccounts.username,
      displayName: connectedAccounts.displayName,
    })
    .from(postTargets)
    .innerJoin(connectedAccounts, eq(connectedAccounts.id, postTargets.accountId))
    .where(inArray(postTargets.postId, postIds))
    .orderBy(postTargets.createdAt, postTargets.id);
}

async function withTargets(db: Database, rows: (typeof posts.$inferSelect)[]): Promise<Post[]> {
  const targets = await targetsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) =>
    serialize(
      row,
      targets
        .filter((item) => item.target.postId === row.id)
        .map((item) => ({
          ...item.target,
          provider: item.provider,
          username: item.username,
          displayName: item.displayName,
        })),
    ),
  );
}

export async function getPost(db: Database, input: { userId: string; postId: string }): Promise<Post> {
  const [row] = await db
    .select()
    .from(posts)
    .where(and(eq(posts.id, input.postId), eq(posts.userId, input.userId)));
  if (!row) throw notFound('The post');
  const [post] = await withTargets(db, [row]);
  if (!post) throw notFound('The post');
  return post;
}

export async function listPosts(db: Database, input: { userId: string; query: PostListQuery }): Promise<Post[]> {
  const query = postListQuery.parse(input.query);
  const targetFilter: SQL[] = [eq(postTargets.postId, posts.id)];
  if (query.status) targetFilter.push(eq(postTargets.status, query.status));
  if (query.accountId) targetFilter.push(eq(postTargets.accountId, query.accountId));
  const rows = await db
    .select()
    .from(posts)
    .where(
      and(
        eq(posts.userId, input.userId),
        query.from ? gte(posts.scheduledAt, new Date(query.from)) : undefined,
        query.to ? lt(posts.scheduledAt, new Date(query.to)) : undefined,
        query.status || query.accountId
          ? exists(
              db
                .select({ id: postTargets.id })
                .from(postTargets)
                .where(and(...targetFilter)),
            )
          : undefined,
      ),
    )
    .orderBy(
      ...(query.order === 'asc' ? [asc(posts.scheduledAt), asc(posts.id)] : [desc(posts.scheduledAt), desc(posts.id)]),
    )
    .limit(query.limit);
  return withTargets(db, rows);
}

/**
 * Cancels the targets that have not started publishing. Targets already publishing finish; a
 * post with nothing left to cancel is POST_NOT_CANCELABLE.
 */
export async function cancelPost(db: Database, input: { userId: string; postId: string }): Promise<Post> {
  const post = await getPost(db, input);
  const canceled = await db
    .update(postTargets)
    .set({ status: 'canceled' })
    .where(and(eq(postTargets.postId, post.id), eq(postTargets.status, 'scheduled')))
    .returning({ id: postTargets.id });
  if (canceled.length === 0) throw new AppError('POST_NOT_CANCELABLE');
  return getPost(db, input);
}

/**
 * Publishes a failed target again from the start (new containers). The earlier attempt either
 * failed before the publish call or was confirmed unpublished, so this cannot publish twice.
 */
export async function retryTarget(
  deps: ConnectDeps,
  boss: PgBoss,
  input: { userId: string; postId: string; targetId: string },
): Promise<Post> {
  const post = await getPost(deps.db, input);
  if (!post.targets.some((target) => target.id === input.targetId)) throw notFound('The post target');
  const retried = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(postTargets)
      .set({
        status: 'scheduled',
        errorCode: null,
        errorMessage: null,
        containerId: null,
        childContainerIds: null,
        preparedAt: null,
        publishRequestedAt: null,
        attempts: 0,
      })
      .where(and(eq(postTargets.id, input.targetId), eq(postTargets.status, 'failed')))
      .returning({ id: postTargets.id });
    if (row) await enqueuePublish(boss, tx, row.id, new Date(deps.now()));
    return Boolean(row);
  });
  if (!retried) throw new AppError('TARGET_NOT_RETRYABLE');
  return getPost(deps.db, input);
}
