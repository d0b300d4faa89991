import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../src/contracts/posts.ts';
import type { Sandbox } from '../src/sandbox/core/sandbox.ts';
import { accountCredentials } from '../src/server/db/schema/index.ts';
import { PAUSED_FOR_RECONNECT } from '../src/server/services/publishing.ts';
import { jpeg } from './helpers/fixtures.ts';
import { until } from './helpers/processes.ts';
import { connectWith, PROVIDER_DRIVERS } from './helpers/provider-drivers.ts';
import { createTestApp, signUp, type TestApp, uploadMedia } from './helpers/test-app.ts';

/**
 * The provider contract, the same for every platform: connect through the sandbox's consent page,
 * keep the connection alive, publish exactly once with a permalink, turn a revoked grant into a
 * held post and a reconnect prompt, and disconnect without leaving a credential behind. Each
 * provider runs it through Tether's HTTP API, job queue and database, against the mounted sandbox.
 */
describe.each(PROVIDER_DRIVERS)('provider contract: $provider', (driver) => {
  let t: TestApp;
  let sandbox: Sandbox;
  let cookie: string;
  let accountId: string;

  const api = async (method: 'GET' | 'POST' | 'DELETE', url: string, body?: object) => {
    const response = await t.app.inject({
      method,
      url,
      headers: { cookie, origin: t.origin },
      ...(body ? { payload: body } : {}),
    });
    return { status: response.statusCode, text: response.body, json: response.body ? response.json() : null };
  };
  const account = async () => (await api('GET', `/api/connected-accounts/${accountId}`)).json;
  const lastLogId = () => sandbox.log.list().at(-1)?.id ?? 0;

  async function publishImage(caption: string): Promise<Post> {
    const image = await jpeg(1080, 1080, '#2f6f4e');
    const mediaId = await uploadMedia(t.origin, cookie, { bytes: image, name: 'contract.jpg', type: 'image/jpeg' });
    const created = await api('POST', '/api/posts', {
      caption,
      mediaIds: [mediaId],
      targets: [{ accountId, kind: 'feed' }],
    });
    expect(created.status, created.text).toBe(201);
    return created.json;
  }

  const settledTarget = (postId: string, settled: (target: Post['targets'][number]) => boolean) =>
    until(
      `the ${driver.provider} target to settle`,
      async () => {
        const target = ((await api('GET', `/api/posts/${postId}`)).json as Post).targets[0];
        return target && settled(target) ? target : undefined;
      },
      30_000,
    );

  beforeAll(async () => {
    t = await createTestApp({}, { listen: true, jobs: true });
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    sandbox = t.app.sandbox;
    ({ cookie } = await signUp(t.app, { email: `contract-${driver.provider}@example.com` }, t.origin));
  });
  afterAll(() => t.close());

  it('connects through the consent page; the tokens are encrypted at rest and never in the API', async () => {
    accountId = await connectWith(t.app, t.origin, cookie, driver);
    const shown = await api('GET', `/api/connected-accounts/${accountId}`);
    expect(shown.json).toMatchObject({ provider: driver.provider, status: 'active', statusReason: null });

    const token = await t.app.connections.vault.read(t.app.db, accountId, 'user_access');
    expect(token?.reveal().length).toBeGreaterThan(10);
    const secret = token?.reveal() ?? '';
    const stored = await t.app.db.select().from(accountCredentials).where(eq(accountCredentials.accountId, accountId));
    expect(stored.length).toBeGreaterThan(0);
    expect(
      JSON.stringify(stored, (_key, value) => (Buffer.isBuffer(value) ? value.toString('latin1') : value)),
    ).not.toContain(secret);
    const list = await api('GET', '/api/connected-accounts');
    expect(shown.text + list.text).not.toContain(secret);
  });

  it('keeps the connection alive: "refresh now" refreshes or inspects at the platform and stays healthy', async () => {
    const since = lastLogId();
    const refreshed = await api('POST', `/api/connected-accounts/${accountId}/refresh`);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.json.status).toBe('active');
    const called = sandbox.log.list({ since }).map((entry) => entry.endpoint);
    expect(
      called.some((endpoint) => driver.keepAliveEndpoints.includes(endpoint)),
      called.join(', '),
    ).toBe(true);
  });

  it('publishes an image with a caption exactly once and records its permalink', async () => {
    const before = driver.remotePosts(sandbox, driver.externalId);
    const post = await publishImage(`Contract run for ${driver.provider} (#1)`);
    const target = await settledTarget(post.id, (candidate) => ['published', 'failed'].includes(candidate.status));
    expect(target, JSON.stringify(target.error)).toMatchObject({ status: 'published', error: null });
    expect(target.permalink).toMatch(driver.permalink);
    expect(driver.remotePosts(sandbox, driver.externalId)).toBe(before + 1);
  });

  it('maps a revoked grant: the post waits and the account asks to be reconnected', async () => {
    const before = driver.remotePosts(sandbox, driver.externalId);
    sandbox.tokens.revokeSubject(
      { subjectId: driver.subjectId },
      { subcode: 460, message: 'The session has been invalidated because the user changed their password.' },
    );
    const post = await publishImage(`Contract run for ${driver.provider} (#2)`);
    const target = await settledTarget(post.id, (candidate) => candidate.error?.code === PAUSED_FOR_RECONNECT);
    expect(target.status).toBe('scheduled');
    expect((await account()).status).toBe('needs_reconnect');
    expect(driver.remotePosts(sandbox, driver.externalId)).toBe(before);
  });

  it('disconnects: the credentials are deleted, and the grant is revoked where the platform allows it', async () => {
    // A fresh grant first, so that there is something to revoke.
    expect(await connectWith(t.app, t.origin, cookie, driver)).toBe(accountId);
    expect((await account()).status).toBe('active');
    const since = lastLogId();
    const removed = await api('DELETE', `/api/connected-accounts/${accountId}`);
    expect(removed.status, removed.text).toBe(204);
    expect((await api('GET', `/api/connected-accounts/${accountId}`)).status).toBe(404);
    const left = await t.app.db.select().from(accountCredentials).where(eq(accountCredentials.accountId, accountId));
    expect(left).toEqual([]);
    const revokes = sandbox.log.list({ since }).filter((entry) => entry.endpoint.startsWith('graph.permissions'));
    expect(revokes.map((entry) => entry.endpoint)).toEqual(driver.revokeEndpoint ? [driver.revokeEndpoint] : []);
  });
});
