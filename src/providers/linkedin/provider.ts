import type { ConnectProvider, ProviderContext } from '../types.ts';
import { createLinkedInClient } from './client.ts';
import { createLinkedInOAuth } from './oauth.ts';
import { createLinkedInPublisher } from './publisher.ts';
import { type Userinfo, userinfo } from './schemas.ts';

export interface LinkedInConfig {
  clientId: string;
  clientSecret: string;
  /** `LinkedIn-Version` (YYYYMM) for `/rest/*` calls. */
  version: string;
  /** Requested from the member, all or nothing (reference §8.1); every one of them is required. */
  scopes: readonly string[];
  apiUrl: string;
  wwwUrl: string;
}

/** What a member is called: the OpenID Connect name, else the given and family names, else the email. */
const memberName = (claims: Userinfo): string | null =>
  claims.name ?? ([claims.given_name, claims.family_name].filter(Boolean).join(' ') || (claims.email ?? null));

/**
 * A LinkedIn member (`urn:li:person:{sub}`), connected with 3-legged OAuth (no PKCE for members,
 * reference §8.1). Access tokens last 60 days. Apps approved for programmatic refresh also get a
 * refresh token with a fixed 365-day life that refreshing never extends; other apps get none, and
 * their members connect again when the access token ends.
 */
export function createLinkedInProvider(config: LinkedInConfig, context: ProviderContext): ConnectProvider {
  const client = createLinkedInClient({
    ...config,
    fetch: context.fetch,
    now: context.now,
    timeoutMs: context.timeoutMs,
  });

  return {
    id: 'linkedin',
    displayName: 'LinkedIn',
    capabilities: { refresh: 'refresh_token' },
    requiredScopes: config.scopes,
    ...createLinkedInOAuth(config, client, context),

    /** A member connects themself: the one candidate is the member behind the token (OpenID Connect userinfo). */
    async listTargets(tokens) {
      const { data } = await client.request({
        path: '/v2/userinfo',
        token: tokens.accessToken.reveal(),
        schema: userinfo,
      });
      return {
        candidates: [
          {
            externalId: data.sub,
            // LinkedIn shows no handle to OpenID Connect clients; the member goes by their name.
            username: null,
            displayName: memberName(data),
            profilePictureUrl: data.picture ?? null,
            parent: null,
          },
        ],
        problems: [],
      };
    },

    // No `revoke`: LinkedIn documents no endpoint that revokes a member's grant (neither the
    // reference nor the sandbox has one). The member removes the app under LinkedIn Settings →
    // Data privacy → Permitted services; disconnecting deletes Tether's copy of the tokens.

    publisher: createLinkedInPublisher(client, {
      fetch: context.fetch,
      author: (sub) => `urn:li:person:${sub}`,
    }),
  };
}
