import { Secret } from '../../server/vault/secret.ts';
import { ReauthRequiredError, RejectedError, TransientError } from '../errors.ts';
import { createInstagramPublisher } from '../instagram/publisher.ts';
import { createGraphClient, DEFAULT_GRAPH_TIMEOUT_MS } from '../meta-graph/client.ts';
import type { ConnectProvider, ProviderContext, TokenInspection, TokenSet } from '../types.ts';
import { codeExchangeResponse, legacyError, longLivedToken, profile } from './schemas.ts';

export interface InstagramLoginConfig {
  appId: string;
  appSecret: string;
  graphVersion: string;
  graphUrl: string;
  apiUrl: string;
  wwwUrl: string;
}

/** Permissions for publishing through Instagram Login (reference §3.1). */
export const INSTAGRAM_LOGIN_SCOPES = ['instagram_business_basic', 'instagram_business_content_publish'] as const;

const PROFILE_FIELDS = 'user_id,username,name,account_type,profile_picture_url';

/** JSON.parse that keeps every `user_id` as its exact source text, since those ids exceed 2^53. */
export function parseExactIds(text: string): unknown {
  return JSON.parse(text, (key, value, context?: { source?: string }) =>
    key === 'user_id' && typeof value === 'number' && context?.source ? context.source : value,
  );
}

/** Instagram professional accounts connected with Instagram Login (no Facebook Page needed). */
export function createInstagramLoginProvider(config: InstagramLoginConfig, context: ProviderContext): ConnectProvider {
  const graph = createGraphClient({
    provider: 'instagram_login',
    baseUrl: config.graphUrl,
    version: config.graphVersion,
    fetch: context.fetch,
    now: context.now,
    onUsage: context.onUsage,
    throttle: context.throttle?.forApp(config.appId, 'instagram', 'instagram_login'),
    timeoutMs: context.timeoutMs,
  });
  const expiry = (seconds: number) => new Date(context.now() + seconds * 1000);

  /** §3.2: a form POST to api.instagram.com, which answers in its own envelope. */
  async function exchangeForShortToken(code: string, redirectUri: string) {
    const body = new URLSearchParams({
      client_id: config.appId,
      client_secret: config.appSecret,
      grant_type: 'authorization_code',
      redirect_uri: redirectUri,
      code,
    });
    let response: Response;
    try {
      response = await context.fetch(`${config.apiUrl}/oauth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        signal: AbortSignal.timeout(context.timeoutMs ?? DEFAULT_GRAPH_TIMEOUT_MS),
      });
    } catch (error) {
      throw new TransientError({
        provider: 'instagram_login',
        code: 'network:error',
        reason: 'network_error',
        userMessage: 'Instagram could not be reached; try again.',
        detail: (error as Error).message,
      });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = parseExactIds(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = legacyError.safeParse(json);
      const common = {
        provider: 'instagram_login',
        code: `ig_oauth:${error.success ? error.data.code : response.status}`,
        status: response.status,
        detail: error.success ? error.data.error_message : text.slice(0, 200),
      };
      if (response.status >= 500) {
        throw new TransientError({
          ...common,
          reason: 'server_error',
          userMessage: 'Instagram had a problem; try again.',
        });
      }
      throw new RejectedError({
        ...common,
        reason: 'code_rejected',
        userMessage: 'Instagram did not accept the login result.',
      });
    }
    const parsed = codeExchangeResponse.safeParse(json);
    if (!parsed.success) {
      throw new RejectedError({
        provider: 'instagram_login',
        code: 'ig_oauth:unexpected_response',
        reason: 'unexpected_response',
        userMessage: 'Instagram answered in an unexpected way.',
      });
    }
    return parsed.data;
  }

  const me = (token: Secret) =>
    graph.get({ path: 'me', token: token.reveal(), params: { fields: PROFILE_FIELDS }, schema: profile });

  return {
    id: 'instagram_login',
    displayName: 'Instagram (Instagram Login)',
    capabilities: { refresh: 'self_refresh', minRefreshAgeMs: 24 * 60 * 60_000 },
    requiredScopes: INSTAGRAM_LOGIN_SCOPES,
    publisher: createInstagramPublisher(graph),

    authorizationUrl({ state, redirectUri }) {
      const url = new URL(`${config.wwwUrl}/oauth/authorize`);
      url.searchParams.set('client_id', config.appId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', INSTAGRAM_LOGIN_SCOPES.join(','));
      url.searchParams.set('state', state);
      return url.toString();
    },

    async exchangeCode({ code, redirectUri }): Promise<TokenSet> {
      const short = await exchangeForShortToken(code, redirectUri);
      const long = await graph.get({
        path: 'access_token',
        unversioned: true,
        params: { grant_type: 'ig_exchange_token', client_secret: config.appSecret, access_token: short.access_token },
        schema: longLivedToken,
      });
      return {
        accessToken: new Secret(long.data.access_token),
        expiresAt: expiry(long.data.expires_in),
        scopes: short.permissions,
        subjectId: short.user_id,
      };
    },

    async listTargets(tokens) {
      const { data } = await me(tokens.accessToken);
      return {
        candidates: [
          {
            externalId: data.user_id,
            username: data.username,
            displayName: data.name ?? data.username,
            profilePictureUrl: data.profile_picture_url ?? null,
            parent: null,
          },
        ],
        problems: [],
      };
    },

    /** Instagram has no debug_token: a token that can read /me is valid; its expiry is what was stored. */
    async inspect(token): Promise<TokenInspection> {
      try {
        await me(token);
        return { valid: true, expiresAt: undefined, dataAccessExpiresAt: null, scopes: undefined };
      } catch (error) {
        if (!(error instanceof ReauthRequiredError)) throw error;
        return {
          valid: false,
          expiresAt: undefined,
          dataAccessExpiresAt: null,
          scopes: undefined,
          invalidReason: error.reason,
        };
      }
    },

    /** §3.3: the long-lived token refreshes itself once it is a day old, for another 60 days. */
    async refresh(tokens) {
      const { data } = await graph.get({
        path: 'refresh_access_token',
        unversioned: true,
        params: { grant_type: 'ig_refresh_token', access_token: tokens.accessToken.reveal() },
        schema: longLivedToken,
      });
      return { ...tokens, accessToken: new Secret(data.access_token), expiresAt: expiry(data.expires_in) };
    },
    // No `revoke`: Instagram Login offers no revocation endpoint. The person removes the app under
    // Instagram → Settings → Apps and websites; disconnecting deletes Tether's copy of the token.
  };
}
