import { Secret } from '../../server/vault/secret.ts';
import { ReauthRequiredError } from '../errors.ts';
import { createGraphClient } from '../meta-graph/client.ts';
import { tokenReason } from '../meta-graph/errors.ts';
import type { ConnectCandidate, ConnectProvider, ProviderContext, TargetProblem, TokenInspection } from '../types.ts';
import { createInstagramPublisher } from './publisher.ts';
import { accessTokenResponse, debugTokenResponse, pagesResponse, successResponse } from './schemas.ts';

export interface InstagramProviderConfig {
  appId: string;
  appSecret: string;
  /** Facebook Login for Business configuration; replaces the scope list when set. */
  configId?: string;
  graphVersion: string;
  graphUrl: string;
  wwwUrl: string;
}

/** Permissions for publishing to Instagram through Facebook Login (reference §3.5). */
export const INSTAGRAM_SCOPES = [
  'instagram_basic',
  'instagram_content_publish',
  'pages_show_list',
  'pages_read_engagement',
  'business_management',
] as const;

/** Page tasks that allow publishing (reference §2.5). */
const PUBLISHING_TASKS = new Set(['CREATE_CONTENT', 'MANAGE', 'MODERATE']);
/** Pages per /me/accounts request, and a bound on how many pages are followed. */
const PAGE_SIZE = 100;
const MAX_PAGES = 20;

const fromSeconds = (seconds: number | undefined) => (seconds ? new Date(seconds * 1000) : null);

/** Instagram professional accounts connected through Facebook Login (Pages with a linked account). */
export function createInstagramProvider(config: InstagramProviderConfig, context: ProviderContext): ConnectProvider {
  const graph = createGraphClient({
    provider: 'instagram',
    baseUrl: config.graphUrl,
    version: config.graphVersion,
    appSecret: config.appSecret,
    fetch: context.fetch,
    now: context.now,
    onUsage: context.onUsage,
  });
  // Token endpoints take the client secret, so they are called with a form body, never a query string.
  const tokenEndpoint = (params: Record<string, string>) =>
    graph.post({ path: 'oauth/access_token', params, schema: accessTokenResponse });
  const expiry = (expiresIn: number | undefined) => (expiresIn ? new Date(context.now() + expiresIn * 1000) : null);

  async function inspect(token: Secret): Promise<TokenInspection> {
    const { data } = await graph.get({
      path: 'debug_token',
      params: { input_token: token.reveal(), access_token: `${config.appId}|${config.appSecret}` },
      schema: debugTokenResponse,
    });
    const info = data.data;
    return {
      valid: info.is_valid,
      expiresAt: fromSeconds(info.expires_at),
      dataAccessExpiresAt: fromSeconds(info.data_access_expires_at),
      scopes: info.scopes,
      invalidReason: info.is_valid ? undefined : tokenReason(info.error?.subcode),
    };
  }

  return {
    id: 'instagram',
    displayName: 'Instagram (via Facebook Login)',
    capabilities: { refresh: 'reauth_only' },
    requiredScopes: INSTAGRAM_SCOPES,
    publisher: createInstagramPublisher(graph),

    authorizationUrl({ state, redirectUri }) {
      const url = new URL(`${config.wwwUrl}/${config.graphVersion}/dialog/oauth`);
      url.searchParams.set('client_id', config.appId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('state', state);
      url.searchParams.set('response_type', 'code');
      if (config.configId) url.searchParams.set('config_id', config.configId);
      else url.searchParams.set('scope', INSTAGRAM_SCOPES.join(','));
      return url.toString();
    },

    async exchangeCode({ code, redirectUri }) {
      const base = { client_id: config.appId, client_secret: config.appSecret };
      const short = await tokenEndpoint({ ...base, redirect_uri: redirectUri, code });
      // Server-side exchanges sometimes already return a long-lived token; exchanging anyway is harmless.
      const long = await tokenEndpoint({
        ...base,
        grant_type: 'fb_exchange_token',
        fb_exchange_token: short.data.access_token,
      });
      const accessToken = new Secret(long.data.access_token);
      const inspection = await inspect(accessToken);
      return {
        accessToken,
        expiresAt: inspection.expiresAt ?? expiry(long.data.expires_in),
        dataAccessExpiresAt: inspection.dataAccessExpiresAt,
        scopes: inspection.scopes ?? [],
      };
    },

    async listTargets(tokens) {
      const candidates: ConnectCandidate[] = [];
      const problems: TargetProblem[] = [];
      let after: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const { data } = await graph.get({
          path: 'me/accounts',
          token: tokens.accessToken.reveal(),
          params: {
            fields: 'id,name,access_token,tasks,instagram_business_account{id,username,name,profile_picture_url}',
            limit: PAGE_SIZE,
            after,
          },
          schema: pagesResponse,
        });
        for (const item of data.data) {
          const instagram = item.instagram_business_account;
          if (!instagram) {
            problems.push({ id: item.id, name: item.name, reason: 'no_instagram_account' });
            continue;
          }
          if (item.tasks && !item.tasks.some((task) => PUBLISHING_TASKS.has(task))) {
            problems.push({ id: item.id, name: item.name, reason: 'insufficient_page_role' });
            continue;
          }
          candidates.push({
            externalId: instagram.id,
            username: instagram.username ?? null,
            displayName: instagram.name ?? instagram.username ?? null,
            profilePictureUrl: instagram.profile_picture_url ?? null,
            parent: { id: item.id, name: item.name },
            assetToken: item.access_token ? new Secret(item.access_token) : undefined,
          });
        }
        after = data.paging?.next ? data.paging.cursors?.after : undefined;
        if (!after) break;
      }
      return { candidates, problems };
    },

    inspect,

    async revoke(tokens) {
      try {
        await graph.delete({ path: 'me/permissions', token: tokens.accessToken.reveal(), schema: successResponse });
      } catch (error) {
        // A token that is already invalid has nothing left to revoke.
        if (!(error instanceof ReauthRequiredError)) throw error;
      }
    },
  };
}
