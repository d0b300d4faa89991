import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import {
  ProviderError,
  RateLimitedError,
  ReauthRequiredError,
  ThrottledError,
  TransientError,
} from '../../providers/errors.ts';
import type { Publisher, PublishInput, RemoteState } from '../../providers/types.ts';
import type { Database } from '../db/client.ts';
import { connectedAccounts, posts, postTargets } from '../db/schema/index.ts';
import { addLogContext } from '../log-context.ts';
import type { PublishOutcome } from '../metrics.ts';
import type { ConnectDeps } from './connect-account.ts';
import { refreshIfDue } from './keep-alive.ts';
import { recordInspection } from './manage-account.ts';
import { toMedia } from './media.ts';
import { markFailed, markPublished } from './post-events.ts';
import { enqueuePublish, loadMedia } from './posts.ts';

/** The failure and polling policy of publishing, as named constants. */
export const PUBLISHING = {
  /** Checks of a processing upload: every few seconds at first, then less often, as long as it has taken / 10. */
  pollMinMs: 3_000,
  pollMaxMs: 60_000,
  /** Transient failures and rate limits: exponential backoff from retryMinMs, within retryMaxMs. */
  retryMinMs: 15_000,
  retryMaxMs: 30 * 60_000,
  jitter: 0.1,
  /** Failed runs of one target before it is given up as failed. */
  maxAttempts: 8,
} as const;

/** The error code of a target held back because its account must be reconnected first. */
export const PAUSED_FOR_RECONNECT = 'ACCOUNT_NEEDS_RECONNECT';

/**
 * The error code of a target whose publish call was sent but never answered, on a platform that
 * cannot say afterwards whether it went through (no `confirm`). Tether does not guess: the user
 * checks the account and retries if the post is not there.
 */
export const PUBLISH_UNCONFIRMED = 'PUBLISH_UNCONFIRMED';

type TargetRow = typeof postTargets.$inferSelect;

/** Counts how a run of a publish job ended. */
function countRun(deps: ConnectDeps, provider: string, outcome: PublishOutcome, errorKind = 'none') {
  deps.metrics?.publishAttempts.inc({ provider, outcome, error_kind: errorKind });
}

const withJitter = (ms: number, random: () => number) => Math.round(ms * (1 + PUBLISHING.jitter * (2 * random() - 1)));

/** How long to wait before the next try after `attempts` failed runs. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(PUBLISHING.retryMaxMs, PUBLISHING.retryMinMs * 2 ** Math.max(0, attempts - 1));
  return withJitter(base, random);
}

/** How long to wait before checking a processing upload again, given how long publishing has taken. */
export function pollDelayMs(elapsedMs: number): number {
  return Math.min(PUBLISHING.pollMaxMs, Math.max(PUBLISHING.pollMinMs, Math.round(elapsedMs / 10)));
}

const remoteOf = (target: TargetRow): RemoteState => ({
  containerId: target.containerId,
  childContainerIds: target.childContainerIds ?? [],
});

/** Account states a post can be published with. */
const USABLE_STATUSES = new Set(['active', 'expiring']);
/** Target states a run still has work in. */
const RUNNABLE_STATUSES = new Set(['scheduled', 'publishing', 'processing']);

type AccountRow = typeof connectedAccounts.$inferSelect;
type PostRow = typeof posts.$inferSelect;

/**
 * The queries every run makes, built once per database and sent as prepared statements: drizzle
 * builds a query's SQL on every call, which cost a run more CPU than anything else it does.
 * `updatedAt` is set in SQL, since a prepared statement would keep the time it was built at.
 */
function prepareQueries(db: Database) {
  const id = sql.placeholder('id');
  // Values to set are parameters in SQL; times travel as ISO strings.
  const text = (name: string) => sql<string | null>`${sql.placeholder(name)}`;
  const time = (name: string) => sql<Date>`${sql.placeholder(name)}::timestamptz`;
  const requestPublish = (condition: SQL, name: string) =>
    db
      .update(postTargets)
      .set({ publishRequestedAt: time('at'), updatedAt: sql`now()` })
      .where(and(eq(postTargets.id, id), condition))
      .returning({ id: postTargets.id })
      .prepare(name);
  return {
    /** The target with its post and account. */
    load: db
      .select({ target: postTargets, post: posts, account: connectedAccounts })
      .from(postTargets)
      .innerJoin(posts, eq(posts.id, postTargets.postId))
      .innerJoin(connectedAccounts, eq(connectedAccounts.id, postTargets.accountId))
      .where(eq(postTargets.id, id))
      .prepare('publish_load_target'),
    /** Claims a scheduled target (compare-and-set). */
    claim: db
      .update(postTargets)
      .set({ status: 'publishing', updatedAt: sql`now()` })
      .where(and(eq(postTargets.id, id), eq(postTargets.status, 'scheduled')))
      .returning()
      .prepare('publish_claim_target'),
    /** Sets `publish_requested_at` if nobody requested the publish yet, or only the request this run saw. */
    requestFirst: requestPublish(isNull(postTargets.publishRequestedAt), 'publish_request_first'),
    requestAgain: requestPublish(eq(postTargets.publishRequestedAt, time('previous')), 'publish_request_again'),
    storeRemoteId: db
      .update(postTargets)
      .set({ remoteId: text('remoteId'), updatedAt: sql`now()` })
      .where(eq(postTargets.id, id))
      .prepare('publish_store_remote_id'),
  };
}

const preparedQueries = new WeakMap<Database, ReturnType<typeof prepareQueries>>();

function queries(db: Database) {
  let prepared = preparedQueries.get(db);
  if (!prepared) {
    prepared = prepareQueries(db);
    preparedQueries.set(db, prepared);
  }
  return prepared;
}

/** What the publisher needs: the account's token (a Page token first), the draft and the remote ids so far. */
async function publishInput(
  deps: ConnectDeps,
  { post, account, target }: { post: PostRow; account: AccountRow; target: TargetRow },
): Promise<PublishInput | undefined> {
  const [token, mediaRows] = await Promise.all([
    deps.vault.readFirst(deps.db, account.id, ['page_access', 'user_access']),
    loadMedia(deps.db, post.userId, post.mediaIds),
  ]);
  if (!token) return undefined;
  return {
    externalId: account.externalId,
    token,
    draft: {
      kind: target.kind,
      caption: post.caption,
      media: mediaRows.map((row) => toMedia(deps.publicUrl, row)),
    },
    remote: remoteOf(target),
  };
}

/**
 * Moves one target as far as it can go now. Before the post's time it prepares ahead where the
 * publisher can (`prepareAhead`) and queues the run at the time. At the time it claims the
 * target, refreshes the account's token if due, prepares the platform's containers unless they
 * were prepared ahead (storing each id as soon as it is known), waits for processing by
 * rescheduling itself, then publishes exactly once: `publish_requested_at` is set with a
 * compare-and-set and committed before the publish call, and a run that finds it set asks the
 * platform whether the post went out instead of publishing again.
 */
export async function runTarget(deps: ConnectDeps, boss: PgBoss, targetId: string): Promise<void> {
  const [loaded] = await queries(deps.db).load.execute({ id: targetId });
  if (!loaded || !RUNNABLE_STATUSES.has(loaded.target.status)) return;
  const { post } = loaded;
  let { target, account } = loaded;
  addLogContext({ targetId, postId: post.id, accountId: account.id });
  const publisher = deps.providers[account.provider]?.publisher;

  if (target.status === 'scheduled' && deps.now() < post.scheduledAt.getTime()) {
    if (publisher?.preparesAhead && !(await prepareAhead(deps, boss, { target, post, account, publisher }))) return;
    await enqueuePublish(boss, deps.db, target.id, post.scheduledAt);
    return;
  }
  if (target.status === 'scheduled') {
    const [claimed] = await queries(deps.db).claim.execute({ id: targetId });
    if (!claimed) return;
    target = claimed;
  }
  if (!publisher) {
    await fail(deps, target, 'CANNOT_PUBLISH', 'Publishing to this platform is not configured.');
    countRun(deps, account.provider, 'failed', 'not_configured');
    return;
  }

  // The account's health and token are checked again right before publishing, prepared or not.
  if (await refreshIfDue(deps, account)) {
    const [current] = await deps.db.select().from(connectedAccounts).where(eq(connectedAccounts.id, account.id));
    if (!current) return;
    account = current;
  }
  const input = USABLE_STATUSES.has(account.status) ? await publishInput(deps, { post, account, target }) : undefined;
  if (!input) {
    await pause(deps.db, target);
    countRun(deps, account.provider, 'paused_for_reconnect');
    return;
  }

  if (target.publishRequestedAt && !publisher.confirm) {
    await failUnconfirmed(deps, target, account.provider);
    return;
  }
  let requested = false;
  // Uploads prepared ahead were ready then: the first publish of them does not ask again.
  const preparedAhead = Boolean(target.preparedAt);
  const checkReadiness = !preparedAhead || Boolean(target.publishRequestedAt);
  try {
    if (target.publishRequestedAt && publisher.confirm) {
      const outcome = await publisher.confirm(input);
      if (outcome.published) {
        deps.log.info('an interrupted publish call had gone through');
        return await published(deps, publisher, input, target, outcome.remoteId ?? target.remoteId, account.provider);
      }
    }
    while (checkReadiness) {
      const step = await publisher.prepare(input);
      if (step.step === 'ready') break;
      if (step.step === 'wait') {
        await update(deps.db, target, { status: 'processing' });
        const at = new Date(deps.now() + pollDelayMs(deps.now() - post.scheduledAt.getTime()));
        await enqueuePublish(boss, deps.db, target.id, at);
        return;
      }
      input.remote = step.remote;
      await update(deps.db, target, {
        containerId: step.remote.containerId,
        childContainerIds: step.remote.childContainerIds,
      });
    }
    // The one call that must not be made twice: claim it in a committed write first.
    const at = new Date(deps.now()).toISOString();
    const [claimedRequest] = target.publishRequestedAt
      ? await queries(deps.db).requestAgain.execute({
          id: target.id,
          at,
          previous: target.publishRequestedAt.toISOString(),
        })
      : await queries(deps.db).requestFirst.execute({ id: target.id, at });
    if (!claimedRequest) return;
    requested = true;
    const { remoteId } = await publisher.publish(input);
    await published(deps, publisher, input, target, remoteId, account.provider);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    if (requested && !publisher.confirm) {
      // A refusal or a rate limit means nothing was posted; anything else may have been.
      if (error.kind === 'transient') {
        await failUnconfirmed(deps, target, account.provider);
        return;
      }
      await update(deps.db, target, { publishRequestedAt: null });
    }
    let failure = error;
    try {
      if (await publishedAfterAll(deps, publisher, input, target, error, account.provider)) return;
    } catch (confirmError) {
      // The platform cannot say right now: retry later rather than fail a post that may be out.
      if (!(confirmError instanceof ProviderError)) throw confirmError;
      failure = confirmError;
    }
    if (preparedAhead && failure === error && error.kind === 'rejected') {
      // Uploads prepared ahead, refused now (expired, or failed since) and not published: start over
      // with new ones. Once: those are prepared now, and a refusal of them fails the target.
      deps.log.info({ errorCode: error.code }, 'uploads prepared ahead were refused; preparing them again');
      await update(deps.db, target, {
        containerId: null,
        childContainerIds: null,
        preparedAt: null,
        publishRequestedAt: null,
      });
      await enqueuePublish(boss, deps.db, target.id, new Date(deps.now()));
      countRun(deps, account.provider, 'retried', error.kind);
      return;
    }
    await handleFailure(deps, boss, { target, account, error: failure });
  }
}

/**
 * A run before the post's time, for a publisher whose uploads keep: prepares them while the
 * target stays `scheduled`, so it can still be canceled. Each remote id is stored only while the
 * target is still scheduled, and the time the uploads were ready is recorded, so the run at the
 * post's time only publishes. Answers whether that run is still to be queued (not when this run
 * queued a later check of its own, failed, or found the target canceled).
 */
async function prepareAhead(
  deps: ConnectDeps,
  boss: PgBoss,
  { target, post, account, publisher }: { target: TargetRow; post: PostRow; account: AccountRow; publisher: Publisher },
): Promise<boolean> {
  // Already prepared, or mid-publish, or an account to reconnect: the run at the time deals with it.
  if (target.preparedAt || target.publishRequestedAt || !USABLE_STATUSES.has(account.status)) return true;
  const input = await publishInput(deps, { post, account, target });
  if (!input) return true;
  const stillScheduled = and(eq(postTargets.id, target.id), eq(postTargets.status, 'scheduled'));
  try {
    for (;;) {
      const step = await publisher.prepare(input);
      if (step.step === 'ready') {
        await deps.db
          .update(postTargets)
          .set({ preparedAt: new Date(deps.now()) })
          .where(stillScheduled);
        return true;
      }
      if (step.step === 'wait') {
        const since = Math.max(post.createdAt.getTime(), post.scheduledAt.getTime() - deps.publishPrepareAheadMs);
        const at = Math.min(post.scheduledAt.getTime(), deps.now() + pollDelayMs(deps.now() - since));
        await enqueuePublish(boss, deps.db, target.id, new Date(at));
        return false;
      }
      input.remote = step.remote;
      const [stored] = await deps.db
        .update(postTargets)
        .set({ containerId: step.remote.containerId, childContainerIds: step.remote.childContainerIds })
        .where(stillScheduled)
        .returning({ id: postTargets.id });
      // Canceled meanwhile: what was uploaded is never published, and the platform discards it.
      if (!stored) return false;
    }
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    await handleFailure(deps, boss, { target, account, error });
    return false;
  }
}

/**
 * A refusal after the publish call was requested may mean an earlier call went through (the
 * platform refuses to publish a container twice). Before failing the target, which would let
 * the user retry with a new upload and post twice, ask the platform once more.
 */
async function publishedAfterAll(
  deps: ConnectDeps,
  publisher: Publisher,
  input: PublishInput,
  target: TargetRow,
  error: ProviderError,
  provider: string,
): Promise<boolean> {
  if (error.kind !== 'rejected' || !publisher.confirm) return false;
  const [current] = await deps.db
    .select({ publishRequestedAt: postTargets.publishRequestedAt })
    .from(postTargets)
    .where(eq(postTargets.id, target.id));
  if (!current?.publishRequestedAt) return false;
  const outcome = await publisher.confirm(input);
  if (!outcome.published) return false;
  await published(deps, publisher, input, target, outcome.remoteId ?? target.remoteId, provider);
  return true;
}

function update(db: Database, target: TargetRow, values: Partial<typeof postTargets.$inferInsert>) {
  return db.update(postTargets).set(values).where(eq(postTargets.id, target.id));
}

/**
 * Records a published target: its id as soon as it is known, then the permalink and the state
 * together, with the time the platform answered the publish call.
 */
async function published(
  deps: ConnectDeps,
  publisher: Publisher,
  input: PublishInput,
  target: TargetRow,
  remoteId: string | null,
  provider: string,
) {
  // The time the platform answered: the permalink lookup below does not count against it.
  const publishedAt = new Date(deps.now());
  let permalink: string | null = null;
  if (remoteId) {
    await queries(deps.db).storeRemoteId.execute({ id: target.id, remoteId });
    try {
      permalink = await publisher.permalink({ ...input, remoteId });
    } catch (error) {
      // The post is out; only its link is missing. Never turn a published target into a failure.
      if (!(error instanceof ProviderError)) throw error;
      deps.log.warn({ errorCode: error.code }, 'permalink lookup failed');
    }
  }
  await markPublished(deps, target.id, { remoteId, permalink, publishedAt });
  deps.log.info({ remoteId, permalink }, 'published');
  countRun(deps, provider, 'published');
}

function fail(deps: ConnectDeps, target: TargetRow, code: string, message: string) {
  return markFailed(deps, target.id, { code, message });
}

function failUnconfirmed(deps: ConnectDeps, target: TargetRow, provider: string) {
  countRun(deps, provider, 'unconfirmed');
  deps.log.warn({ targetId: target.id, provider }, 'a publish call went unanswered; not sent again');
  return fail(
    deps,
    target,
    PUBLISH_UNCONFIRMED,
    'The platform did not answer the publish request, and it cannot be asked afterwards whether the post went out. Check the account: if the post is not there, retry.',
  );
}

/** Holds a target until its account is reconnected; the keep-alive sweep resumes it then. */
function pause(db: Database, target: TargetRow) {
  return update(db, target, {
    status: 'scheduled',
    errorCode: PAUSED_FOR_RECONNECT,
    errorMessage: 'Waiting for the account to be reconnected; it is published once it is.',
  });
}

async function handleFailure(
  deps: ConnectDeps,
  boss: PgBoss,
  {
    target,
    account,
    error,
  }: { target: TargetRow; account: typeof connectedAccounts.$inferSelect; error: ProviderError },
) {
  const log = deps.log.child({ errorCode: error.code, errorKind: error.kind });
  if (error instanceof ReauthRequiredError) {
    log.warn('the account must be reconnected; its post waits');
    await recordInspection(deps, account, {
      update: { status: 'needs_reconnect', statusReason: error.reason },
      event: { type: 'needs_reconnect', reason: error.reason },
    });
    await pause(deps.db, target);
    countRun(deps, account.provider, 'paused_for_reconnect', error.kind);
    return;
  }
  const [current] = await deps.db.select().from(postTargets).where(eq(postTargets.id, target.id));
  // A call the throttle held back was never sent: running later is not a failed attempt.
  const attempts = (current?.attempts ?? target.attempts) + (error instanceof ThrottledError ? 0 : 1);
  const retryable = error instanceof TransientError || error instanceof RateLimitedError;
  // Once the publish call may have gone out, only the platform can say whether it did: keep asking
  // (an unpublished upload expires within 24 hours and then fails the target for good).
  const outcomeUnknown = Boolean(current?.publishRequestedAt) && current?.status !== 'published';
  if (!retryable || (attempts >= PUBLISHING.maxAttempts && !outcomeUnknown)) {
    log.warn({ attempts }, 'publishing failed');
    await markFailed(deps, target.id, { attempts, code: error.code, message: error.userMessage });
    countRun(deps, account.provider, 'failed', error.kind);
    return;
  }
  const waitMs = Math.max(retryDelayMs(attempts), error instanceof RateLimitedError ? error.retryAfterMs : 0);
  log.info({ attempts, waitMs }, 'publishing will be retried');
  await update(deps.db, target, { attempts, errorCode: error.code, errorMessage: error.userMessage });
  await enqueuePublish(boss, deps.db, target.id, new Date(deps.now() + waitMs));
  countRun(deps, account.provider, 'retried', error.kind);
}

/**
 * Targets paused for a reconnect whose account is healthy again are queued once more. Called by
 * the keep-alive sweep; returns how many were resumed.
 */
export async function resumePausedTargets(deps: ConnectDeps, boss: PgBoss): Promise<number> {
  const rows = await deps.db
    .select({ id: postTargets.id })
    .from(postTargets)
    .innerJoin(connectedAccounts, eq(connectedAccounts.id, postTargets.accountId))
    .where(
      and(
        eq(postTargets.status, 'scheduled'),
        eq(postTargets.errorCode, PAUSED_FOR_RECONNECT),
        inArray(connectedAccounts.status, ['active', 'expiring']),
      ),
    );
  for (const { id } of rows) {
    await deps.db.transaction(async (tx) => {
      await tx
        .update(postTargets)
        .set({ errorCode: null, errorMessage: null })
        .where(and(eq(postTargets.id, id), eq(postTargets.errorCode, PAUSED_FOR_RECONNECT)));
      await enqueuePublish(boss, tx, id, new Date(deps.now()));
    });
  }
  return rows.length;
}
