import { Secret } from '../../server/vault/secret.ts';
import { createGraphClient } from '../meta-graph/client.ts';
import { canPublish, createFacebookLogin } from '../meta-graph/facebook-login.ts';
import type { ConnectCandidate, ConnectProvider, ProviderContext, TargetProblem } from '../types.ts';
import { createInstagramPublisher } from './publisher.ts';

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
    throttle: context.throttle?.forApp(config.appId, 'facebook', 'instagram'),
    timeoutMs: context.timeoutMs,
  });
  const login = createFacebookLogin(config, graph, context.now);

  return {
    id: 'instagram',
    displayName: 'Instagram (via Facebook Login)',
    capabilities: { refresh: 'reauth_only' },
    requiredScopes: INSTAGRAM_SCOPES,
    publisher: createInstagramPublisher(graph),

    authorizationUrl: ({ state, redirectUri }) =>
      login.authorizationUrl({ state, redirectUri, scopes: INSTAGRAM_SCOPES, configId: config.configId }),
    exchangeCode: login.exchangeCode,

    async listTargets(tokens) {
      const candidates: ConnectCandidate[] = [];
      const problems: TargetProblem[] = [];
      const pages = await login.listPages(
        tokens.accessToken,
        'id,name,access_token,tasks,instagram_business_account{id,username,name,profile_picture_url}',
      );
      for (const item of pages) {
        const instagram = item.instagram_business_account;
        if (!instagram) {
          problems.push({ id: item.id, name: item.name, reason: 'no_instagram_account' });
          continue;
        }
        if (!canPublish(item)) {
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
      return { candidates, problems };
    },

    inspect: login.inspect,
    revoke: login.revoke,
  };
}
