import type { ProviderId } from '../contracts/connected-accounts.ts';
import type { MediaKind, PostKind } from '../contracts/posts.ts';
import type { Secret } from '../server/vault/secret.ts';
import type { Fetch } from './meta-graph/client.ts';
import type { MetaThrottle } from './meta-graph/throttle.ts';
import type { GraphUsage } from './meta-graph/usage.ts';

export type { ProviderId };

/** What a provider receives: never the environment, the database or a global logger (DESIGN §5). */
export interface ProviderContext {
  fetch: Fetch;
  now: () => number;
  /** Usage headers of every platform response, for throttling and metrics. */
  onUsage?: (usage: GraphUsage) => void;
  /** Slows Meta calls down by their usage headers (`meta-graph/throttle.ts`); none when absent. */
  throttle?: MetaThrottle;
  /** How long one platform call may take (PLATFORM_TIMEOUT_MS); the clients' 30 s default otherwise. */
  timeoutMs?: number;
}

/** Tokens of one connection, decrypted. Times are absolute; `null` means "does not expire". */
export interface TokenSet {
  accessToken: Secret;
  expiresAt: Date | null;
  scopes: string[];
  dataAccessExpiresAt?: Date | null;
  refreshToken?: Secret;
  refreshTokenExpiresAt?: Date | null;
  /**
   * The platform's id of the person who granted access (Meta's app-scoped user id), where the
   * platform names them in deauthorization and data-deletion callbacks.
   */
  subjectId?: string;
}

/** An account the user may connect, found with their tokens (a Page's Instagram account, an organization...). */
export interface ConnectCandidate {
  externalId: string;
  username: string | null;
  displayName: string | null;
  profilePictureUrl: string | null;
  parent: { id: string; name: string } | null;
  /** The asset-level token (e.g. the Page token), when the platform issues one. */
  assetToken?: Secret;
  /**
   * When the token this account is checked by ends, where that is not the grant's expiry: a Page
   * token taken from a long-lived user token has none (`null`).
   */
  tokenExpiresAt?: Date | null;
}

/** Something found that cannot be connected, reported to the user instead of being dropped silently. */
export interface TargetProblem {
  id: string;
  name: string;
  reason: 'no_instagram_account' | 'insufficient_page_role' | 'insufficient_organization_role';
}

export interface TokenInspection {
  valid: boolean;
  /** `undefined` when the platform does not say (the stored expiry stands). */
  expiresAt: Date | null | undefined;
  dataAccessExpiresAt: Date | null;
  /** `undefined` when the platform does not say which permissions are granted. */
  scopes: string[] | undefined;
  /** When invalid: the platform's reason, e.g. `token_expired`. */
  invalidReason?: string;
}

export interface ProviderCapabilities {
  /** How tokens stay alive: a refresh grant, a self-refresh of the token, or only a new login. */
  refresh: 'refresh_token' | 'self_refresh' | 'reauth_only';
  /**
   * Which token says whether the connection works: the user's (default), or the asset's own
   * (a Facebook Page's token, which outlives the user token it came from).
   */
  inspects?: 'user_access' | 'page_access';
  /** A token younger than this is not refreshed, because the platform refuses it (Instagram: 24 h). */
  minRefreshAgeMs?: number;
}

/** The connect half of the provider contract (publishing joins it with the publishing issue). */
export interface ConnectProvider {
  id: ProviderId;
  displayName: string;
  capabilities: ProviderCapabilities;
  /** Permissions the flow asks for; all of them are needed. */
  requiredScopes: readonly string[];
  authorizationUrl(input: { state: string; redirectUri: string }): string;
  exchangeCode(input: { code: string; redirectUri: string }): Promise<TokenSet>;
  listTargets(tokens: TokenSet): Promise<{ candidates: ConnectCandidate[]; problems: TargetProblem[] }>;
  inspect(token: Secret): Promise<TokenInspection>;
  /**
   * For `refresh_token` and `self_refresh` providers: new tokens for old ones. A `refresh_token`
   * provider is only asked while a refresh token is stored for the account (keep-alive checks).
   */
  refresh?(tokens: TokenSet): Promise<TokenSet>;
  /** Revokes the grant at the platform; absent where the platform offers no way to (LinkedIn members). */
  revoke?(tokens: TokenSet): Promise<void>;
  /** Present when the platform can be published to. */
  publisher?: Publisher;
}

/** A file as a platform fetches it: from Tether's public media URL. */
export interface PublishMedia {
  url: string;
  kind: MediaKind;
  mime: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  sizeBytes: number;
}

export interface PublishDraft {
  kind: PostKind;
  caption: string;
  media: PublishMedia[];
}

/** Why a draft cannot be published to a target, said so the user knows what to change. */
export interface PublishProblem {
  code: string;
  message: string;
}

/** What the platform holds for one target so far; stored after every step, so a retry resumes. */
export interface RemoteState {
  containerId: string | null;
  childContainerIds: string[];
}

export interface PublishInput {
  /** The account's id on the platform (the Instagram user id, the Page id...). */
  externalId: string;
  token: Secret;
  draft: PublishDraft;
  remote: RemoteState;
}

/**
 * One step of getting a target ready: `stored` (new remote ids to store; call again at once),
 * `wait` (the platform is still processing; call again later) or `ready` (publish may be called).
 */
export type PrepareStep = { step: 'stored'; remote: RemoteState } | { step: 'wait' } | { step: 'ready' };

/**
 * Publishing, in steps the caller stores between (DESIGN §5). The contract: `publish` is the one
 * call that makes a post appear, and the caller never makes it twice for a target. After a
 * publish call whose answer was lost, `confirm` tells from the platform's state whether it went
 * through. A platform that cannot tell has no `confirm`: a lost answer then fails the target as
 * unconfirmed (at most once) rather than risk a second post.
 */
export interface Publisher {
  /** Problems with a draft for this platform, found before anything is sent (pure). */
  validate(draft: PublishDraft): PublishProblem[];
  prepare(input: PublishInput): Promise<PrepareStep>;
  /**
   * Whether `prepare` may run before the post's time: what it leaves on the platform stays
   * publishable for hours, and `publish` may be called long after `prepare` said `ready`. Needs
   * `confirm`, which is asked before uploads that were ready are replaced.
   */
  preparesAhead?: boolean;
  publish(input: PublishInput): Promise<{ remoteId: string }>;
  confirm?(input: PublishInput): Promise<{ published: false } | { published: true; remoteId: string | null }>;
  permalink(input: PublishInput & { remoteId: string }): Promise<string | null>;
}
