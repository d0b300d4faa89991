import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACEBOOK_PHOTOS_MAX } from '../src/contracts/facebook-rules.ts';
import type { Post } from '../src/contracts/posts.ts';
import { DAY } from '../src/sandbox/core/clock.ts';
import type { Sandbox } from '../src/sandbox/core/sandbox.ts';
import type { FacebookPagePost } from '../src/sandbox/facebook/model.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { connectedAccounts } from '../src/server/db/schema/index.ts';
import { checkAccount } from '../src/server/services/keep-alive.ts';
import { PUBLISH_UNCONFIRMED } from '../src/server/services/publishing.ts';
import { BRAND_PAGE, type Consent, callback, consent, EVENTS_PAGE } from './helpers/connect.ts';
import { jpeg } from './helpers/fixtures.ts';
import { until } from './helpers/processes.ts';
import { createTestApp, signUp, type TestApp, uploadMedia } from './helpers/test-app.ts';

const SAMPLE_VIDEO = path.join(import.meta.dirname, 'fixtures/sample-video.mp4');

/** Connects Facebook Pages like a browser: start, the sandbox's dialog, the callback; returns where it lands. */
async function connectPages(t: TestApp, cookie: string, options: Consent = {}): Promise<URL> {
  const start = await t.app.inject({
    method: 'POST',
    url: '/api/connected-accounts/connect/facebook_page',
    headers: { cookie, origin: t.origin },
    payload: {},
  });
  expect(start.statusCode, start.body).toBe(200);
  return callback(t.app, await consent(t.app, start.json().loginUrl, options), cookie);
}

/** Publishing to Facebook Pages end to end: the API, the job queue and the mounted sandbox over HTTP. */
describe('publishing to Facebook Pages (sandbox)', () => {
  let t: TestApp;
  let sandbox: Sandbox;
  let cookie: string;
  let brandId: string;
  let eventsId: string;

  const api = async (method: 'GET' | 'POST' | 'DELETE', url: string, body?: object) => {
    const response = await t.app.inject({
      method,
      url,
      headers: { cookie, origin: t.origin },
      ...(body ? { payload: body } : {}),
    });
    return { status: response.statusCode, json: response.body ? response.json() : null };
  };

  const upload = (bytes: Buffer, name: string, type: string) => uploadMedia(t.origin, cookie, { bytes, name, type });
  const images = async (count: number) => {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1)
      ids.push(await upload(await jpeg(1200, 900), `photo-${index}.jpg`, 'image/jpeg'));
    return ids;
  };

  const post = async (id: string) => (await api('GET', `/api/posts/${id}`)).json as Post;
  const settled = (id: string) =>
    until(
      `post ${id} to settle`,
      async () => {
        const current = await post(id);
        return current.targets.every((target) => ['published', 'failed'].includes(target.status)) ? current : undefined;
      },
      20_000,
    );
  /** Publishes now to one Page and waits until the target has settled. */
  const publish = async (body: { caption?: string; mediaIds?: string[] }, accountId = brandId) => {
    const created = await api('POST', '/api/posts', { ...body, targets: [{ accountId, kind: 'feed' }] });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const done = await settled(created.json.id);
    return done.targets[0];
  };
  /** The Page's published posts in the sandbox whose text is `message`. */
  const pagePosts = (message: string, pageId: string = BRAND_PAGE): FacebookPagePost[] =>
    sandbox.facebook.posts.filter((item) => item.pageId === pageId && item.published && item.message === message);
  const feedCalls = () => sandbox.log.list({ endpoint: 'graph.page.feed.create' }).length;

  beforeAll(async () => {
    t = await createTestApp({}, { listen: true, jobs: true });
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    sandbox = t.app.sandbox;
    ({ cookie } = await signUp(t.app, { email: 'pages@example.com' }, t.origin));
  });
  afterAll(() => t.close());

  it('connects both Pages through the picker, each with its own Page token', async () => {
    const landed = await connectPages(t, cookie, { pages: [BRAND_PAGE, EVENTS_PAGE] });
    const flowId = landed.pathname.split('/').at(-1) ?? '';
    expect(landed.pathname).toBe(`/settings/social-accounts/select/${flowId}`);
    const flow = await api('GET', `/api/oauth/flows/${flowId}`);
    expect(flow.json.candidates.map((candidate: { id: string }) => candidate.id)).toEqual([BRAND_PAGE, EVENTS_PAGE]);
    const selected = await api('POST', `/api/oauth/flows/${flowId}/select`, {
      candidateIds: [BRAND_PAGE, EVENTS_PAGE],
    });
    expect(selected.status, JSON.stringify(selected.json)).toBe(200);
    const accounts = await t.app.database.db
      .select()
      .from(connectedAccounts)
      .where(eq(connectedAccounts.provider, 'facebook_page'));
    const byPage = new Map(accounts.map((row) => [row.externalId, row]));
    expect(byPage.get(BRAND_PAGE)).toMatchObject({ displayName: 'Northwind Coffee', status: 'active', parent: null });
    brandId = byPage.get(BRAND_PAGE)?.id ?? '';
    eventsId = byPage.get(EVENTS_PAGE)?.id ?? '';
    expect(eventsId).not.toBe('');
    const brandToken = await t.app.connections.vault.read(t.app.database.db, brandId, 'page_access');
    expect(sandbox.tokens.get(brandToken?.reveal())).toMatchObject({ kind: 'facebook_page', subjectId: BRAND_PAGE });
  });

  it('publishes text as one feed post with a permalink', async () => {
    const target = await publish({ caption: 'Open late on Friday' });
    expect(target, JSON.stringify(target?.error)).toMatchObject({ status: 'published', error: null });
    const [only, ...more] = pagePosts('Open late on Friday');
    expect(more).toEqual([]);
    expect(only).toMatchObject({ kind: 'feed', attachedMedia: undefined });
    expect(target?.remoteId).toBe(only?.id);
    expect(target?.permalink).toBe(`https://www.facebook.com/${only?.id}`);
  });

  it('publishes one image as an unpublished photo attached to one feed post', async () => {
    const [mediaId] = await images(1);
    const target = await publish({ caption: 'Our new espresso bar', mediaIds: [mediaId ?? ''] });
    expect(target, JSON.stringify(target?.error)).toMatchObject({ status: 'published' });
    const [only, ...more] = pagePosts('Our new espresso bar');
    expect(more).toEqual([]);
    expect(only?.attachedMedia).toHaveLength(1);
    const photo = sandbox.facebook.posts.find((item) => item.mediaId === only?.attachedMedia?.[0]);
    expect(photo).toMatchObject({ kind: 'photo', published: false, pageId: BRAND_PAGE });
    expect(target?.permalink).toBe(`https://www.facebook.com/${only?.id}`);
  });

  it(`publishes several images (up to ${FACEBOOK_PHOTOS_MAX}) as one feed post, in order`, async () => {
    const mediaIds = await images(FACEBOOK_PHOTOS_MAX);
    const target = await publish({ caption: 'Ten cups, ten origins', mediaIds }, eventsId);
    expect(target, JSON.stringify(target?.error)).toMatchObject({ status: 'published' });
    const [only, ...more] = pagePosts('Ten cups, ten origins', EVENTS_PAGE);
    expect(more).toEqual([]);
    const photos = (only?.attachedMedia ?? []).map((id) => sandbox.facebook.posts.find((item) => item.mediaId === id));
    expect(photos).toHaveLength(FACEBOOK_PHOTOS_MAX);
    const served = await Promise.all(mediaIds.map(async (id) => (await api('GET', `/api/media/${id}`)).json.url));
    expect(photos.map((photo) => photo?.sourceUrl)).toEqual(served);
  });

  it('publishes one video with a single /videos call, without waiting for processing', async () => {
    const mediaId = await upload(fs.readFileSync(SAMPLE_VIDEO), 'clip.mp4', 'video/mp4');
    const target = await publish({ caption: 'Latte art in slow motion', mediaIds: [mediaId] });
    expect(target, JSON.stringify(target?.error)).toMatchObject({ status: 'published' });
    const [only, ...more] = pagePosts('Latte art in slow motion');
    expect(more).toEqual([]);
    expect(only).toMatchObject({ kind: 'video', mediaId: target?.remoteId });
    expect(target?.permalink).toBe(`https://www.facebook.com/${BRAND_PAGE}/videos/${target?.remoteId}`);
  });

  it('fails a post whose /feed call got a 5xx as PUBLISH_UNCONFIRMED, never posting twice; a retry posts once', async () => {
    sandbox.faults.add(
      'graph.page.feed.create',
      { type: 'response', status: 500, body: { error: { message: 'An unknown error has occurred.', code: 1 } } },
      1,
    );
    const calls = feedCalls();
    const created = await api('POST', '/api/posts', {
      caption: 'Did this go out?',
      targets: [{ accountId: brandId, kind: 'feed' }],
    });
    const done = await settled(created.json.id);
    const [target] = done.targets;
    expect(target).toMatchObject({ status: 'failed', error: { code: PUBLISH_UNCONFIRMED } });
    expect(target?.error?.message).toMatch(/Check the account/);
    // The publish call was made once and not repeated; the sandbox's 5xx means it did not go through.
    expect(feedCalls()).toBe(calls + 1);
    expect(pagePosts('Did this go out?')).toHaveLength(0);

    const retried = await api('POST', `/api/posts/${created.json.id}/targets/${target?.id}/retry`);
    expect(retried.status, JSON.stringify(retried.json)).toBe(200);
    const again = await settled(created.json.id);
    expect(again.targets[0]).toMatchObject({ status: 'published', error: null });
    expect(pagePosts('Did this go out?')).toHaveLength(1);
  });

  it("fails a duplicate of the Page's last post with Facebook's reason, after one /feed call", async () => {
    expect((await publish({ caption: 'Same words twice' }))?.status).toBe('published');
    const calls = feedCalls();
    const target = await publish({ caption: 'Same words twice' });
    expect(target).toMatchObject({ status: 'failed', error: { code: 'graph:506' } });
    expect(target?.error?.message).toMatch(/duplicate/);
    expect(feedCalls()).toBe(calls + 1);
    expect(pagePosts('Same words twice')).toHaveLength(1);
  });

  it('refuses a reel, too many photos and mixed media before anything is sent, with details', async () => {
    const photoIds = await images(FACEBOOK_PHOTOS_MAX + 1);
    const videoId = await upload(fs.readFileSync(SAMPLE_VIDEO), 'mixed.mp4', 'video/mp4');
    const before = sandbox.log.list().length;
    const cases: Array<[{ kind: string; mediaIds: string[] }, string]> = [
      [{ kind: 'reel', mediaIds: [videoId] }, 'KIND_NOT_SUPPORTED'],
      [{ kind: 'feed', mediaIds: photoIds }, 'MEDIA_COUNT'],
      [{ kind: 'feed', mediaIds: [photoIds[0] ?? '', videoId] }, 'MIXED_MEDIA'],
    ];
    for (const [{ kind, mediaIds }, code] of cases) {
      const refused = await api('POST', '/api/posts', {
        caption: 'Not like this',
        mediaIds,
        targets: [{ accountId: brandId, kind }],
      });
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe('POST_INVALID');
      expect(refused.json.error.details).toEqual([
        { target: brandId, code, message: expect.stringMatching(/Facebook/) },
      ]);
    }
    expect(sandbox.log.list().length).toBe(before);
  });

  it('says NO_PAGES when none of the shared Pages lets the person publish', async () => {
    const user = sandbox.facebook.users.get(DEFAULT_WORKSPACE.facebookUserId);
    if (!user) throw new Error('seeded user missing');
    const roles = user.pageRoles;
    user.pageRoles = roles.map((role) => ({ ...role, tasks: ['ANALYZE'] }));
    try {
      const landed = await connectPages(t, cookie, { pages: [BRAND_PAGE, EVENTS_PAGE] });
      expect(Object.fromEntries(landed.searchParams)).toEqual({ error: 'NO_PAGES', provider: 'facebook_page' });
    } finally {
      user.pageRoles = roles;
    }
  });

  it('connects the Page it may publish to and reports the other as skipped, with why', async () => {
    const user = sandbox.facebook.users.get(DEFAULT_WORKSPACE.facebookUserId);
    if (!user) throw new Error('seeded user missing');
    const roles = user.pageRoles;
    user.pageRoles = roles.map((role) => (role.pageId === EVENTS_PAGE ? { ...role, tasks: ['ANALYZE'] } : role));
    try {
      const landed = await connectPages(t, cookie, { pages: [BRAND_PAGE, EVENTS_PAGE] });
      expect(landed.searchParams.get('connected')).toBe(brandId);
      expect(landed.searchParams.getAll('skipped')).toEqual(['insufficient_page_role:Northwind Events']);
    } finally {
      user.pageRoles = roles;
    }
  });
});

/** A Page token outlives the 60-day user token it came from; checks inspect the Page token itself. */
describe('keep-alive of Facebook Pages', () => {
  let t: TestApp;
  let accountId: string;

  const sandbox = () => {
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    return t.app.sandbox;
  };
  const account = async () => {
    const [row] = await t.database.db.select().from(connectedAccounts).where(eq(connectedAccounts.id, accountId));
    if (!row) throw new Error('account gone');
    return row;
  };

  beforeAll(async () => {
    t = await createTestApp();
    Object.assign(t.app.connections, { now: () => sandbox().clock.now() });
    const { cookie } = await signUp(t.app, { email: 'page-keepalive@example.com' });
    const landed = await connectPages(t, cookie, { pages: [BRAND_PAGE] });
    accountId = landed.searchParams.get('connected') ?? '';
    expect(accountId).not.toBe('');
  });
  afterAll(() => t.close());

  it('stays active past the user token’s 60 days, with no expiry, and needs a reconnect once the password changes', async () => {
    const pageToken = await t.app.connections.vault.read(t.database.db, accountId, 'page_access');
    // Honest from the start: the Page token has no expiry, whatever the user token's.
    expect(await account()).toMatchObject({ tokenExpiresAt: null });
    sandbox().clock.advance(61 * DAY);
    expect(await checkAccount(t.app.connections, accountId)).toBe('checked');
    expect(await account()).toMatchObject({ status: 'active', tokenExpiresAt: null });
    const inspected = sandbox().log.list({ endpoint: 'graph.debug_token' }).at(-1);
    expect(new URLSearchParams(inspected?.path.split('?')[1]).get('input_token')).toBe(pageToken?.reveal());

    sandbox().tokens.revokeSubject(
      { subjectId: DEFAULT_WORKSPACE.facebookUserId },
      { subcode: 460, message: 'password changed' },
    );
    sandbox().clock.advance(DAY + 60_000);
    expect(await checkAccount(t.app.connections, accountId)).toBe('needs_reconnect');
    expect(await account()).toMatchObject({ status: 'needs_reconnect', statusReason: 'password_changed' });
  });
});
