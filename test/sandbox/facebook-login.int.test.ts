import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFacebookControlClient } from '../../src/sandbox/facebook/control-client.ts';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import {
  BRAND_IG,
  BRAND_PAGE,
  dialogUrl,
  EVENTS_PAGE,
  exchangeCode,
  FB_APP,
  FULL_SCOPE,
  getJson,
  graph,
  longLivedToken,
  REDIRECT_URI,
  runDialog,
  USER_ID,
  userToken,
} from './facebook-flow.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('Facebook Login dialog (www.facebook.com)', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  it('renders a sandbox consent page with the app, the person, Pages with their Instagram account, and permissions', async () => {
    const response = await fetch(
      dialogUrl(s, {
        client_id: FB_APP.id,
        redirect_uri: REDIRECT_URI,
        scope: 'pages_show_list,instagram_basic',
        state: 'x',
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' http: https:",
    );
    const markup = await response.text();
    expect(markup).toContain('SANDBOX');
    expect(markup).toContain('Tether Sandbox (Facebook)');
    expect(markup).toContain('Continue as Sam Rivera');
    expect(markup).toContain(`name="page_${BRAND_PAGE}"`);
    expect(markup).toContain('Instagram @northwind.coffee');
    expect(markup).toContain(`name="page_${EVENTS_PAGE}"`);
    expect(markup).toContain('name="perm_pages_show_list"');
    expect(markup).toContain('name="perm_instagram_basic"');
    expect(markup).toContain('Cancel');
  });

  it('also serves the unversioned path and escapes what it echoes', async () => {
    await s.control.upsertApp(FB_APP.id, { name: '<b>Evil & Co</b>' });
    const response = await fetch(
      `${s.urls.facebookWww}/dialog/oauth?${new URLSearchParams({ client_id: FB_APP.id, redirect_uri: REDIRECT_URI, scope: 'email' })}`,
    );
    const markup = await response.text();
    expect(markup).toContain('&lt;b&gt;Evil &amp; Co&lt;/b&gt;');
    expect(markup).not.toContain('<b>Evil');
  });

  it('shows a person picker when several users are seeded', async () => {
    await s.control.putFacebookUser({
      id: '10200000000000009',
      name: 'Alex Kim',
      email: 'alex@example.com',
      pageRoles: [],
    });
    const markup = await (
      await fetch(dialogUrl(s, { client_id: FB_APP.id, redirect_uri: REDIRECT_URI, scope: 'email' }))
    ).text();
    expect(markup).toContain('<select id="user_id" name="user_id">');
    expect(markup).toContain('Alex Kim');
  });

  it.each([
    ['an unknown client_id', { client_id: '999', redirect_uri: REDIRECT_URI }, 'Invalid App ID'],
    ['a non-Facebook app', { client_id: 'sandboxlinkedinclient', redirect_uri: REDIRECT_URI }, 'Invalid App ID'],
    ['a non-http redirect_uri', { client_id: FB_APP.id, redirect_uri: 'javascript:alert(1)' }, 'URL Blocked'],
    ['a missing redirect_uri', { client_id: FB_APP.id }, 'URL Blocked'],
    [
      'an unknown permission',
      { client_id: FB_APP.id, redirect_uri: REDIRECT_URI, scope: 'email,nope' },
      'Invalid Scopes: nope',
    ],
    [
      'response_type=token',
      { client_id: FB_APP.id, redirect_uri: REDIRECT_URI, response_type: 'token' },
      'response_type',
    ],
  ])('answers %s with an error page, never a redirect', async (_name, query, title) => {
    const response = await fetch(dialogUrl(s, query as Record<string, string>), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain(title);
  });

  it('blocks redirect URIs the app does not list when it lists some', async () => {
    await s.control.upsertApp(FB_APP.id, { redirectUris: ['https://allowed.example/cb'] });
    const blocked = await fetch(dialogUrl(s, { client_id: FB_APP.id, redirect_uri: REDIRECT_URI }));
    expect(await blocked.text()).toContain('URL Blocked');
    const allowed = await fetch(dialogUrl(s, { client_id: FB_APP.id, redirect_uri: 'https://allowed.example/cb' }));
    expect(allowed.status).toBe(200);
  });

  it('approves with a code, the state and the #_=_ fragment, keeping the redirect URI query', async () => {
    const location = await runDialog(s, { state: 'csrf-1' });
    expect(`${location.origin}${location.pathname}`).toBe('https://tether.example/callback/facebook');
    expect(location.searchParams.get('source')).toBe('test');
    expect(location.searchParams.get('code')).toMatch(/^AQ/);
    expect(location.searchParams.get('state')).toBe('csrf-1');
    expect(location.hash).toBe('#_=_');
  });

  it('denies with Facebook’s error parameters', async () => {
    const location = await runDialog(s, { decision: 'deny', state: 'csrf-2' });
    expect(Object.fromEntries(location.searchParams)).toEqual({
      source: 'test',
      error: 'access_denied',
      error_code: '200',
      error_description: 'Permissions error',
      error_reason: 'user_denied',
      state: 'csrf-2',
    });
    expect(location.hash).toBe('#_=_');
  });

  it('refuses a decision for an unknown or already used request', async () => {
    const response = await fetch(`${s.urls.facebookWww}/dialog/oauth/decision`, {
      method: 'POST',
      body: new URLSearchParams({ request_id: 'nope', decision: 'approve' }),
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Session expired');
  });

  it('records a partial grant: declined permissions and only the picked Page and its Instagram account', async () => {
    const token = await userToken(s, {
      pages: [BRAND_PAGE],
      grant: ['pages_show_list', 'pages_manage_posts', 'instagram_basic'],
    });
    const { body: permissions } = await getJson(graph(s, '/me/permissions', { access_token: token }));
    expect(permissions.data).toEqual([
      { permission: 'public_profile', status: 'granted' },
      { permission: 'pages_show_list', status: 'granted' },
      { permission: 'pages_manage_posts', status: 'granted' },
      { permission: 'instagram_basic', status: 'granted' },
      { permission: 'email', status: 'declined' },
      { permission: 'pages_read_engagement', status: 'declined' },
      { permission: 'instagram_content_publish', status: 'declined' },
    ]);
    const { body: debug } = await getJson(
      graph(s, '/debug_token', { input_token: token, access_token: `${FB_APP.id}|${FB_APP.secret}` }),
    );
    expect(debug.data.scopes).toEqual(['public_profile', 'pages_show_list', 'pages_manage_posts', 'instagram_basic']);
    expect(debug.data.granular_scopes).toEqual([
      { scope: 'pages_show_list', target_ids: [BRAND_PAGE] },
      { scope: 'pages_manage_posts', target_ids: [BRAND_PAGE] },
      { scope: 'instagram_basic', target_ids: [BRAND_IG] },
    ]);
  });

  it('grants a Login for Business configuration in full, without permission checkboxes', async () => {
    const page = await fetch(dialogUrl(s, { client_id: FB_APP.id, redirect_uri: REDIRECT_URI, config_id: '777' }));
    const markup = await page.text();
    expect(markup).not.toContain('name="perm_');
    expect(markup).toContain('All of them are required');
    const token = await userToken(s, { configId: '777', grant: [] });
    const { body } = await getJson(graph(s, '/me/permissions', { access_token: token }));
    expect(body.data.map((entry: { permission: string }) => entry.permission)).toEqual([
      'public_profile',
      'pages_show_list',
      'pages_read_engagement',
      'pages_manage_posts',
      'instagram_basic',
      'instagram_content_publish',
      'business_management',
    ]);
    expect(body.data.every((entry: { status: string }) => entry.status === 'granted')).toBe(true);
  });
});

describe('Facebook code exchange and token lifetimes (graph.facebook.com)', () => {
  let s: RunningSandbox;
  const appToken = `${FB_APP.id}|${FB_APP.secret}`;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  it('exchanges a code for a 2-hour bearer token, by GET or POST', async () => {
    const code = (await runDialog(s)).searchParams.get('code') ?? '';
    const { response, body } = await exchangeCode(s, code);
    expect(response.status).toBe(200);
    expect(body).toEqual({ access_token: expect.stringMatching(/^EAAB/), token_type: 'bearer', expires_in: 7200 });

    const second = (await runDialog(s)).searchParams.get('code') ?? '';
    const posted = await getJson(`${s.urls.facebookGraph}/oauth/access_token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: FB_APP.id,
        client_secret: FB_APP.secret,
        redirect_uri: REDIRECT_URI,
        code: second,
      }),
    });
    expect(posted.body.token_type).toBe('bearer');
  });

  it('returns a ~60-day token when the control setting asks for the observed behaviour', async () => {
    const settings = await createFacebookControlClient(s.baseUrl).updateSettings({ codeExchangeLifetime: 'long' });
    expect(settings.codeExchangeLifetime).toBe('long');
    const code = (await runDialog(s)).searchParams.get('code') ?? '';
    expect((await exchangeCode(s, code)).body.expires_in).toBe(5_184_000);
  });

  it('validates the settings switch and resets it with the sandbox', async () => {
    const client = createFacebookControlClient(s.baseUrl);
    await expect(client.updateSettings({ codeExchangeLifetime: 'forever' as 'long' })).rejects.toThrow(
      /codeExchangeLifetime/,
    );
    await client.updateSettings({ codeExchangeLifetime: 'long' });
    await s.control.reset();
    expect((await client.settings()).codeExchangeLifetime).toBe('short');
  });

  it('rejects a reused code with 100/36009 and WWW-Authenticate', async () => {
    const code = (await runDialog(s)).searchParams.get('code') ?? '';
    await exchangeCode(s, code);
    const { response, body } = await exchangeCode(s, code);
    expect(response.status).toBe(400);
    expect(response.headers.get('www-authenticate')).toBe(
      'OAuth "Facebook Platform" "invalid_code" "This authorization code has been used."',
    );
    expect(body.error).toMatchObject({
      message: 'This authorization code has been used.',
      type: 'OAuthException',
      code: 100,
      error_subcode: 36009,
      fbtrace_id: expect.any(String),
    });
  });

  it('rejects a redirect_uri that is not byte-identical, without consuming the code', async () => {
    const code = (await runDialog(s)).searchParams.get('code') ?? '';
    const { response, body } = await exchangeCode(s, code, { redirect_uri: `${REDIRECT_URI}&x=1` });
    expect(response.status).toBe(400);
    expect(body.error.code).toBe(100);
    expect(body.error.message).toMatch(/redirect_uri is identical/);
    expect((await exchangeCode(s, code)).response.status).toBe(200);
  });

  it('rejects an expired code after 10 minutes of virtual time', async () => {
    const code = (await runDialog(s)).searchParams.get('code') ?? '';
    await s.control.advanceClock(10 * MINUTE + 1);
    const { body } = await exchangeCode(s, code);
    expect(body.error).toMatchObject({
      code: 100,
      error_subcode: 36007,
      message: 'This authorization code has expired.',
    });
  });

  it.each([
    ['a wrong secret', { client_secret: 'nope' }, 100, 'Error validating client secret.'],
    ['an unknown app', { client_id: '42' }, 101, 'Error validating application. Invalid application ID.'],
    ['an unknown code', { code: 'AQnope' }, 100, 'Invalid verification code format.'],
    ['a missing code', { code: '' }, 100, '(#100) The parameter code is required'],
  ])('rejects %s', async (_name, overrides, code, message) => {
    const valid = (await runDialog(s)).searchParams.get('code') ?? '';
    const { response, body } = await exchangeCode(s, valid, overrides);
    expect(response.status).toBe(400);
    expect(body.error).toMatchObject({ code, message, type: 'OAuthException' });
  });

  it('exchanges a short-lived token for a 60-day one, but not an expired one', async () => {
    const short = await userToken(s);
    const long = await longLivedToken(s, short);
    const { body } = await getJson(graph(s, '/debug_token', { input_token: long, access_token: appToken }));
    expect(body.data.expires_at - body.data.issued_at).toBe(60 * 86_400);

    await s.control.advanceClock(2 * HOUR);
    const { response, body: expired } = await getJson(
      graph(s, '/oauth/access_token', {
        grant_type: 'fb_exchange_token',
        client_id: FB_APP.id,
        client_secret: FB_APP.secret,
        fb_exchange_token: short,
      }),
    );
    expect(response.status).toBe(400);
    expect(expired.error).toMatchObject({ code: 190, error_subcode: 463 });
  });

  it('describes a user token in debug_token (app token or the user token itself as caller)', async () => {
    const token = await userToken(s, { pages: [BRAND_PAGE] });
    const { response, body } = await getJson(graph(s, '/debug_token', { input_token: token, access_token: appToken }));
    expect(response.status).toBe(200);
    const issued = body.data.issued_at as number;
    expect(body.data).toEqual({
      app_id: FB_APP.id,
      type: 'USER',
      application: 'Tether Sandbox (Facebook)',
      data_access_expires_at: issued + 90 * 86_400,
      expires_at: issued + 7200,
      is_valid: true,
      issued_at: issued,
      scopes: ['public_profile', ...FULL_SCOPE],
      granular_scopes: [
        { scope: 'email' },
        { scope: 'pages_show_list', target_ids: [BRAND_PAGE] },
        { scope: 'pages_read_engagement', target_ids: [BRAND_PAGE] },
        { scope: 'pages_manage_posts', target_ids: [BRAND_PAGE] },
        { scope: 'instagram_basic', target_ids: [BRAND_IG] },
        { scope: 'instagram_content_publish', target_ids: [BRAND_IG] },
      ],
      user_id: USER_ID,
    });
    const self = await getJson(graph(s, '/debug_token', { input_token: token, access_token: token }));
    expect(self.body.data.is_valid).toBe(true);
  });

  it('describes Page tokens: PAGE, profile_id, and expires_at 0 when made from a long-lived user token', async () => {
    const long = await longLivedToken(s, await userToken(s));
    const { body: accounts } = await getJson(
      graph(s, '/me/accounts', { access_token: long, fields: 'id,access_token' }),
    );
    const page = accounts.data.find((entry: { id: string }) => entry.id === BRAND_PAGE);
    const { body } = await getJson(
      graph(s, '/debug_token', { input_token: page.access_token, access_token: appToken }),
    );
    expect(body.data).toMatchObject({
      type: 'PAGE',
      profile_id: BRAND_PAGE,
      user_id: USER_ID,
      expires_at: 0,
      is_valid: true,
    });
  });

  it('reports invalid tokens with is_valid:false and a 190 error, still HTTP 200', async () => {
    const token = await userToken(s);
    await s.control.advanceClock(2 * HOUR + 1);
    const expired = await getJson(graph(s, '/debug_token', { input_token: token, access_token: appToken }));
    expect(expired.response.status).toBe(200);
    expect(expired.body.data).toMatchObject({ is_valid: false, error: { code: 190, subcode: 463 }, user_id: USER_ID });

    const unknown = await getJson(graph(s, '/debug_token', { input_token: 'EAABnope', access_token: appToken }));
    expect(unknown.body.data).toMatchObject({ is_valid: false, error: { code: 190 }, scopes: [] });

    const revokedToken = await userToken(s);
    await s.control.revokeTokens({ token: revokedToken }, 460);
    const revoked = await getJson(graph(s, '/debug_token', { input_token: revokedToken, access_token: appToken }));
    expect(revoked.body.data).toMatchObject({ is_valid: false, error: { code: 190, subcode: 460 } });
  });

  it('refuses debug_token without a valid caller token or input_token', async () => {
    const noCaller = await getJson(graph(s, '/debug_token', { input_token: 'x' }));
    expect(noCaller.response.status).toBe(400);
    const wrongSecret = await getJson(
      graph(s, '/debug_token', { input_token: 'x', access_token: `${FB_APP.id}|nope` }),
    );
    expect(wrongSecret.body.error.code).toBe(190);
    const noInput = await getJson(graph(s, '/debug_token', { access_token: appToken }));
    expect(noInput.body.error).toMatchObject({ code: 100, message: '(#100) The parameter input_token is required' });
  });

  it('lets the code exchange fail through a queued fault on its endpoint name', async () => {
    await s.control.queueFault('graph.oauth.access_token', {
      type: 'response',
      status: 500,
      body: { error: { code: 2 } },
    });
    const code = (await runDialog(s)).searchParams.get('code') ?? '';
    expect((await exchangeCode(s, code)).response.status).toBe(500);
    expect((await exchangeCode(s, code)).response.status).toBe(200);
  });

  it('keeps the sandbox clock as the only clock (the 10-minute window starts at the dialog)', async () => {
    const code = (await runDialog(s)).searchParams.get('code') ?? '';
    await s.control.advanceClock(9 * MINUTE);
    expect((await exchangeCode(s, code)).response.status).toBe(200);
  });
});
