import { describe, expect, it } from 'vitest';
import { Secret } from '../../server/vault/secret.ts';
import type { TokenSet } from '../types.ts';
import { createFacebookPageProvider, FACEBOOK_PAGE_SCOPES } from './provider.ts';

const config = {
  appId: '1000000000000001',
  appSecret: 'app-secret',
  graphVersion: 'v25.0',
  graphUrl: 'https://graph.example',
  wwwUrl: 'https://www.example',
};
const NOW = Date.UTC(2026, 10, 1);

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | null;
}

/** A provider against a Graph that answers by method and path, recording each request. */
function providerWith(routes: Record<string, (query: URLSearchParams) => { status?: number; body: unknown }>) {
  const seen: Seen[] = [];
  const provider = createFacebookPageProvider(config, {
    now: () => NOW,
    fetch: async (url, init) => {
      const parsed = new URL(url);
      const method = init?.method ?? 'GET';
      const path = parsed.pathname.replace('/v25.0/', '');
      const authorization = new Headers(init?.headers).get('authorization');
      seen.push({ method, path, query: parsed.searchParams, authorization });
      const route = routes[`${method} ${path}`];
      if (!route) return new Response(JSON.stringify({ error: { message: 'no route', code: 100 } }), { status: 400 });
      const answer = route(parsed.searchParams);
      return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200 });
    },
  });
  return { provider, seen };
}

const userTokens: TokenSet = { accessToken: new Secret('user-token'), expiresAt: null, scopes: [] };
const page = (id: string, tasks: string[], token: string | null = `page-token-${id}`) => ({
  id,
  name: `Page ${id}`,
  ...(token ? { access_token: token } : {}),
  tasks,
  picture: { data: { url: `https://cdn.example/${id}.jpg` } },
});

describe('facebook_page provider', () => {
  it('asks for the Page scopes with the scope list, never a Login for Business configuration', () => {
    const { provider } = providerWith({});
    const url = new URL(provider.authorizationUrl({ state: 's1', redirectUri: 'https://tether.example/cb' }));
    expect(url.origin + url.pathname).toBe('https://www.example/v25.0/dialog/oauth');
    expect(url.searchParams.get('scope')).toBe(
      'pages_show_list,pages_manage_posts,pages_read_engagement,publish_video',
    );
    expect(url.searchParams.get('config_id')).toBeNull();
    expect(provider.requiredScopes).toEqual(FACEBOOK_PAGE_SCOPES);
    expect(provider.capabilities.refresh).toBe('reauth_only');
  });

  it('lists Pages with a publishing task as candidates with their Page tokens, the others as problems, across pages', async () => {
    const { provider, seen } = providerWith({
      'GET me/accounts': (query) =>
        query.get('after') === 'c1'
          ? { body: { data: [page('3', ['ANALYZE']), page('4', ['MODERATE'], null)] } }
          : {
              body: {
                data: [page('1', ['MANAGE', 'CREATE_CONTENT']), page('2', ['CREATE_CONTENT'])],
                paging: { cursors: { after: 'c1' }, next: 'https://graph.example/next' },
              },
            },
    });
    const { candidates, problems } = await provider.listTargets(userTokens);
    expect(candidates.map(({ assetToken, ...rest }) => ({ ...rest, token: assetToken?.reveal() }))).toEqual([
      {
        externalId: '1',
        username: null,
        displayName: 'Page 1',
        profilePictureUrl: 'https://cdn.example/1.jpg',
        parent: null,
        token: 'page-token-1',
        tokenExpiresAt: null,
      },
      {
        externalId: '2',
        username: null,
        displayName: 'Page 2',
        profilePictureUrl: 'https://cdn.example/2.jpg',
        parent: null,
        token: 'page-token-2',
        tokenExpiresAt: null,
      },
    ]);
    expect(problems).toEqual([
      { id: '3', name: 'Page 3', reason: 'insufficient_page_role' },
      { id: '4', name: 'Page 4', reason: 'insufficient_page_role' },
    ]);
    expect(seen.map((call) => call.query.get('fields'))).toEqual([
      'id,name,access_token,tasks,picture',
      'id,name,access_token,tasks,picture',
    ]);
    expect(seen[0]?.authorization).toBe('Bearer user-token');
  });

  it('inspects a Page token: no expiry when debug_token says 0, the reason when it is dead', async () => {
    let valid = true;
    const { provider, seen } = providerWith({
      'GET debug_token': () => ({
        body: {
          data: valid
            ? { type: 'PAGE', is_valid: true, expires_at: 0, data_access_expires_at: 1_800_000_000, scopes: ['a'] }
            : { is_valid: false, error: { code: 190, subcode: 460 }, scopes: [] },
        },
      }),
    });
    expect(await provider.inspect(new Secret('page-token-1'))).toEqual({
      valid: true,
      expiresAt: null,
      dataAccessExpiresAt: new Date(1_800_000_000_000),
      scopes: ['a'],
      invalidReason: undefined,
    });
    expect(seen[0]?.query.get('input_token')).toBe('page-token-1');
    expect(seen[0]?.query.get('access_token')).toBe(`${config.appId}|${config.appSecret}`);
    valid = false;
    expect(await provider.inspect(new Secret('page-token-1'))).toMatchObject({
      valid: false,
      invalidReason: 'password_changed',
    });
  });

  it('revokes with DELETE /me/permissions and the user token; an already dead token is not an error', async () => {
    let dead = false;
    const { provider, seen } = providerWith({
      'DELETE me/permissions': () =>
        dead
          ? { status: 400, body: { error: { message: 'expired', code: 190, error_subcode: 463 } } }
          : { body: { success: true } },
    });
    await provider.revoke?.(userTokens);
    expect(seen[0]).toMatchObject({ method: 'DELETE', path: 'me/permissions', authorization: 'Bearer user-token' });
    dead = true;
    await expect(provider.revoke?.(userTokens)).resolves.toBeUndefined();
  });
});
