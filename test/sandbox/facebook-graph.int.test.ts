import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import {
  BRAND_IG,
  BRAND_PAGE,
  EVENTS_PAGE,
  FB_APP,
  getJson,
  graph,
  longLivedToken,
  pageToken,
  proof,
  USER_ID,
  userToken,
} from './facebook-flow.ts';

const HOUR = 3_600_000;
const appToken = `${FB_APP.id}|${FB_APP.secret}`;

describe('Facebook Graph: /me, /me/accounts, Page objects', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  it('answers /me with id and name by default, email only when granted, via parameter or Bearer header', async () => {
    const token = await userToken(s);
    expect((await getJson(graph(s, '/me', { access_token: token }))).body).toEqual({ id: USER_ID, name: 'Sam Rivera' });
    const { body } = await getJson(graph(s, '/me', { fields: 'id,name,email' }), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(body).toEqual({ id: USER_ID, name: 'Sam Rivera', email: 'sam@northwind.example' });

    const noEmail = await userToken(s, { grant: ['pages_show_list'] });
    expect((await getJson(graph(s, '/me', { access_token: noEmail, fields: 'email' }))).body).toEqual({ id: USER_ID });
    const unknown = await getJson(graph(s, '/me', { access_token: token, fields: 'birthday' }));
    expect(unknown.body.error).toMatchObject({ code: 100, message: expect.stringContaining('(birthday)') });
  });

  it('lists the granted Pages with fields, Page tokens, tasks, pictures and the linked Instagram account', async () => {
    const token = await userToken(s);
    const { response, body } = await getJson(
      graph(s, '/me/accounts', {
        access_token: token,
        fields:
          'id,name,access_token,category,tasks,picture,instagram_business_account{id,username,profile_picture_url}',
      }),
    );
    expect(response.status).toBe(200);
    expect(body.data).toHaveLength(2);
    expect(body.data[0]).toEqual({
      id: BRAND_PAGE,
      name: 'Northwind Coffee',
      access_token: expect.stringMatching(/^EAAG/),
      category: 'Coffee Shop',
      tasks: ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'],
      picture: {
        data: { height: 50, width: 50, is_silhouette: false, url: `${s.urls.media}/avatars/northwind-coffee.jpg` },
      },
      instagram_business_account: {
        id: BRAND_IG,
        username: 'northwind.coffee',
        profile_picture_url: `${s.urls.media}/avatars/northwind-coffee.jpg`,
      },
    });
    expect(body.data[1].id).toBe(EVENTS_PAGE);
    expect(body.data[1]).not.toHaveProperty('instagram_business_account');
    expect(body.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
    expect(body.paging).not.toHaveProperty('next');
  });

  it('pages through /me/accounts with limit and after', async () => {
    const token = await userToken(s);
    const first = await getJson(graph(s, '/me/accounts', { access_token: token, fields: 'id', limit: '1' }));
    expect(first.body.data).toEqual([{ id: BRAND_PAGE }]);
    expect(first.body.paging.next).toMatch(/\/graph-facebook\/v25\.0\/me\/accounts\?/);
    const second = await getJson(first.body.paging.next);
    expect(second.body.data).toEqual([{ id: EVENTS_PAGE }]);
    expect(second.body.paging).not.toHaveProperty('next');
  });

  it('lists only the Pages picked in the dialog and hides Instagram without instagram_basic', async () => {
    const token = await userToken(s, { pages: [BRAND_PAGE], grant: ['pages_show_list'] });
    const { body } = await getJson(
      graph(s, '/me/accounts', { access_token: token, fields: 'id,instagram_business_account' }),
    );
    expect(body.data).toEqual([{ id: BRAND_PAGE }]);
  });

  it('lists no Page when none was ticked, and debug_token shows empty target lists', async () => {
    const token = await userToken(s, { pages: [], grant: ['pages_show_list', 'instagram_basic'] });
    const { body } = await getJson(graph(s, '/me/accounts', { access_token: token }));
    expect(body).toEqual({ data: [], paging: {} });
    const debug = await getJson(graph(s, '/debug_token', { input_token: token, access_token: appToken }));
    expect(debug.body.data.granular_scopes).toEqual([
      { scope: 'pages_show_list', target_ids: [] },
      { scope: 'instagram_basic', target_ids: [] },
    ]);
  });

  it('refuses /me/accounts without pages_show_list, and with a Page token', async () => {
    const token = await userToken(s, { grant: ['email'] });
    const { response, body } = await getJson(graph(s, '/me/accounts', { access_token: token }));
    expect(response.status).toBe(403);
    expect(body.error).toMatchObject({ code: 10, type: 'OAuthException' });

    const page = await pageToken(s, await userToken(s));
    const withPage = await getJson(graph(s, '/me/accounts', { access_token: page }));
    expect(withPage.body.error).toMatchObject({ code: 100, message: expect.stringContaining('(accounts)') });
  });

  it('issues Page tokens lasting 1 h from a short-lived user token and never expiring from a long-lived one', async () => {
    const short = await userToken(s);
    const fromShort = await pageToken(s, short);
    const fromLong = await pageToken(s, await longLivedToken(s, short));
    const debug = async (token: string) =>
      (await getJson(graph(s, '/debug_token', { input_token: token, access_token: appToken }))).body.data;
    const shortPage = await debug(fromShort);
    expect(shortPage.expires_at - shortPage.issued_at).toBe(3600);
    expect((await debug(fromLong)).expires_at).toBe(0);

    await s.control.advanceClock(HOUR);
    expect((await getJson(graph(s, '/me', { access_token: fromShort }))).body.error).toMatchObject({
      code: 190,
      error_subcode: 463,
    });
    expect((await getJson(graph(s, '/me', { access_token: fromLong }))).body).toEqual({
      id: BRAND_PAGE,
      name: 'Northwind Coffee',
    });
  });

  it('reads a Page through GET /{page-id} with its Page token for a manager, and without it otherwise', async () => {
    const user = await userToken(s, { pages: [BRAND_PAGE] });
    const { response, body } = await getJson(
      graph(s, `/${BRAND_PAGE}`, { access_token: user, fields: 'access_token,name' }),
    );
    expect(body).toEqual({ access_token: expect.stringMatching(/^EAAG/), name: 'Northwind Coffee', id: BRAND_PAGE });
    expect(JSON.parse(response.headers.get('x-app-usage') ?? '{}')).toHaveProperty('call_count');
    expect(JSON.parse(response.headers.get('x-business-use-case-usage') ?? '{}')[BRAND_PAGE]?.[0]).toMatchObject({
      type: 'pages',
    });
    const other = await getJson(graph(s, `/${EVENTS_PAGE}`, { access_token: user, fields: 'access_token,name' }));
    expect(other.body).toEqual({ name: 'Northwind Events', id: EVENTS_PAGE });
    const page = await pageToken(s, user);
    const own = await getJson(graph(s, `/${BRAND_PAGE}`, { access_token: page, fields: 'access_token' }));
    expect(own.body.access_token).toBe(page);
    const invalid = await getJson(graph(s, `/${BRAND_PAGE}`, { access_token: 'EAABnope' }));
    expect(invalid.body.error.code).toBe(190);
  });
});

describe('Facebook Graph: permissions, revocation and token errors', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  it('answers an unknown token with 190 and WWW-Authenticate, a missing one with 2500', async () => {
    const { response, body } = await getJson(graph(s, '/me', { access_token: 'EAABunknown' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('www-authenticate')).toMatch(/^OAuth "Facebook Platform" "invalid_token"/);
    expect(body.error).toMatchObject({ code: 190, type: 'OAuthException' });
    expect(body.error).not.toHaveProperty('error_subcode');
    expect((await getJson(graph(s, '/me'))).body.error.code).toBe(2500);
  });

  it('answers an expired token with 190/463', async () => {
    const token = await userToken(s);
    await s.control.advanceClock(2 * HOUR);
    const { response, body } = await getJson(graph(s, '/me', { access_token: token }));
    expect(response.headers.get('www-authenticate')).toContain('Session has expired');
    expect(body.error).toMatchObject({
      code: 190,
      error_subcode: 463,
      message: expect.stringMatching(/^Error validating access token: Session has expired/),
    });
  });

  it.each([458, 459, 460, 464, 467, 492] as const)('answers a token revoked with subcode %i', async (subcode) => {
    const token = await userToken(s);
    const page = await pageToken(s, token);
    await s.control.revokeTokens({ subjectId: USER_ID, appId: FB_APP.id }, subcode);
    for (const revoked of [token, page]) {
      const { response, body } = await getJson(graph(s, '/me', { access_token: revoked }));
      expect(response.status).toBe(400);
      expect(response.headers.get('www-authenticate')).toMatch(/"invalid_token"/);
      expect(body.error).toMatchObject({ code: 190, error_subcode: subcode, type: 'OAuthException' });
    }
  });

  it('DELETE /me/permissions de-authorizes the app: every token of the user gets 190/458', async () => {
    const first = await userToken(s);
    const second = await longLivedToken(s, await userToken(s));
    const page = await pageToken(s, second);
    const { body } = await getJson(graph(s, '/me/permissions', { access_token: first }), { method: 'DELETE' });
    expect(body).toEqual({ success: true });
    for (const token of [first, second, page])
      expect((await getJson(graph(s, '/me', { access_token: token }))).body.error).toMatchObject({
        code: 190,
        error_subcode: 458,
      });
  });

  it('DELETE /{user-id}/permissions works with the app token and refuses other users', async () => {
    const token = await userToken(s);
    await s.control.putFacebookUser({
      id: '10200000000000009',
      name: 'Alex Kim',
      email: 'alex@example.com',
      pageRoles: [],
    });
    const other = await getJson(graph(s, '/10200000000000009/permissions', { access_token: token }), {
      method: 'DELETE',
    });
    expect(other.body.error.code).toBe(200);
    const unknown = await getJson(graph(s, '/123/permissions', { access_token: appToken }), { method: 'DELETE' });
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33 });
    const { body } = await getJson(graph(s, `/${USER_ID}/permissions`, { access_token: appToken }), {
      method: 'DELETE',
    });
    expect(body).toEqual({ success: true });
    expect((await getJson(graph(s, '/me', { access_token: token }))).body.error.error_subcode).toBe(458);
  });

  it('DELETE /me/permissions/{permission} declines one permission on every token of the user', async () => {
    const token = await userToken(s);
    const page = await pageToken(s, token);
    const { body } = await getJson(graph(s, '/me/permissions/pages_manage_posts', { access_token: token }), {
      method: 'DELETE',
    });
    expect(body).toEqual({ success: true });
    const permissions = (await getJson(graph(s, '/me/permissions', { access_token: token }))).body.data;
    expect(permissions).toContainEqual({ permission: 'pages_manage_posts', status: 'declined' });
    expect(permissions).not.toContainEqual({ permission: 'pages_manage_posts', status: 'granted' });
    const debug = (await getJson(graph(s, '/debug_token', { input_token: page, access_token: appToken }))).body.data;
    expect(debug.scopes).not.toContain('pages_manage_posts');
    expect((await getJson(graph(s, '/me', { access_token: token }))).body.id).toBe(USER_ID);
  });
});

describe('Facebook Graph: appsecret_proof', () => {
  let s: RunningSandbox;
  let token: string;
  beforeAll(async () => {
    s = await startSandbox();
    token = await userToken(s);
    await s.control.upsertApp(FB_APP.id, { requireAppSecretProof: true });
  });
  afterAll(() => s.close());

  const now = () => Math.floor(s.sandbox.clock.now() / 1000);

  it('accepts the current form (token|appsecret_time) and the legacy form (token only)', async () => {
    const time = now();
    const current = await getJson(
      graph(s, '/me', { access_token: token, appsecret_proof: proof(token, time), appsecret_time: String(time) }),
    );
    expect(current.body).toEqual({ id: USER_ID, name: 'Sam Rivera' });
    const legacy = await getJson(graph(s, '/me', { access_token: token, appsecret_proof: proof(token) }));
    expect(legacy.body.id).toBe(USER_ID);
  });

  it('refuses a missing, a wrong and a stale proof with code 100', async () => {
    const missing = await getJson(graph(s, '/me', { access_token: token }));
    expect(missing.body.error).toMatchObject({
      code: 100,
      message: 'API calls from the server require an appsecret_proof argument',
    });
    const wrong = await getJson(graph(s, '/me', { access_token: token, appsecret_proof: proof(`${token}x`) }));
    expect(wrong.body.error).toMatchObject({
      code: 100,
      message: 'Invalid appsecret_proof provided in the API argument',
    });
    const stale = now() - 6 * 60;
    const old = await getJson(
      graph(s, '/me', { access_token: token, appsecret_proof: proof(token, stale), appsecret_time: String(stale) }),
    );
    expect(old.body.error).toMatchObject({
      code: 100,
      message: 'Invalid appsecret_proof provided in the API argument',
    });
  });

  it('applies to /me/accounts and Page publishing too', async () => {
    const accounts = await getJson(graph(s, '/me/accounts', { access_token: token }));
    expect(accounts.body.error.code).toBe(100);
    const withProof = await getJson(
      graph(s, '/me/accounts', { access_token: token, fields: 'id,access_token', appsecret_proof: proof(token) }),
    );
    const page = withProof.body.data[0].access_token as string;
    const post = await getJson(graph(s, `/${BRAND_PAGE}/feed`), {
      method: 'POST',
      body: new URLSearchParams({ access_token: page, message: 'hello' }),
    });
    expect(post.body.error.message).toMatch(/appsecret_proof/);
    const signed = await getJson(graph(s, `/${BRAND_PAGE}/feed`), {
      method: 'POST',
      body: new URLSearchParams({ access_token: page, message: 'hello', appsecret_proof: proof(page) }),
    });
    expect(signed.body.id).toMatch(new RegExp(`^${BRAND_PAGE}_\\d+$`));
  });
});
