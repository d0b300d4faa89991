import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import {
  authorizeUrl,
  connect,
  decide,
  exchangeCode,
  LI_APP,
  linkedinControl,
  openConsent,
} from './linkedin-helpers.ts';

describe('LinkedIn OAuth: consent page', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  it('shows the app, the requested permissions and the signed-in member, under a strict CSP', async () => {
    const { response, html, requestId } = await openConsent(s, 'openid profile email w_member_social');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' http: https:",
    );
    expect(html).toContain('Tether Sandbox (LinkedIn) would like to:');
    expect(html).toContain('Use your name and photo');
    expect(html).toContain('Use the primary email address associated with your LinkedIn account');
    expect(html).toContain('Create, modify, and delete posts, comments, and reactions on your behalf');
    expect(html).toContain('Signed in as <strong>Sam Rivera</strong>');
    expect(html).toContain('>Allow</button>');
    expect(html).toContain('>Cancel</button>');
    expect(html).toContain('Sandbox');
    expect(html).not.toContain('<script');
    expect(requestId).toMatch(/^[\w-]{32}$/);
  });

  it('escapes everything it interpolates', async () => {
    await s.control.upsertApp(LI_APP.clientId, { name: '<b>Evil & "Co"</b>' });
    const { html } = await openConsent(s, 'openid');
    expect(html).toContain('&lt;b&gt;Evil &amp; &quot;Co&quot;&lt;/b&gt; would like to:');
    expect(html).not.toContain('<b>Evil');
  });

  it('Allow redirects with a code and the state; Cancel with user_cancelled_authorize', async () => {
    const first = await openConsent(s, 'openid profile');
    const allowed = await decide(s, first.requestId ?? '', 'allow');
    expect(allowed.response.status).toBe(302);
    expect(`${allowed.location.origin}${allowed.location.pathname}`).toBe(LI_APP.redirectUri);
    expect(allowed.location.searchParams.get('code')).toMatch(/^AQ[\w-]{100,}$/);
    expect(allowed.location.searchParams.get('state')).toBe('st-1');

    const second = await openConsent(s, 'openid profile');
    const cancelled = await decide(s, second.requestId ?? '', 'cancel');
    expect(cancelled.response.status).toBe(302);
    expect(cancelled.response.headers.get('location')).toBe(
      `${LI_APP.redirectUri}?error=user_cancelled_authorize&error_description=The+user+cancelled+the+authorization&state=st-1`,
    );
    // A decision is taken once.
    const again = await decide(s, second.requestId ?? '', 'allow');
    expect(again.response.status).toBe(400);
  });

  it('answers a bad client or redirect URI with an error page, never a redirect', async () => {
    const cases: Array<Record<string, string>> = [
      { client_id: 'nope' },
      { client_id: '1000000000000001' }, // the Facebook app
      { redirect_uri: 'https://tether.example/cb#fragment' },
      { redirect_uri: '/relative/callback' },
      { redirect_uri: 'ftp://tether.example/cb' },
    ];
    for (const params of cases) {
      const response = await fetch(authorizeUrl(s, { scope: 'openid', ...params }), { redirect: 'manual' });
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('Bummer, something went wrong.');
    }
    await s.control.upsertApp(LI_APP.clientId, { redirectUris: ['https://tether.example/registered'] });
    const unregistered = await fetch(authorizeUrl(s, { scope: 'openid' }), { redirect: 'manual' });
    expect(unregistered.status).toBe(400);
    const registered = await fetch(
      authorizeUrl(s, { scope: 'openid', redirect_uri: 'https://tether.example/registered' }),
    );
    expect(registered.status).toBe(200);
  });

  it('sends unknown scopes and a wrong response_type back to the client as errors', async () => {
    const inherited = await openConsent(s, 'openid constructor');
    expect(new URL(inherited.location ?? '').searchParams.get('error')).toBe('unauthorized_scope_error');
    const unknown = await openConsent(s, 'openid r_everything');
    expect(unknown.response.status).toBe(302);
    const location = new URL(unknown.location ?? '');
    expect(location.searchParams.get('error')).toBe('unauthorized_scope_error');
    expect(location.searchParams.get('error_description')).toBe(
      'Scope "r_everything" is not authorized for your application',
    );
    expect(location.searchParams.get('state')).toBe('st-1');

    const token = await openConsent(s, 'openid', { response_type: 'token' });
    expect(new URL(token.location ?? '').searchParams.get('error')).toBe('unsupported_response_type');
    const empty = await openConsent(s, '');
    expect(new URL(empty.location ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  it('skips the page for exactly the scopes already granted, only when the setting is on', async () => {
    await connect(s, 'openid profile');
    expect((await openConsent(s, 'profile openid')).response.status).toBe(200);

    await linkedinControl(s).updateSettings({ skipConsentWhenGranted: true });
    const skipped = await openConsent(s, 'profile openid');
    expect(skipped.response.status).toBe(302);
    const code = new URL(skipped.location ?? '').searchParams.get('code') ?? '';
    expect((await exchangeCode(s, code)).status).toBe(200);
    expect((await openConsent(s, 'openid profile email')).response.status).toBe(200);
  });
});
