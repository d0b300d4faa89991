import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../src/contracts/connected-accounts.ts';
import type { ProviderInfo, ProviderList } from '../src/contracts/providers.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

const LINKEDIN_GUIDE = path.join(import.meta.dirname, '../src/providers/linkedin/SETUP.md');

async function listProviders(t: TestApp, cookie: string): Promise<Record<string, ProviderInfo>> {
  const response = await t.app.inject({ method: 'GET', url: '/api/providers', headers: { cookie } });
  expect(response.statusCode, response.body).toBe(200);
  const { providers } = response.json() as ProviderList;
  expect(providers.map((provider) => provider.id)).toEqual([...PROVIDER_IDS]);
  return Object.fromEntries(providers.map((provider) => [provider.id, provider]));
}

describe('the providers API in sandbox mode', () => {
  let t: TestApp;
  let cookie: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ cookie } = await signUp(t.app, { email: 'providers@example.com' }));
  });
  afterAll(() => t.close());

  it('lists every provider as sandboxed, with what it publishes and what configures it', async () => {
    const providers = await listProviders(t, cookie);
    for (const id of PROVIDER_IDS) expect(providers[id]?.state, id).toBe('sandboxed');
    expect(providers.instagram).toMatchObject({
      displayName: 'Instagram (via Facebook Login)',
      platform: 'instagram',
      canConnect: true,
      canPublish: true,
      canRevoke: true,
      kinds: ['feed', 'reel', 'story', 'carousel'],
      env: ['FACEBOOK_APP_ID', 'FACEBOOK_APP_SECRET'],
    });
    expect(providers.linkedin).toMatchObject({
      platform: 'linkedin',
      canConnect: true,
      canRevoke: false,
      kinds: ['feed'],
      env: ['LINKEDIN_CLIENT_ID', 'LINKEDIN_CLIENT_SECRET'],
      setupGuideUrl: '/api/providers/linkedin/setup',
    });
    // What can be connected and published follows the registry, whichever providers it has.
    for (const id of PROVIDER_IDS) {
      const registered = t.app.connections.providers[id];
      expect(providers[id]?.canConnect, id).toBe(Boolean(registered));
      expect(providers[id]?.canPublish, id).toBe(Boolean(registered?.publisher));
      expect(providers[id]?.canRevoke, id).toBe(Boolean(registered?.revoke));
    }
  });

  it("serves a provider's SETUP.md as Markdown", async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/providers/linkedin/setup', headers: { cookie } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(response.body).toBe(fs.readFileSync(LINKEDIN_GUIDE, 'utf8'));
  });

  it('answers 404 for an unknown provider', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/providers/myspace/setup', headers: { cookie } });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('NOT_FOUND');
  });

  it('answers 401 without a signed-in user', async () => {
    for (const url of ['/api/providers', '/api/providers/linkedin/setup']) {
      const response = await t.app.inject({ method: 'GET', url, headers: { origin: ORIGIN } });
      expect(response.statusCode, url).toBe(401);
      expect(response.json().error.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('the providers API with only Facebook credentials', () => {
  let t: TestApp;
  let cookie: string;

  beforeAll(async () => {
    t = await createTestApp({ FACEBOOK_APP_ID: '1234567890', FACEBOOK_APP_SECRET: 'a-facebook-app-secret' });
    ({ cookie } = await signUp(t.app, { email: 'facebook-only@example.com' }));
  });
  afterAll(() => t.close());

  it('says the Facebook app providers are configured and the others are not', async () => {
    expect(t.config.sandbox).toBe(false);
    const providers = await listProviders(t, cookie);
    expect(providers.instagram).toMatchObject({ state: 'configured', canConnect: true, canPublish: true });
    // Facebook Pages use the same app.
    expect(providers.facebook_page).toMatchObject({ state: 'configured', canConnect: true, canPublish: true });
    for (const id of ['instagram_login', 'linkedin', 'linkedin_org'] as const)
      expect(providers[id], id).toMatchObject({ state: 'not_configured', canConnect: false, canPublish: false });
    expect(providers.instagram_login?.env).toEqual(['INSTAGRAM_APP_ID', 'INSTAGRAM_APP_SECRET']);
    expect(providers.linkedin_org?.env).toEqual(['LINKEDIN_ORG_CLIENT_ID', 'LINKEDIN_ORG_CLIENT_SECRET']);
  });
});
