import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Post } from '../src/contracts/posts.ts';
import type { Sandbox } from '../src/sandbox/core/sandbox.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { connectedAccounts, media, postTargets } from '../src/server/db/schema/index.ts';
import { PAUSED_FOR_RECONNECT, resumePausedTargets, runTarget } from '../src/server/services/publishing.ts';
import { BRAND_IG, BRAND_PAGE, connectInstagram } from './helpers/connect.ts';
import { jpeg, waitFor } from './helpers/fixtures.ts';
import { browserApi, createTestApp, signUp, type TestApp, uploadMedia } from './helpers/test-app.ts';

const SAMPLE_VIDEO = path.join(import.meta.dirname, 'fixtures/sample-video.mp4');

/** Publishing to Instagram (Facebook Login) end to end: the API, the job queue and the mounted sandbox over HTTP. */
describe('publishing to Instagram (sandbox)', () => {
  let t: TestApp;
  let sandbox: Sandbox;
  let cookie: string;
  let accountId: string;

  const { api, post, settled } = browserApi(() => ({ t, cookie }));

  const upload = (bytes: Buffer, name: string, type: string) => uploadMedia(t.origin, cookie, { bytes, name, type });

  const instagram = () => sandbox.instagram;
  const publishCalls = () => sandbox.log.list({ endpoint: 'ig.graph.media_publish' }).length;
  const createCalls = () => sandbox.log.list({ endpoint: 'ig.graph.media.create' }).length;

  beforeAll(async () => {
    t = await createTestApp({}, { listen: true, jobs: true });
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    sandbox = t.app.sandbox;
    ({ cookie } = await signUp(t.app, { email: 'publisher@example.com' }, t.origin));
    const landed = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE], origin: t.origin });
    const [id] = (landed.searchParams.get('connected') ?? '').split(',');
    accountId = id ?? '';
    expect(accountId).not.toBe('');
  });
  afterAll(() => t.close());
  beforeEach(() => {
    instagram().settings.videoProcessingMs = 10_000;
  });

  it('publishes a single image now: container, media_publish, permalink', async () => {
    const mediaId = await upload(await jpeg(1080, 1080), 'square.jpg', 'image/jpeg');
    const created = await api('POST', '/api/posts', {
      caption: 'Fresh roast today #coffee',
      mediaIds: [mediaId],
      targets: [{ accountId, kind: 'feed' }],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const done = await settled(created.json.id);
    const [target] = done.targets;
    expect(target).toMatchObject({ status: 'published', error: null });
    expect(target?.permalink).toMatch(/\/p\/[\w-]+\/$/);
    const published = [...instagram().media.values()].filter((item) => item.id === target?.remoteId);
    expect(published).toMatchObject([
      { accountId: BRAND_IG, mediaProductType: 'FEED', caption: 'Fresh roast today #coffee' },
    ]);
  });

  it('publishes a reel after its video finishes processing, polling without blocking a worker', async () => {
    const mediaId = await upload(fs.readFileSync(SAMPLE_VIDEO), 'clip.mp4', 'video/mp4');
    const created = await api('POST', '/api/posts', {
      caption: 'Behind the bar',
      mediaIds: [mediaId],
      targets: [{ accountId, kind: 'reel' }],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const processing = await waitFor(
      () => post(created.json.id),
      (value) => value.targets[0]?.status === 'processing',
    );
    expect(processing.targets[0]?.status).toBe('processing');
    sandbox.clock.advance(11_000);
    const done = await settled(created.json.id);
    expect(done.targets[0], JSON.stringify(done.targets[0]?.error)).toMatchObject({
      status: 'published',
      permalink: expect.stringContaining('/reel/'),
    });
  });

  it('publishes a story', async () => {
    const mediaId = await upload(await jpeg(1080, 1920), 'story.jpg', 'image/jpeg');
    const created = await api('POST', '/api/posts', { mediaIds: [mediaId], targets: [{ accountId, kind: 'story' }] });
    const done = await settled(created.json.id);
    expect(done.targets[0], JSON.stringify(done.targets[0]?.error)).toMatchObject({
      status: 'published',
      permalink: expect.stringContaining('/stories/'),
    });
  });

  it('publishes carousels of 2 and of 10 items, and refuses 1 and 11 before any platform call', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 11; index += 1)
      ids.push(await upload(await jpeg(1080, 1080), `item-${index}.jpg`, 'image/jpeg'));
    const calls = createCalls();
    for (const count of [1, 11]) {
      const refused = await api('POST', '/api/posts', {
        caption: 'Too few or too many',
        mediaIds: ids.slice(0, count),
        targets: [{ accountId, kind: 'carousel' }],
      });
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe('POST_INVALID');
      expect(refused.json.error.details[0]).toMatchObject({ target: accountId, code: 'CAROUSEL_ITEM_COUNT' });
    }
    expect(createCalls()).toBe(calls);

    for (const count of [2, 10]) {
      const created = await api('POST', '/api/posts', {
        caption: `${count} pictures`,
        mediaIds: ids.slice(0, count),
        targets: [{ accountId, kind: 'carousel' }],
      });
      const done = await settled(created.json.id);
      expect(done.targets[0]?.status).toBe('published');
      const album = [...instagram().media.values()].find((item) => item.id === done.targets[0]?.remoteId);
      const container = album && instagram().containers.get(album.containerId);
      expect(container?.children).toHaveLength(count);
    }
  });

  it('answers the problems of a post on a dry run, as creating it would, and stores nothing', async () => {
    const mediaId = await upload(await jpeg(1080, 1080), 'dry-run.jpg', 'image/jpeg');
    const before = (await api('GET', '/api/posts')).json.posts.length;
    const fine = await api('POST', '/api/posts/validate', {
      caption: 'Ready to go',
      mediaIds: [mediaId],
      targets: [{ accountId, kind: 'feed' }],
    });
    expect(fine).toEqual({ status: 200, json: { problems: [] } });

    const missing = '00000000-0000-4000-8000-000000000000';
    const body = {
      mediaIds: [mediaId],
      targets: [
        { accountId, kind: 'carousel' },
        { accountId: missing, kind: 'feed' },
      ],
      scheduledAt: new Date(Date.now() - 3_600_000).toISOString(),
    };
    const checked = await api('POST', '/api/posts/validate', body);
    expect(checked.status).toBe(200);
    expect(checked.json.problems).toEqual([
      { code: 'SCHEDULED_IN_PAST', message: 'The scheduled time is in the past. Pick a time from now on.' },
      { target: accountId, code: 'CAROUSEL_ITEM_COUNT', message: expect.stringContaining('this one has 1') },
      { target: missing, code: 'ACCOUNT_NOT_FOUND', message: 'This account was not found.' },
    ]);
    const refused = await api('POST', '/api/posts', body);
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: 'POST_INVALID', details: checked.json.problems });
    expect((await api('GET', '/api/posts')).json.posts).toHaveLength(before);

    const unauthenticated = await t.app.inject({ method: 'POST', url: '/api/posts/validate', payload: body });
    expect(unauthenticated.statusCode).toBe(401);
  });

  it('refuses one Instagram account chosen twice, through Facebook Login and through Instagram Login', async () => {
    const start = await api('POST', '/api/connected-accounts/connect/instagram_login', {});
    const loginUrl = new URL(start.json.loginUrl);
    const form = new URLSearchParams(loginUrl.searchParams);
    form.set('decision', 'allow');
    form.set('account_id', BRAND_IG);
    const decision = await fetch(`${loginUrl.origin}${loginUrl.pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    const callback = new URL(decision.headers.get('location') ?? '');
    const landed = await t.app.inject({ method: 'GET', url: callback.pathname + callback.search, headers: { cookie } });
    const twin = new URL(String(landed.headers.location), t.origin).searchParams.get('connected') ?? '';
    expect(twin).not.toBe(accountId);
    const mediaId = await upload(await jpeg(1080, 1080), 'twice.jpg', 'image/jpeg');
    const refused = await api('POST', '/api/posts', {
      mediaIds: [mediaId],
      targets: [
        { accountId, kind: 'feed' },
        { accountId: twin, kind: 'feed' },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.details).toEqual([expect.objectContaining({ target: twin, code: 'SAME_ACCOUNT_TWICE' })]);
    await api('DELETE', `/api/connected-accounts/${twin}`);
  });

  it("answers 404 for another user's post on every route, and does not list it", async () => {
    const mediaId = await upload(await jpeg(1080, 1080), 'mine.jpg', 'image/jpeg');
    const created = await api('POST', '/api/posts', {
      mediaIds: [mediaId],
      targets: [{ accountId, kind: 'feed' }],
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const { id, targets } = created.json as Post;
    const other = await signUp(t.app, { email: 'someone-else@example.com' }, t.origin);
    const as = (method: string, url: string, body?: object) =>
      t.app.inject({
        method: method as 'GET',
        url,
        headers: { cookie: other.cookie, origin: t.origin },
        payload: body,
      });
    expect((await as('GET', `/api/posts/${id}`)).statusCode).toBe(404);
    expect((await as('DELETE', `/api/posts/${id}`)).statusCode).toBe(404);
    expect((await as('POST', `/api/posts/${id}/targets/${targets[0]?.id}/retry`)).statusCode).toBe(404);
    expect((await as('GET', '/api/posts')).json().posts).toEqual([]);
    const foreignMedia = await as('POST', '/api/posts', {
      mediaIds: [mediaId],
      targets: [{ accountId, kind: 'feed' }],
    });
    expect(foreignMedia.statusCode).toBe(400);
    expect(foreignMedia.json().error.details).toEqual([
      expect.objectContaining({ code: 'MEDIA_NOT_FOUND', message: expect.stringMatching(/not found in your library/) }),
      expect.objectContaining({ target: accountId, code: 'ACCOUNT_NOT_FOUND' }),
    ]);
    const foreignAccount = await as('POST', '/api/posts', { targets: [{ accountId, kind: 'feed' }] });
    expect(foreignAccount.statusCode).toBe(400);
    expect(foreignAccount.json().error.details).toEqual([expect.objectContaining({ code: 'ACCOUNT_NOT_FOUND' })]);
    expect((await api('GET', `/api/posts/${id}`)).json.targets[0].status).toBe('scheduled');
    await api('DELETE', `/api/posts/${id}`);
  });

  it('runs a scheduled post at its time, within the tolerance', async () => {
    const mediaId = await upload(await jpeg(1080, 1350), 'portrait.jpg', 'image/jpeg');
    const scheduledAt = new Date(Date.now() + 3_000);
    const created = await api('POST', '/api/posts', {
      caption: 'On time',
      mediaIds: [mediaId],
      targets: [{ accountId, kind: 'feed' }],
      scheduledAt: scheduledAt.toISOString(),
    });
    expect(created.json.targets[0].status).toBe('scheduled');
    const upcoming = await api('GET', `/api/posts?status=scheduled&order=asc&from=${new Date().toISOString()}`);
    expect(upcoming.json.posts.map((item: Post) => item.id)).toContain(created.json.id);
    const done = await settled(created.json.id);
    const publishedAt = Date.parse(done.targets[0]?.publishedAt ?? '');
    expect(publishedAt).toBeGreaterThanOrEqual(scheduledAt.getTime());
    expect(publishedAt - scheduledAt.getTime()).toBeLessThan(5_000);
  });

  it('cancels a scheduled post before it runs: its job then does nothing', async () => {
    const mediaId = await upload(await jpeg(1080, 1080), 'later.jpg', 'image/jpeg');
    const created = await api('POST', '/api/posts', {
      mediaIds: [mediaId],
      targets: [{ accountId, kind: 'feed' }],
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const canceled = await api('DELETE', `/api/posts/${created.json.id}`);
    expect(canceled.status).toBe(200);
    expect(canceled.json.targets[0].status).toBe('canceled');
    const calls = createCalls();
    await runTarget(t.app.connections, t.boss!, created.json.targets[0].id);
    expect(createCalls()).toBe(calls);
    expect((await post(created.json.id)).targets[0]?.status).toBe('canceled');
    expect((await api('DELETE', `/api/posts/${created.json.id}`)).json.error.code).toBe('POST_NOT_CANCELABLE');
  });

  it('fails with a clear reason when the daily quota is used up, without calling media_publish', async () => {
    const account = instagram().accounts.get(BRAND_IG);
    if (!account) throw new Error('seeded account missing');
    const quota = account.quotaTotal;
    account.quotaTotal = 0;
    try {
      const mediaId = await upload(await jpeg(1080, 1080), 'quota.jpg', 'image/jpeg');
      const calls = publishCalls();
      const created = await api('POST', '/api/posts', { mediaIds: [mediaId], targets: [{ accountId, kind: 'feed' }] });
      const done = await settled(created.json.id);
      expect(done.targets[0], JSON.stringify(done.targets[0]?.error)).toMatchObject({
        status: 'failed',
        error: { code: 'graph:quota_exhausted' },
      });
      expect(done.targets[0]?.error?.message).toMatch(/limit/);
      expect(publishCalls()).toBe(calls);
    } finally {
      account.quotaTotal = quota;
    }
  });

  it('fails with the platform message when Instagram cannot fetch the media', async () => {
    const mediaId = await upload(await jpeg(1080, 1080), 'gone.jpg', 'image/jpeg');
    const [row] = await t.app.db.select().from(media).where(eq(media.id, mediaId));
    fs.rmSync(path.join(t.config.dataDir, 'media', row?.storageKey ?? ''), { force: true });
    const created = await api('POST', '/api/posts', { mediaIds: [mediaId], targets: [{ accountId, kind: 'feed' }] });
    const done = await settled(created.json.id);
    expect(done.targets[0], JSON.stringify(done.targets[0]?.error)).toMatchObject({
      status: 'failed',
      error: { code: 'graph:9004/2207052' },
    });
    expect(done.targets[0]?.error?.message).toMatch(/could not download/i);
  });

  it('converts a PNG to JPEG on upload, and Instagram takes the JPEG', async () => {
    const png = await sharp({ create: { width: 1200, height: 1000, channels: 4, background: '#2a6f97' } })
      .png()
      .toBuffer();
    const mediaId = await upload(png, 'diagram.png', 'image/png');
    const created = await api('POST', '/api/posts', { mediaIds: [mediaId], targets: [{ accountId, kind: 'feed' }] });
    const done = await settled(created.json.id);
    expect(done.targets[0]?.status).toBe('published');
    const container = [...instagram().containers.values()].at(-1);
    const served = await fetch(container?.imageUrl ?? '');
    expect(served.headers.get('content-type')).toBe('image/jpeg');
  });

  it('holds a post whose token is revoked mid-publish, marks the account, and resumes after it is healthy again', async () => {
    const mediaId = await upload(fs.readFileSync(SAMPLE_VIDEO), 'revoked.mp4', 'video/mp4');
    const created = await api('POST', '/api/posts', { mediaIds: [mediaId], targets: [{ accountId, kind: 'reel' }] });
    await waitFor(
      () => post(created.json.id),
      (value) => value.targets[0]?.status === 'processing',
    );
    sandbox.tokens.revokeSubject(
      { subjectId: DEFAULT_WORKSPACE.facebookUserId },
      { subcode: 460, message: 'The session has been invalidated because the user changed their password.' },
    );
    sandbox.clock.advance(11_000);
    const held = await waitFor(
      () => post(created.json.id),
      (value) => value.targets[0]?.error?.code === PAUSED_FOR_RECONNECT,
    );
    expect(held.targets[0]?.status).toBe('scheduled');
    const [account] = await t.app.db.select().from(connectedAccounts).where(eq(connectedAccounts.id, accountId));
    expect(account?.status).toBe('needs_reconnect');
    const [target] = await t.app.db.select().from(postTargets).where(eq(postTargets.postId, created.json.id));
    expect(target?.publishRequestedAt).toBeNull();

    // The user reconnects; the next keep-alive sweep queues the held post again and it goes out.
    await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE], reconnectAccountId: accountId, origin: t.origin });
    expect(await resumePausedTargets(t.app.connections, t.boss!)).toBe(1);
    sandbox.clock.advance(11_000);
    const done = await waitFor(
      () => post(created.json.id),
      (value) => value.targets[0]?.status === 'published' || value.targets[0]?.status === 'failed',
    );
    expect(done.targets[0], JSON.stringify(done.targets[0]?.error)).toMatchObject({ status: 'published', error: null });
  });
});
