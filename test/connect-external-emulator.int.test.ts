import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPS } from '../src/sandbox/core/apps.ts';
import { BRAND_PAGE, connectInstagram, startConnect } from './helpers/connect.ts';
import { type RunningSandbox, startSandbox } from './helpers/sandbox.ts';
import { createTestApp, signUp, type TestApp } from './helpers/test-app.ts';

const facebookApp = DEFAULT_APPS.find((app) => app.platform === 'facebook');

/**
 * The connect flow against a separate emulator of the documented API, configured like a real
 * deployment: base URLs and app credentials come from configuration only, sandbox mode is off.
 */
describe('connecting against another emulator of the same API', () => {
  let emulator: RunningSandbox;
  let t: TestApp;
  beforeAll(async () => {
    emulator = await startSandbox();
    await emulator.control.upsertApp(facebookApp?.id ?? '', { requireAppSecretProof: true });
    t = await createTestApp({
      SANDBOX: 'false',
      FACEBOOK_APP_ID: facebookApp?.id ?? '',
      FACEBOOK_APP_SECRET: facebookApp?.secret ?? '',
      FACEBOOK_GRAPH_URL: emulator.urls.facebookGraph,
      FACEBOOK_WWW_URL: emulator.urls.facebookWww,
      FACEBOOK_GRAPH_VERSION: 'v24.0',
    });
  });
  afterAll(async () => {
    await t.close();
    await emulator.close();
  });

  it('connects through the emulator named in the configuration, with appsecret_proof on every call', async () => {
    expect(t.app.sandbox).toBeUndefined();
    const { cookie } = await signUp(t.app, { email: 'external@example.com' });
    const { loginUrl } = await startConnect(t.app, cookie);
    expect(loginUrl.startsWith(`${emulator.urls.facebookWww}/v24.0/dialog/oauth?`)).toBe(true);

    const landed = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE] });
    expect(landed.searchParams.get('connected')).toBeTruthy();
    const graphCalls = await emulator.control.requests({ host: 'graph.facebook.com' });
    const paths = graphCalls.map((call) => call.path.split('?')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/graph-facebook/v24.0/oauth/access_token',
        '/graph-facebook/v24.0/debug_token',
        '/graph-facebook/v24.0/me/accounts',
      ]),
    );
    const withToken = graphCalls.filter((call) => call.headers.authorization);
    expect(withToken.length).toBeGreaterThan(0);
    for (const call of withToken) expect(call.path).toContain('appsecret_proof=');
  });
});
