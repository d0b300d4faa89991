import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { ConnectErrorCode } from '../../contracts/connect-errors.ts';
import { ProviderError, ReauthRequiredError, RejectedError } from '../../providers/errors.ts';
import type { ConnectCandidate, ConnectProvider, ProviderId, TargetProblem, TokenSet } from '../../providers/types.ts';
import type { Database } from '../db/client.ts';
import { connectAttempts, connectedAccounts, type FlowCandidate, oauthFlows } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { MediaStorage } from '../media/storage.ts';
import type { Metrics } from '../metrics.ts';
import type { Keyring } from '../vault/keyring.ts';
import type { Vault } from '../vault/vault.ts';
import { recordEvent } from './account-events.ts';
import { notifyStatusChange } from './notifications.ts';

/** How long until the next look at a connection whose tokens the platform cannot refresh. */
export const REINSPECT_EVERY_MS = 24 * 60 * 60 * 1000;

/** How long a user has between "Connect" and coming back from the platform (and picking accounts). */
export const FLOW_TTL_MS = 10 * 60_000;
const STATE_BYTES = 32;

export interface ConnectDeps {
  db: Database;
  vault: Vault;
  keyring: Keyring;
  providers: Partial<Record<ProviderId, ConnectProvider>>;
  publicUrl: string;
  log: Logger;
  now: () => number;
  /**
   * The job queue, for work queued in the same transaction as a state change (webhook deliveries).
   * `startJobs` sets it on the deps it is given, and the app gets it from `buildApp`; it is
   * undefined only where no queue was started (tests that never enqueue).
   */
  boss?: PgBoss;
  /** Where uploaded media live, for deleting a user's files with their account. */
  mediaStorage: MediaStorage;
  /** Whether outgoing webhooks may reach private and loopback addresses (WEBHOOK_ALLOW_PRIVATE_TARGETS). */
  webhookPrivateTargets: boolean;
  /** Where keep-alive and publishing count what they do; nothing is counted without it. */
  metrics?: Metrics;
  /** How long before a post's time its uploads are prepared (PUBLISH_PREPARE_AHEAD_MINUTES). */
  publishPrepareAheadMs: number;
}

/** Ends a flow on the accounts page with `?error=<code>`. */
export class ConnectFailure extends Error {
  override name = 'ConnectFailure';
  readonly code: ConnectErrorCode;
  constructor(code: ConnectErrorCode, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.code = code;
  }
}

export type ConnectOutcome =
  /** `skipped`: what was found but cannot be connected, with why, reported back to the user. */
  { kind: 'connected'; accountIds: string[]; skipped: TargetProblem[] } | { kind: 'select'; flowId: string };

export const redirectUriFor = (publicUrl: string, provider: ProviderId) =>
  `${publicUrl}/api/oauth/callback/${provider}`;
/** The `error` a platform redirects with when the person said no: Meta's, and LinkedIn's two (reference §8.1). */
const DENIED_ERRORS = new Set(['access_denied', 'user_cancelled_authorize', 'user_cancelled_login']);
const hashState = (state: string) => createHash('sha256').update(state).digest('hex');
const flowTokenContext = (flowId: string) => `oauth_flows/${flowId}/user_token`;
const flowRefreshContext = (flowId: string) => `oauth_flows/${flowId}/refresh_token`;

export function providerFor(deps: ConnectDeps, provider: ProviderId): ConnectProvider {
  const found = deps.providers[provider];
  if (!found) throw new AppError('PROVIDER_NOT_CONFIGURED');
  return found;
}

/** Creates a single-use state bound to the user and returns the platform's login URL. */
export async function startConnect(
  deps: ConnectDeps,
  input: { userId: string; provider: ProviderId; reconnectAccountId?: string },
): Promise<{ loginUrl: string; state: string; flowId: string }> {
  const provider = providerFor(deps, input.provider);
  if (input.reconnectAccountId) {
    const [account] = await deps.db
      .select({ provider: connectedAccounts.provider })
      .from(connectedAccounts)
      .where(and(eq(connectedAccounts.id, input.reconnectAccountId), eq(connectedAccounts.userId, input.userId)));
    if (!account) throw new AppError('NOT_FOUND', 'The account to reconnect was not found.');
    if (account.provider !== input.provider) {
      throw new AppError(
        'VALIDATION_FAILED',
        `That account is connected through ${account.provider}, not ${input.provider}.`,
      );
    }
  }
  const state = randomBytes(STATE_BYTES).toString('base64url');
  const now = deps.now();
  const flow = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(oauthFlows)
      .values({
        stateHash: hashState(state),
        userId: input.userId,
        provider: input.provider,
        reconnectAccountId: input.reconnectAccountId ?? null,
        expiresAt: new Date(now + FLOW_TTL_MS),
      })
      .returning({ id: oauthFlows.id });
    if (!row) throw new Error('flow insert returned nothing');
    await tx
      .insert(connectAttempts)
      .values({ id: row.id, userId: input.userId, provider: input.provider, startedAt: new Date(now) });
    return row;
  });
  const loginUrl = provider.authorizationUrl({ state, redirectUri: redirectUriFor(deps.publicUrl, input.provider) });
  return { loginUrl, state, flowId: flow.id };
}

const toFailure = (error: unknown, fallback: ConnectErrorCode): ConnectFailure => {
  if (error instanceof ConnectFailure) return error;
  if (error instanceof ProviderError) {
    const code =
      error instanceof ReauthRequiredError || error instanceof RejectedError ? fallback : 'PROVIDER_UNAVAILABLE';
    return new ConnectFailure(code, error.message);
  }
  throw error;
};

/**
 * Completes the platform's redirect. Only the user who started the flow can complete it, once,
 * within its lifetime; anything else fails without touching a connection.
 */
export async function completeConnect(
  deps: ConnectDeps,
  input: { userId: string | null; provider: ProviderId; query: Record<string, string | undefined> },
): Promise<ConnectOutcome> {
  if (!input.userId) throw new ConnectFailure('SIGNED_OUT');
  const state = input.query.state;
  if (!state) throw new ConnectFailure('STATE_INVALID', 'no state');
  const [flow] = await deps.db
    .select()
    .from(oauthFlows)
    .where(eq(oauthFlows.stateHash, hashState(state)));
  if (!flow || flow.userId !== input.userId || flow.provider !== input.provider) {
    throw new ConnectFailure('STATE_INVALID', flow ? 'state of another user or provider' : 'unknown state');
  }
  if (flow.usedAt) throw new ConnectFailure('STATE_USED');
  const now = deps.now();
  if (flow.expiresAt.getTime() <= now) {
    await endAttempt(deps, flow.id, 'STATE_EXPIRED');
    throw new ConnectFailure('STATE_EXPIRED');
  }
  const claimed = await deps.db
    .update(oauthFlows)
    .set({ usedAt: new Date(now) })
    .where(and(eq(oauthFlows.id, flow.id), isNull(oauthFlows.usedAt)))
    .returning({ id: oauthFlows.id });
  if (claimed.length === 0) throw new ConnectFailure('STATE_USED', 'claimed concurrently');

  try {
    return await finishFlow(deps, flow, input.query);
  } catch (error) {
    const failure = toFailure(error, 'CODE_REJECTED');
    await deps.db
      .update(oauthFlows)
      .set({ status: 'failed', errorCode: failure.code, userToken: null, refreshToken: null })
      .where(eq(oauthFlows.id, flow.id));
    await endAttempt(deps, flow.id, failure.code);
    throw failure;
  }
}

/** Records how a connect attempt ended (once: a later outcome never replaces the first). */
async function endAttempt(deps: ConnectDeps, flowId: string, failure: ConnectErrorCode | null) {
  await deps.db
    .update(connectAttempts)
    .set({
      outcome: failure ? 'failed' : 'completed',
      errorCode: failure,
      endedAt: new Date(deps.now()),
    })
    .where(and(eq(connectAttempts.id, flowId), isNull(connectAttempts.outcome)));
}

async function finishFlow(
  deps: ConnectDeps,
  flow: typeof oauthFlows.$inferSelect,
  query: Record<string, string | undefined>,
): Promise<ConnectOutcome> {
  if (query.error) {
    throw new ConnectFailure(
      DENIED_ERRORS.has(query.error) ? 'CONNECT_DENIED' : 'CONNECT_FAILED',
      query.error_reason ?? query.error,
    );
  }
  if (!query.code) throw new ConnectFailure('CONNECT_FAILED', 'no code');
  const provider = providerFor(deps, flow.provider);
  const redirectUri = redirectUriFor(deps.publicUrl, flow.provider);
  const tokens = await provider.exchangeCode({ code: query.code, redirectUri }).catch((error) => {
    throw toFailure(error, 'CODE_REJECTED');
  });
  const missing = provider.requiredScopes.filter((scope) => !tokens.scopes.includes(scope));
  if (missing.length > 0) throw new ConnectFailure('MISSING_PERMISSIONS', missing.join(','));

  const { candidates, problems } = await provider.listTargets(tokens);
  if (candidates.length === 0) {
    // Nothing to connect: no Page the person may publish to, or (Instagram) none with a linked account.
    throw new ConnectFailure(
      flow.provider === 'facebook_page' ? 'NO_PAGES' : 'NO_INSTAGRAM_ACCOUNT',
      problems.map((problem) => `${problem.name}: ${problem.reason}`).join('; '),
    );
  }
  if (flow.reconnectAccountId) {
    const [target] = await deps.db
      .select({ externalId: connectedAccounts.externalId })
      .from(connectedAccounts)
      .where(and(eq(connectedAccounts.id, flow.reconnectAccountId), eq(connectedAccounts.userId, flow.userId)));
    const match = candidates.find((candidate) => candidate.externalId === target?.externalId);
    if (!match) throw new ConnectFailure('RECONNECT_MISMATCH');
    const accountIds = await saveConnections(deps, {
      userId: flow.userId,
      provider: flow.provider,
      tokens,
      chosen: [match],
    });
    await deps.db.update(oauthFlows).set({ status: 'completed' }).where(eq(oauthFlows.id, flow.id));
    await endAttempt(deps, flow.id, null);
    return { kind: 'connected', accountIds, skipped: problems };
  }
  if (candidates.length === 1) {
    const accountIds = await saveConnections(deps, {
      userId: flow.userId,
      provider: flow.provider,
      tokens,
      chosen: candidates,
    });
    await deps.db.update(oauthFlows).set({ status: 'completed' }).where(eq(oauthFlows.id, flow.id));
    await endAttempt(deps, flow.id, null);
    return { kind: 'connected', accountIds, skipped: problems };
  }

  const existing = await deps.db
    .select({ id: connectedAccounts.id, externalId: connectedAccounts.externalId })
    .from(connectedAccounts)
    .where(and(eq(connectedAccounts.userId, flow.userId), eq(connectedAccounts.provider, flow.provider)));
  const flowCandidates: FlowCandidate[] = candidates.map((candidate) => ({
    externalId: candidate.externalId,
    username: candidate.username,
    displayName: candidate.displayName,
    profilePictureUrl: candidate.profilePictureUrl,
    parent: candidate.parent,
    connectedAccountId: existing.find((row) => row.externalId === candidate.externalId)?.id ?? null,
  }));
  await deps.db
    .update(oauthFlows)
    .set({
      status: 'selecting',
      userToken: deps.keyring.encrypt(tokens.accessToken, flowTokenContext(flow.id)),
      refreshToken: tokens.refreshToken ? deps.keyring.encrypt(tokens.refreshToken, flowRefreshContext(flow.id)) : null,
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt ?? null,
      tokenExpiresAt: tokens.expiresAt,
      dataAccessExpiresAt: tokens.dataAccessExpiresAt ?? null,
      grantedScopes: tokens.scopes,
      grantSubjectId: tokens.subjectId ?? null,
      candidates: flowCandidates,
      problems,
      // The picker gets its own window, as long as the login had.
      expiresAt: new Date(deps.now() + FLOW_TTL_MS),
    })
    .where(eq(oauthFlows.id, flow.id));
  return { kind: 'select', flowId: flow.id };
}

/** The picker's view of a flow; only its owner sees it. */
export async function getSelectableFlow(deps: ConnectDeps, input: { userId: string; flowId: string }) {
  const [flow] = await deps.db
    .select()
    .from(oauthFlows)
    .where(and(eq(oauthFlows.id, input.flowId), eq(oauthFlows.userId, input.userId)));
  if (!flow) throw new AppError('NOT_FOUND', 'This connection attempt was not found.');
  return flow;
}

/** Connects the accounts the user picked from a flow's candidates, then forgets the flow's token. */
export async function selectCandidates(
  deps: ConnectDeps,
  input: { userId: string; flowId: string; externalIds: string[] },
): Promise<string[]> {
  const flow = await getSelectableFlow(deps, input);
  const now = deps.now();
  if (flow.status !== 'selecting' || !flow.userToken || flow.expiresAt.getTime() <= now) {
    throw new AppError('FLOW_NOT_SELECTABLE');
  }
  const unknown = input.externalIds.filter((id) => !flow.candidates.some((candidate) => candidate.externalId === id));
  if (unknown.length > 0)
    throw new AppError('VALIDATION_FAILED', `Not a candidate of this flow: ${unknown.join(', ')}`);
  const provider = providerFor(deps, flow.provider);
  const tokens: TokenSet = {
    accessToken: deps.keyring.decrypt(flow.userToken, flowTokenContext(flow.id)),
    expiresAt: flow.tokenExpiresAt,
    dataAccessExpiresAt: flow.dataAccessExpiresAt,
    scopes: flow.grantedScopes,
    subjectId: flow.grantSubjectId ?? undefined,
    ...(flow.refreshToken
      ? {
          refreshToken: deps.keyring.decrypt(flow.refreshToken, flowRefreshContext(flow.id)),
          refreshTokenExpiresAt: flow.refreshTokenExpiresAt,
        }
      : {}),
  };
  // Asset tokens are not kept in the flow: they are fetched again for the accounts picked.
  const { candidates } = await provider.listTargets(tokens).catch((error) => {
    if (error instanceof ProviderError) throw new AppError('PROVIDER_UNAVAILABLE', error.userMessage);
    throw error;
  });
  const chosen = candidates.filter((candidate) => input.externalIds.includes(candidate.externalId));
  if (chosen.length !== input.externalIds.length) {
    throw new AppError('CONFLICT', 'Some of the chosen accounts are no longer available; start again.');
  }
  const accountIds = await saveConnections(deps, { userId: flow.userId, provider: flow.provider, tokens, chosen });
  await deps.db
    .update(oauthFlows)
    .set({ status: 'completed', userToken: null, refreshToken: null })
    .where(eq(oauthFlows.id, flow.id));
  await endAttempt(deps, flow.id, null);
  return accountIds;
}

/** Inserts or updates each chosen account with its encrypted tokens and an event, in one transaction. */
async function saveConnections(
  deps: ConnectDeps,
  input: { userId: string; provider: ProviderId; tokens: TokenSet; chosen: ConnectCandidate[] },
): Promise<string[]> {
  const now = new Date(deps.now());
  return deps.db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const candidate of input.chosen) {
      const [before] = await tx
        .select({ id: connectedAccounts.id, status: connectedAccounts.status })
        .from(connectedAccounts)
        .where(
          and(
            eq(connectedAccounts.userId, input.userId),
            eq(connectedAccounts.provider, input.provider),
            eq(connectedAccounts.externalId, candidate.externalId),
          ),
        );
      const values = {
        username: candidate.username,
        displayName: candidate.displayName,
        profilePictureUrl: candidate.profilePictureUrl,
        parent: candidate.parent,
        status: 'active' as const,
        statusReason: null,
        grantedScopes: input.tokens.scopes,
        grantSubjectId: input.tokens.subjectId ?? null,
        tokenExpiresAt: candidate.tokenExpiresAt === undefined ? input.tokens.expiresAt : candidate.tokenExpiresAt,
        dataAccessExpiresAt: input.tokens.dataAccessExpiresAt ?? null,
        refreshTokenExpiresAt: input.tokens.refreshTokenExpiresAt ?? null,
        tokenObtainedAt: now,
        lastCheckedAt: now,
        nextCheckAt: new Date(now.getTime() + REINSPECT_EVERY_MS),
        failingSince: null,
        checkLeaseUntil: null,
      };
      const [row] = await tx
        .insert(connectedAccounts)
        .values({ userId: input.userId, provider: input.provider, externalId: candidate.externalId, ...values })
        .onConflictDoUpdate({
          target: [connectedAccounts.userId, connectedAccounts.provider, connectedAccounts.externalId],
          set: values,
        })
        .returning({ id: connectedAccounts.id });
      if (!row) throw new Error('account upsert returned nothing');
      await deps.vault.store(tx, { accountId: row.id, kind: 'user_access', secret: input.tokens.accessToken });
      if (candidate.assetToken)
        await deps.vault.store(tx, { accountId: row.id, kind: 'page_access', secret: candidate.assetToken });
      // A reconnect replaces the whole grant: a refresh token of the earlier one must not outlive it.
      if (input.tokens.refreshToken)
        await deps.vault.store(tx, { accountId: row.id, kind: 'refresh', secret: input.tokens.refreshToken });
      else if (before) await deps.vault.remove(tx, row.id, 'refresh');
      const ref = { id: row.id, userId: input.userId, provider: input.provider, externalId: candidate.externalId };
      await recordEvent(tx, ref, before ? 'reconnected' : 'connected');
      if (before) {
        const notified = {
          id: row.id,
          userId: input.userId,
          provider: input.provider,
          username: candidate.username,
          displayName: candidate.displayName,
        };
        await notifyStatusChange({ tx, boss: deps.boss }, notified, { from: before.status, to: 'active' });
      }
      ids.push(row.id);
    }
    deps.log.info({ provider: input.provider, accounts: ids.length }, 'accounts connected');
    return ids;
  });
}
