import type { ProviderId } from '../contracts/connected-accounts.ts';
import type { Secret } from '../server/vault/secret.ts';
import type { Fetch } from './meta-graph/client.ts';
import type { GraphUsage } from './meta-graph/usage.ts';

export type { ProviderId };

/** What a provider receives: never the environment, the database or a global logger (DESIGN §5). */
export interface ProviderContext {
  fetch: Fetch;
  now: () => number;
  /** Usage headers of every platform response, for throttling and metrics. */
  onUsage?: (usage: GraphUsage) => void;
}

/** Tokens of one connection, decrypted. Times are absolute; `null` means "does not expire". */
export interface TokenSet {
  accessToken: Secret;
  expiresAt: Date | null;
  scopes: string[];
  dataAccessExpiresAt?: Date | null;
  refreshToken?: Secret;
  refreshTokenExpiresAt?: Date | null;
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
}

/** Something found that cannot be connected, reported to the user instead of being dropped silently. */
export interface TargetProblem {
  id: string;
  name: string;
  reason: 'no_instagram_account' | 'insufficient_page_role';
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
  /** For `refresh_token` and `self_refresh` providers: new tokens for old ones. */
  refresh?(tokens: TokenSet): Promise<TokenSet>;
  revoke(tokens: TokenSet): Promise<void>;
}
