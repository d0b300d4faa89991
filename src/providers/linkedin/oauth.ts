import { Secret } from '../../server/vault/secret.ts';
import { RejectedError } from '../errors.ts';
import type { ConnectProvider, ProviderContext, TokenInspection, TokenSet } from '../types.ts';
import type { LinkedInClient } from './client.ts';
import { introspection, type TokenResponse, tokenResponse } from './schemas.ts';

/** Why introspection calls a token inactive (`status`), as the reason Tether records. */
const INACTIVE_REASONS: Record<string, string> = { expired: 'token_expired', revoked: 'token_revoked' };

export interface LinkedInOAuthConfig {
  clientId: string;
  wwwUrl: string;
  /** Requested all or nothing (reference §8.1). */
  scopes: readonly string[];
}

/**
 * The token half shared by both LinkedIn providers (members and organizations), which sign in
 * through the same app: 3-legged OAuth without PKCE, 60-day access tokens, and for apps approved
 * for programmatic refresh a refresh token with a fixed 365-day life that refreshing never extends.
 */
export function createLinkedInOAuth(
  config: LinkedInOAuthConfig,
  client: LinkedInClient,
  context: ProviderContext,
): Pick<ConnectProvider, 'authorizationUrl' | 'exchangeCode' | 'inspect'> & {
  refresh(tokens: TokenSet): Promise<TokenSet>;
} {
  const at = (now: number, seconds: number) => new Date(now + seconds * 1000);

  /**
   * The token set of a `accessToken` answer. `previous` is the set a refresh started from: when the
   * answer brings the same (or no) refresh token, its expiry stays as first stored, since LinkedIn
   * never extends it; an access token never outlives the refresh token it came from.
   */
  function tokenSet(answer: TokenResponse, previous?: TokenSet): TokenSet {
    const now = context.now();
    const refreshToken = answer.refresh_token === undefined ? previous?.refreshToken : new Secret(answer.refresh_token);
    const sameRefresh =
      previous?.refreshToken !== undefined &&
      (answer.refresh_token === undefined || answer.refresh_token === previous.refreshToken.reveal());
    const refreshTokenExpiresAt =
      sameRefresh && previous?.refreshTokenExpiresAt
        ? previous.refreshTokenExpiresAt
        : answer.refresh_token_expires_in === undefined
          ? (previous?.refreshTokenExpiresAt ?? null)
          : at(now, answer.refresh_token_expires_in);
    const expiresAt = at(now, answer.expires_in);
    return {
      accessToken: new Secret(answer.access_token),
      expiresAt:
        refreshToken && refreshTokenExpiresAt && refreshTokenExpiresAt < expiresAt ? refreshTokenExpiresAt : expiresAt,
      // All or nothing (§8.1): an answer without `scope` granted what was asked for.
      scopes: answer.scope ?? previous?.scopes ?? [...config.scopes],
      ...(refreshToken ? { refreshToken, refreshTokenExpiresAt } : {}),
    };
  }

  return {
    authorizationUrl({ state, redirectUri }) {
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: config.clientId,
        redirect_uri: redirectUri,
        state,
        scope: config.scopes.join(' '),
      });
      // Spaces as %20, as LinkedIn documents the scope list, not the form encoding's `+`.
      return `${config.wwwUrl}/oauth/v2/authorization?${params.toString().replaceAll('+', '%20')}`;
    },

    async exchangeCode({ code, redirectUri }) {
      const answer = await client.oauth(
        'accessToken',
        { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
        tokenResponse,
      );
      return tokenSet(answer);
    },

    /** §8.1 Token introspection: whether the token is active, until when, with which scopes. */
    async inspect(token): Promise<TokenInspection> {
      const found = await client.oauth('introspectToken', { token: token.reveal() }, introspection);
      if (!found.active) {
        return {
          valid: false,
          expiresAt: undefined,
          dataAccessExpiresAt: null,
          scopes: undefined,
          invalidReason: (found.status && INACTIVE_REASONS[found.status]) ?? 'invalid_token',
        };
      }
      return {
        valid: true,
        expiresAt: found.expires_at ? new Date(found.expires_at * 1000) : undefined,
        dataAccessExpiresAt: null,
        scopes: found.scope,
      };
    },

    /** §8.1 The refresh grant: a new 60-day access token; the refresh token keeps its first expiry. */
    async refresh(tokens) {
      if (!tokens.refreshToken) {
        // Keep-alive only refreshes accounts holding a refresh token; reaching this is a caller's bug.
        throw new RejectedError({
          provider: 'linkedin',
          code: 'linkedin:no_refresh_token',
          reason: 'no_refresh_token',
          userMessage: 'This LinkedIn connection has no refresh token; connect it again when it expires.',
        });
      }
      const answer = await client.oauth(
        'accessToken',
        { grant_type: 'refresh_token', refresh_token: tokens.refreshToken.reveal() },
        tokenResponse,
      );
      return tokenSet(answer, tokens);
    },
  };
}
