import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../src/contracts/posts.ts';
import { DAY } from '../src/sandbox/core/clock.ts';
import type { Sandbox } from '../src/sandbox/core/sandbox.ts';
import { postTargets } from '../src/server/db/schema/index.ts';
import { runTarget } from '../src/server/services/publishing.ts';
import { BRAND_PAGE, connectInstagram } from './helpers/connect.ts';
import { jpeg, waitFor } from './helpers/fixtures.ts';
import { browserApi, createTestApp, signUp, type TestApp, uploadMedia } from './helpers/test-app.ts';

/**
 * Instagram posts prepared ahead of their time (PUBLISH_PREPARE_AHEAD_MINUTES, 30 by default):
 * the containers are created and processed while the target is still scheduled, and at the time
 * only media_publish is left. Through the API, the job queue and the mounted sandbox over HTTP.
 */
describe('publishing to Instagram prepared ahead (sandbox)', () => {
  let t: TestApp;
  let sandbox: Sandbox;
  let cookie: string;
  let accountId: string;
  let mediaId: string;

  const { api, post, settled } = browserApi(() => ({ t, cookie }));
  const targetRow = async (targetId: string) => {
    const [row] = await t.app.db.select().from(postTargets).where(eq(postTargets.id, targetId));
    if (!row) throw new Error(`target ${targetId} not found`);
    return row;
  };
  const containersOf = (caption: string) =>
    [...sandbox.instagram.containers.values()].filter((container) => container.caption === caption);
  const mediaOf = (caption: string) => [...sandbox.instagram.media.values()].filter((item) => item.caption === caption);
  /** Requests the sandbox answered since `since` (a log length) on `endpoint`. */
  const callsSince = (since: number, endpoint: string) =>
    sandbox.log
      .list()
      .slice(since)
      .filter((entry) => entry.endpoint === endpoint);

  /** A feed post `inMs` from now; waits until its target is prepared (still scheduled) and returns both. */
  async function schedulePrepared(caption: string, inMs: number) {
    const scheduledAt = new Date(Date.now() + inMs);
    const created = await api('POST', '/api/posts', {
      caption,
      mediaIds: [mediaId],
      targets: [{ accountId, kind: 'feed' }],
      scheduledAt: scheduledAt.toISOString(),
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const targetId = (created.json as Post).targets[0]?.id ?? '';
    const prepared = await waitFor(
      () => targetRow(targetId),
      (row) => row.preparedAt !== null,
    );
    expect(prepared).toMatchObject({ status: 'scheduled', publishRequestedAt: null });
    expect(prepared.containerId).not.toBeNull();
    expect(Date.now()).toBeLessThan(scheduledAt.getTime());
    return { post: created.json as Post, targetId, scheduledAt, prepared };
  }

  beforeAll(async () => {
    t = await createTestApp({}, { listen: true, jobs: true });
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    sandbox = t.app.sandbox;
    ({ cookie } = await signUp(t.app, { email: 'ahead@example.com' }, t.origin));
    const landed = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE], origin: t.origin });
    accountId = (landed.searchParams.get('connected') ?? '').split(',')[0] ?? '';
    expect(accountId).not.toBe('');
    mediaId = await uploadMedia(t.origin, cookie, {
      bytes: await jpeg(1080, 1080),
      name: 'ahead.jpg',
      type: 'image/jpeg',
    });
  });
  afterAll(() => t.close());

  it('prepares the container before the time, and at the time only publishes it', async () => {
    const caption = 'Prepared ahead, out on time';
    const { post: created, targetId, scheduledAt, prepared } = await schedulePrepared(caption, 4_000);
    expect((await post(created.id)).targets[0]?.status).toBe('scheduled');
    expect(containersOf(caption)).toMatchObject([{ id: prepared.containerId, status: 'FINISHED' }]);
    expect(mediaOf(caption)).toEqual([]);
    const since = sandbox.log.list().length;

    const done = await settled(created.id);
    const publishedAt = Date.parse(done.targets[0]?.publishedAt ?? '');
    expect(done.targets[0]).toMatchObject({
      status: 'published',
      error: null,
      permalink: expect.stringContaining('/p/'),
    });
    expect(publishedAt).toBeGreaterThanOrEqual(scheduledAt.getTime());
    expect(publishedAt - scheduledAt.getTime()).toBeLessThan(3_000);
    expect(mediaOf(caption)).toMatchObject([{ containerId: prepared.containerId, id: done.targets[0]?.remoteId }]);
    // At the time: no new container and no status read of the prepared one, one media_publish.
    expect(callsSince(since, 'ig.graph.media.create')).toEqual([]);
    expect(
      callsSince(since, 'graph.object').filter((entry) => entry.path.includes(prepared.containerId ?? '-')),
    ).toEqual([]);
    expect(callsSince(since, 'ig.graph.media_publish')).toHaveLength(1);
    expect((await targetRow(targetId)).containerId).toBe(prepared.containerId);
  });

  it('cancels a post after it was prepared: its container is never published', async () => {
    const caption = 'Prepared, then canceled';
    const { post: created, targetId, scheduledAt } = await schedulePrepared(caption, 3_000);
    const canceled = await api('DELETE', `/api/posts/${created.id}`);
    expect(canceled.status).toBe(200);
    expect(canceled.json.targets[0].status).toBe('canceled');

    // The run queued for the time finds it canceled, and so does any other run.
    await new Promise((resolve) => setTimeout(resolve, scheduledAt.getTime() - Date.now() + 1_500));
    await runTarget(t.app.connections, t.boss!, targetId);
    expect((await post(created.id)).targets[0]?.status).toBe('canceled');
    expect(containersOf(caption)).toMatchObject([{ status: 'FINISHED' }]);
    expect(mediaOf(caption)).toEqual([]);
  });

  it('prepares again when the prepared container expired before the time', async () => {
    const caption = 'Prepared, expired, prepared again';
    const { post: created, targetId, prepared } = await schedulePrepared(caption, 3_000);
    const container = sandbox.instagram.containers.get(prepared.containerId ?? '');
    if (!container) throw new Error('prepared container missing');
    // Instagram discards an unpublished container 24 hours after it was created.
    container.createdAt -= DAY;

    const done = await settled(created.id);
    expect(done.targets[0], JSON.stringify(done.targets[0]?.error)).toMatchObject({ status: 'published', error: null });
    const row = await targetRow(targetId);
    expect(row.containerId).not.toBe(prepared.containerId);
    expect(containersOf(caption)).toMatchObject([
      { id: prepared.containerId, status: 'EXPIRED' },
      { id: row.containerId, status: 'PUBLISHED' },
    ]);
    expect(mediaOf(caption)).toMatchObject([{ containerId: row.containerId, id: row.remoteId }]);
  });

  it('prepares again when the prepared container failed after it was ready', { timeout: 60_000 }, async () => {
    const caption = 'Prepared, failed at Instagram, prepared again';
    const { post: created, targetId, prepared } = await schedulePrepared(caption, 3_000);
    const container = sandbox.instagram.containers.get(prepared.containerId ?? '');
    if (!container) throw new Error('prepared container missing');
    container.status = 'ERROR';

    // media_publish answers "not ready" (transient); the retry finds the container in ERROR.
    const done = await settled(created.id, 50_000);
    expect(done.targets[0], JSON.stringify(done.targets[0]?.error)).toMatchObject({ status: 'published', error: null });
    const row = await targetRow(targetId);
    expect(containersOf(caption)).toMatchObject([
      { id: prepared.containerId, status: 'ERROR' },
      { id: row.containerId, status: 'PUBLISHED' },
    ]);
    expect(mediaOf(caption)).toMatchObject([{ containerId: row.containerId, id: row.remoteId }]);
  });
});
