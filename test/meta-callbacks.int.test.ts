import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest } from '../src/sandbox/control/callbacks.ts';
import { DEFAULT_APPS } from '../src/sandbox/core/apps.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { accountCredentials, connectedAccounts } from '../src/server/db/schema/index.ts';
import { until } from './helpers/processes.ts';
import { connectWith, PROVIDER_DRIVERS, type ProviderDriver } from './helpers/provider-drivers.ts';
import { createTestApp, signUp, type TestApp } from './helpers/test-app.ts';

const FACEBOOK_APP = DEFAULT_APPS.find((app) => app.platform === 'facebook');
const INSTAGRAM_APP = DEFAULT_APPS.find((app) => app.platform === 'instagram');
const FACEBOOK_USER = DEFAULT_WORKSPACE.facebookUserId;
const VERIFY_TOKEN = 'a-verify-token-for-tests';
const driver = (provider: string) => PROVIDER_DRIVERS.find((item) => item.provider === provider) as ProviderDriver;

/**
 * Meta's callbacks against the running app, sent by the sandbox as Meta sends them: Deauthorize and
 * Data Deletion with a signed_request, and the webhook handshake and signed events.
 */
describe('Meta compliance callbacks (sandbox)', () => {
  let t: TestApp;
  let cookie: string;
  const ids: Record<string, string> = {};

  const control = async (path: string, body: object) => {
    const response = await fetch(`${t.origin}/sandbox/__control${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return response.json();
  };
  const postForm = (path: string, form: string, type = 'application/x-www-form-urlencoded') =>
    t.app.inject({ method: 'POST', url: path, headers: { 'content-type': type }, payload: form });
  const signed = (secret: string, payload: Record<string, unknown>) =>
    `signed_request=${encodeURIComponent(signedRequest(secret, payload))}`;
  const now = () => Math.floor(Date.now() / 1000);

  async function accounts() {
    const rows = await t.app.db.select().from(connectedAccounts);
    const credentials = await t.app.db.select().from(accountCredentials);
    return Object.fromEntries(
      rows.map((row) => [
        row.provider,
        {
          status: row.status,
          reason: row.statusReason,
          credentials: credentials.filter((item) => item.accountId === row.id).length,
        },
      ]),
    );
  }
  async function connectAll() {
    for (const provider of ['instagram', 'facebook_page', 'instagram_login'])
      ids[provider] = await connectWith(t.app, t.origin, cookie, driver(provider));
    const state = await accounts();
    for (const provider of ['instagram', 'facebook_page', 'instagram_login'])
      expect(state[provider]).toMatchObject({ status: 'active', reason: null });
    return state;
  }

  beforeAll(async () => {
    t = await createTestApp({ META_WEBHOOK_VERIFY_TOKEN: VERIFY_TOKEN }, { listen: true, jobs: true });
    ({ cookie } = await signUp(t.app, { email: 'meta-callbacks@example.com' }, t.origin));
    await connectAll();
  });
  afterAll(() => t.close());

  it('refuses forged, tampered, expired and malformed signed_requests with 4xx and changes nothing', async () => {
    const before = await accounts();
    const forged = await control('/callbacks/signed-request', {
      kind: 'deauthorize',
      url: `${t.origin}/webhooks/meta/deauthorize`,
      appId: FACEBOOK_APP?.id,
      userId: FACEBOOK_USER,
      valid: false,
    });
    expect(forged.response.status).toBe(400);
    expect(forged.response.json.error.code).toBe('SIGNED_REQUEST_INVALID');

    const secret = FACEBOOK_APP?.secret ?? '';
    const [signature] = signedRequest(secret, { issued_at: now(), user_id: '1' }).split('.');
    const otherPayload = Buffer.from(
      JSON.stringify({ algorithm: 'HMAC-SHA256', issued_at: now(), user_id: FACEBOOK_USER }),
    ).toString('base64url');
    const attempts = [
      `signed_request=${signature}.${otherPayload}`,
      signed(secret, { issued_at: now() - 2 * 3600, user_id: FACEBOOK_USER }),
      signed(secret, { algorithm: 'HMAC-SHA1', issued_at: now(), user_id: FACEBOOK_USER }),
      signed(secret, { issued_at: now() }),
      'signed_request=not-a-signed-request',
      'signed_request=',
      'something_else=1',
    ];
    for (const path of ['/webhooks/meta/deauthorize', '/webhooks/meta/data-deletion'])
      for (const form of attempts) {
        const response = await postForm(path, form);
        expect(response.statusCode, `${path} ${form}: ${response.body}`).toBe(400);
      }
    const wrongType = await postForm(
      '/webhooks/meta/deauthorize',
      JSON.stringify({ signed_request: 'x.y' }),
      'text/plain',
    );
    expect(wrongType.statusCode).toBe(415);
    const huge = await postForm('/webhooks/meta/deauthorize', `signed_request=${'a'.repeat(20_000)}`);
    expect(huge.statusCode).toBe(413);
    expect(await accounts()).toEqual(before);
  });

  it('a valid Deauthorize marks every connection of that Facebook user revoked and deletes its tokens', async () => {
    const answer = await control('/callbacks/signed-request', {
      kind: 'deauthorize',
      url: `${t.origin}/webhooks/meta/deauthorize`,
      appId: FACEBOOK_APP?.id,
      userId: FACEBOOK_USER,
    });
    expect(answer.response.status).toBe(200);
    const state = await accounts();
    expect(state.instagram).toEqual({ status: 'needs_reconnect', reason: 'app_removed', credentials: 0 });
    expect(state.facebook_page).toEqual({ status: 'needs_reconnect', reason: 'app_removed', credentials: 0 });
    // Another app's grant is untouched.
    expect(state.instagram_login).toMatchObject({ status: 'active' });
    const events = await t.app.inject({
      method: 'GET',
      url: `/api/connected-accounts/${ids.instagram}`,
      headers: { cookie },
    });
    expect(events.json().events[0]).toMatchObject({ type: 'revoked_by_provider', reason: 'app_removed' });
  });

  it('Instagram Login callbacks are signed with the Instagram app secret and reach its connections', async () => {
    const answer = await control('/callbacks/signed-request', {
      kind: 'deauthorize',
      url: `${t.origin}/webhooks/meta/deauthorize`,
      appId: INSTAGRAM_APP?.id,
      userId: DEFAULT_WORKSPACE.creatorInstagramId,
    });
    expect(answer.response.status).toBe(200);
    expect((await accounts()).instagram_login).toEqual({
      status: 'needs_reconnect',
      reason: 'app_removed',
      credentials: 0,
    });
  });

  it('the webhook handshake echoes the challenge only for the right verify token', async () => {
    const good = await control('/callbacks/verify', { url: `${t.origin}/webhooks/meta`, verifyToken: VERIFY_TOKEN });
    expect(good.verified).toBe(true);
    const bad = await control('/callbacks/verify', { url: `${t.origin}/webhooks/meta`, verifyToken: 'guess' });
    expect(bad.verified).toBe(false);
    expect(bad.response.status).toBe(403);
  });

  it('a signed permissions event marks the accounts that need the permission at once; a bad signature changes nothing', async () => {
    await connectAll();
    const event = {
      url: `${t.origin}/webhooks/meta`,
      appId: FACEBOOK_APP?.id,
      object: 'permissions',
      entry: [
        {
          id: FACEBOOK_USER,
          time: now(),
          changes: [{ field: 'instagram_content_publish', value: { verb: 'revoked' } }],
        },
      ],
    };
    const before = await accounts();
    const forged = await control('/callbacks/webhook', { ...event, valid: false });
    expect(forged.response.status).toBe(403);
    expect(await accounts()).toEqual(before);

    const delivered = await control('/callbacks/webhook', event);
    expect(delivered.response.status).toBe(200);
    const state = await accounts();
    expect(state.instagram).toMatchObject({
      status: 'needs_reconnect',
      reason: 'permission_revoked:instagram_content_publish',
    });
    // The token stays: reconnecting grants the permission again. Pages do not need this permission.
    expect(state.instagram?.credentials).toBeGreaterThan(0);
    expect(state.facebook_page).toMatchObject({ status: 'active' });
  });

  it('a valid Data Deletion request answers with the status URL and code, deletes the data, and the page reports completion', async () => {
    await connectAll();
    const answer = await control('/callbacks/signed-request', {
      kind: 'data_deletion',
      url: `${t.origin}/webhooks/meta/data-deletion`,
      appId: FACEBOOK_APP?.id,
      userId: FACEBOOK_USER,
    });
    expect(answer.deletionAnswerOk).toBe(true);
    const { url, confirmation_code: code } = answer.response.json;
    expect(url).toBe(`${t.origin}/data-deletion/${code}`);
    const page = await until(
      'the deletion to complete',
      async () => {
        const response = await fetch(url);
        const text = await response.text();
        return text.includes('Your data was deleted') ? { status: response.status, text } : undefined;
      },
      20_000,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('2 connected account(s)');
    const left = await t.app.db.select().from(connectedAccounts);
    expect(left.map((row) => row.provider)).toEqual(['instagram_login']);
    const credentials = await t.app.db.select().from(accountCredentials);
    expect(credentials.every((row) => row.accountId === ids.instagram_login)).toBe(true);
    const unknown = await fetch(`${t.origin}/data-deletion/${'x'.repeat(22)}`);
    expect(unknown.status).toBe(404);
    const gone = await t.app.db
      .select()
      .from(connectedAccounts)
      .where(eq(connectedAccounts.id, ids.instagram ?? ''));
    expect(gone).toEqual([]);
  });
});
