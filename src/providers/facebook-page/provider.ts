import { Secret } from '../../server/vault/secret.ts';
import { createGraphClient } from '../meta-graph/client.ts';
import { canPublish, createFacebookLogin } from '../meta-graph/facebook-login.ts';
import type { ConnectCandidate, ConnectProvider, ProviderContext, TargetProblem } from '../types.ts';
import { createFacebookPagePublisher } from './publisher.ts';

export interface FacebookPageProviderConfig {
  appId: string;
  appSecret: string;
  graphVersion: string;
  graphUrl: string;
  wwwUrl: string;
}

/**
 * Permissions for publishing to Pages (reference §7): listing them, posting, reading the posts
 * back, and videos. Always asked as a scope list: a Login for Business configuration
 * (FACEBOOK_CONFIG_ID) fixes Instagram's set, which lacks pages_manage_posts.
 */
export const FACEBOOK_PAGE_SCOPES = [
  'pages_show_list',
  'pages_manage_posts',
  'pages_read_engagement',
  'publish_video',
] as const;

/**
 * Facebook Pages through Facebook Login, on the same Meta app as Instagram. Each Page the user
 * may publish to is one account, published to with its Page token; a Page token taken from a
 * long-lived user token never expires but dies with the grant (password change, lost role, app
 * removed), which is why checks inspect the Page token itself.
 */
export function createFacebookPageProvider(
  config: FacebookPageProviderConfig,
  context: ProviderContext,
): ConnectProvider {
  const graph = createGraphClient({
    provider: 'facebook_page',
    baseUrl: config.graphUrl,
    version: config.graphVersion,
    appSecret: config.appSecret,
    fetch: context.fetch,
    now: context.now,
    onUsage: context.onUsage,
    throttle: context.throttle?.forApp(config.appId, 'facebook', 'facebook_page'),
    timeoutMs: context.timeoutMs,
  });
  const login = createFacebookLogin(config, graph, context.now);

  return {
    id: 'facebook_page',
    displayName: 'Facebook Page',
    // Published to with its Page token, which outlives the user token: the Page's health is that token's.
    capabilities: { refresh: 'reauth_only', inspects: 'page_access' },
    requiredScopes: FACEBOOK_PAGE_SCOPES,
    publisher: createFacebookPagePublisher(graph),

    authorizationUrl: ({ state, redirectUri }) =>
      login.authorizationUrl({ state, redirectUri, scopes: FACEBOOK_PAGE_SCOPES }),
    exchangeCode: login.exchangeCode,

    async listTargets(tokens) {
      const candidates: ConnectCandidate[] = [];
      const problems: TargetProblem[] = [];
      for (const page of await login.listPages(tokens.accessToken, 'id,name,access_token,tasks,picture')) {
        // Without a publishing task (or a Page token to publish with) the Page cannot be posted to.
        if (!canPublish(page) || !page.access_token) {
          problems.push({ id: page.id, name: page.name, reason: 'insufficient_page_role' });
          continue;
        }
        candidates.push({
          externalId: page.id,
          username: null,
          displayName: page.name,
          profilePictureUrl: page.picture?.data.url ?? null,
          parent: null,
          assetToken: new Secret(page.access_token),
          // From a long-lived user token, a Page token does not expire (reference §2.5).
          tokenExpiresAt: null,
        });
      }
      return { candidates, problems };
    },

    inspect: login.inspect,
    revoke: login.revoke,
  };
}
