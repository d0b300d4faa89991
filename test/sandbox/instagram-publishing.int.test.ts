import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../../src/sandbox/core/clock.ts';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import {
  BRAND,
  expectGraphError,
  fbToken,
  graph,
  type Host,
  igControl,
  igToken,
  imageUrl,
  videoUrl,
} from './instagram-helpers.ts';

describe('Instagram content publishing', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    await s.control.reset();
  });

  const tokenFor = (host: Host) => (host === 'graph-instagram' ? igToken(s) : fbToken(s));

  describe.each(['graph-instagram', 'graph-facebook'] as const)('on %s', (host) => {
    it('publishes an image: container → FINISHED → media with permalink', async () => {
      const token = tokenFor(host);
      const created = await graph(s, host, 'POST', `/${BRAND}/media`, token, {
        image_url: imageUrl(s, { width: 1080, height: 1350 }),
        caption: 'Fresh roast #coffee @sam.makes.things',
        alt_text: 'A cup of coffee',
      });
      expect(created.status).toBe(200);
      expect(created.body).toEqual({ id: expect.stringMatching(/^\d{17}$/) });
      const containerId = created.body.id;

      const status = await graph(s, host, 'GET', `/${containerId}`, token, {
        fields: 'status_code,status,id,copyright_check_status',
      });
      expect(status.body).toEqual({
        id: containerId,
        status_code: 'FINISHED',
        status: expect.stringMatching(/^Finished/),
        copyright_check_status: { status: 'completed', matches_found: false },
      });

      const published = await graph(s, host, 'POST', `/${BRAND}/media_publish`, token, { creation_id: containerId });
      expect(published.status).toBe(200);
      const mediaId = published.body.id;
      expect(mediaId).toMatch(/^\d{17}$/);

      const media = await graph(s, host, 'GET', `/${mediaId}`, token, {
        fields: 'id,permalink,media_type,media_product_type,timestamp,caption,shortcode',
      });
      expect(media.body).toEqual({
        id: mediaId,
        permalink: expect.stringMatching(new RegExp(`^${s.urls.instagramWww}/p/[\\w-]{11}/$`)),
        media_type: 'IMAGE',
        media_product_type: 'FEED',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/),
        caption: 'Fresh roast #coffee @sam.makes.things',
        shortcode: expect.stringMatching(/^[\w-]{11}$/),
      });
      expect(media.body.permalink).toContain(media.body.shortcode);
      const after = await graph(s, host, 'GET', `/${containerId}`, token, { fields: 'status_code' });
      expect(after.body).toEqual({ id: containerId, status_code: 'PUBLISHED' });
    });

    it('refuses to republish a published container with 24/2207006', async () => {
      const token = tokenFor(host);
      const { body } = await graph(s, host, 'POST', `/${BRAND}/media`, token, { image_url: imageUrl(s) });
      expect((await graph(s, host, 'POST', `/${BRAND}/media_publish`, token, { creation_id: body.id })).status).toBe(
        200,
      );
      const again = await graph(s, host, 'POST', `/${BRAND}/media_publish`, token, { creation_id: body.id });
      expect(again.status).toBe(400);
      expect(expectGraphError(again, 24, 2207006).message).toMatch(/already been published/);
      expect((await s.control.published()).instagram.media).toHaveLength(1);
    });

    it('reports the content publishing limit and enforces the quota with 9/2207042', async () => {
      const account = (await s.control.state()) as { instagram: { accounts: Array<{ id: string }> } };
      const brand = account.instagram.accounts.find((a) => a.id === BRAND) as Parameters<
        typeof s.control.putInstagramAccount
      >[0];
      await s.control.putInstagramAccount({ ...brand, quotaTotal: 2 });
      const token = tokenFor(host);
      const publishOne = async () => {
        const { body } = await graph(s, host, 'POST', `/${BRAND}/media`, token, { image_url: imageUrl(s) });
        return graph(s, host, 'POST', `/${BRAND}/media_publish`, token, { creation_id: body.id });
      };
      expect((await publishOne()).status).toBe(200);
      const limit = await graph(s, host, 'GET', `/${BRAND}/content_publishing_limit`, token, {
        fields: 'config,quota_usage',
      });
      expect(limit.body).toEqual({ data: [{ config: { quota_total: 2, quota_duration: 86400 }, quota_usage: 1 }] });
      expect((await graph(s, host, 'GET', `/${BRAND}/content_publishing_limit`, token)).body).toEqual({
        data: [{ quota_usage: 1 }],
      });
      expect((await publishOne()).status).toBe(200);
      expectGraphError(await publishOne(), 9, 2207042);

      const since = String(Math.floor(s.sandbox.clock.now() / 1000) + 1);
      expect(
        (await graph(s, host, 'GET', `/${BRAND}/content_publishing_limit`, token, { since })).body.data[0].quota_usage,
      ).toBe(0);
      expectGraphError(
        await graph(s, host, 'GET', `/${BRAND}/content_publishing_limit`, token, { since: '1000' }),
        100,
      );
      await s.control.advanceClock(DAY);
      expect((await publishOne()).status).toBe(200);
    });
  });

  it('publishes a carousel of 2–10 finished items, counted once against the quota', async () => {
    const token = igToken(s);
    const item = async () =>
      (
        await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
          image_url: imageUrl(s),
          is_carousel_item: 'true',
        })
      ).body.id as string;
    const children = [await item(), await item(), await item()];
    const one = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
      media_type: 'CAROUSEL',
      children: children[0] ?? '',
    });
    expectGraphError(one, 100, 2207028);
    const eleven = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
      media_type: 'CAROUSEL',
      children: new Array(11).fill(children[0]).join(','),
    });
    expectGraphError(eleven, 100, 2207028);
    const foreign = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
      media_type: 'CAROUSEL',
      children: `${children[0]},12345`,
    });
    expectGraphError(foreign, 24, 2207006);

    const parent = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
      media_type: 'CAROUSEL',
      children: children.join(','),
      caption: 'Three cups',
    });
    expect(parent.status).toBe(200);
    const itemAlone = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media_publish`, token, {
      creation_id: children[0] ?? '',
    });
    expectGraphError(itemAlone, 100);
    const published = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media_publish`, token, {
      creation_id: parent.body.id,
    });
    const media = await graph(s, 'graph-instagram', 'GET', `/${published.body.id}`, token, {
      fields: 'media_type,media_product_type,caption',
    });
    expect(media.body).toMatchObject({
      media_type: 'CAROUSEL_ALBUM',
      media_product_type: 'FEED',
      caption: 'Three cups',
    });
    const limit = await graph(s, 'graph-instagram', 'GET', `/${BRAND}/content_publishing_limit`, token);
    expect(limit.body.data[0].quota_usage).toBe(1);
  });

  it('refuses a carousel whose video child is still processing with 9007/2207027', async () => {
    const token = igToken(s);
    const image = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
      image_url: imageUrl(s),
      is_carousel_item: 'true',
    });
    const video = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
      media_type: 'VIDEO',
      is_carousel_item: 'true',
      video_url: videoUrl(s, { duration_ms: 10_000, width: 1080, height: 1080 }),
    });
    const children = `${image.body.id},${video.body.id}`;
    const early = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
      media_type: 'CAROUSEL',
      children,
    });
    expectGraphError(early, 9007, 2207027);
    await s.control.advanceClock(10_000);
    const parent = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
      media_type: 'CAROUSEL',
      children,
    });
    expect(parent.status).toBe(200);
  });

  it('publishes a reel once processing is over; unfinished → 9007/2207027, stale → EXPIRED', async () => {
    const token = fbToken(s);
    const created = await graph(s, 'graph-facebook', 'POST', `/${BRAND}/media`, token, {
      media_type: 'REELS',
      video_url: videoUrl(s, { duration_ms: 20_000 }),
      caption: 'Latte art',
      share_to_feed: 'true',
      cover_url: imageUrl(s, { width: 1080, height: 1920 }),
      thumb_offset: '1500',
    });
    expect(created.status).toBe(200);
    const id = created.body.id;
    const poll = async () =>
      (await graph(s, 'graph-facebook', 'GET', `/${id}`, token, { fields: 'status_code,status' })).body;
    expect(await poll()).toMatchObject({ status_code: 'IN_PROGRESS', status: expect.stringMatching(/^In Progress/) });
    expectGraphError(
      await graph(s, 'graph-facebook', 'POST', `/${BRAND}/media_publish`, token, { creation_id: id }),
      9007,
      2207027,
    );

    await s.control.advanceClock(10_000);
    expect((await poll()).status_code).toBe('FINISHED');
    const published = await graph(s, 'graph-facebook', 'POST', `/${BRAND}/media_publish`, token, { creation_id: id });
    const media = await graph(s, 'graph-facebook', 'GET', `/${published.body.id}`, token, {
      fields: 'media_type,media_product_type,permalink',
    });
    expect(media.body).toMatchObject({ media_type: 'VIDEO', media_product_type: 'REELS' });
    expect(media.body.permalink).toMatch(/\/reel\//);

    const stale = await graph(s, 'graph-facebook', 'POST', `/${BRAND}/media`, token, { image_url: imageUrl(s) });
    await s.control.advanceClock(DAY);
    expect(
      (await graph(s, 'graph-facebook', 'GET', `/${stale.body.id}`, token, { fields: 'status_code' })).body.status_code,
    ).toBe('EXPIRED');
    expectGraphError(
      await graph(s, 'graph-facebook', 'POST', `/${BRAND}/media_publish`, token, { creation_id: stale.body.id }),
      -2,
      2207020,
    );
    // A published container stays PUBLISHED, so a client can check before retrying.
    expect((await poll()).status_code).toBe('PUBLISHED');
  });

  it('publishes image and video stories', async () => {
    const token = igToken(s);
    const image = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
      media_type: 'STORIES',
      image_url: imageUrl(s, { width: 1080, height: 1920 }),
    });
    expect(image.status).toBe(200);
    const published = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media_publish`, token, {
      creation_id: image.body.id,
    });
    const media = await graph(s, 'graph-instagram', 'GET', `/${published.body.id}`, token, {
      fields: 'media_type,media_product_type',
    });
    expect(media.body).toMatchObject({ media_type: 'IMAGE', media_product_type: 'STORY' });

    const tooLong = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
      media_type: 'STORIES',
      video_url: videoUrl(s, { duration_ms: 61_000 }),
    });
    const status = await graph(s, 'graph-instagram', 'GET', `/${tooLong.body.id}`, token, {
      fields: 'status_code,status',
    });
    expect(status.body).toMatchObject({ status_code: 'ERROR', status: expect.stringMatching(/\(2207026\)$/) });
  });

  it('checks captions: length, hashtags, mentions (36004/2207010)', async () => {
    const token = igToken(s);
    const post = (caption: string) =>
      graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, { image_url: imageUrl(s), caption });
    expect((await post('x'.repeat(2200))).status).toBe(200);
    expectGraphError(await post('x'.repeat(2201)), 36004, 2207010);
    const tags = (n: number, mark: string) => Array.from({ length: n }, (_, i) => `${mark}tag${i}`).join(' ');
    expect((await post(tags(30, '#'))).status).toBe(200);
    expectGraphError(await post(tags(31, '#')), 36004, 2207010);
    expect((await post(tags(20, '@'))).status).toBe(200);
    expectGraphError(await post(tags(21, '@')), 36004, 2207010);
  });

  it('caps container creation per 24 hours', async () => {
    await igControl(s).updateSettings({ containerCapPer24h: 2 });
    const token = igToken(s);
    const create = () => graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, { image_url: imageUrl(s) });
    expect((await create()).status).toBe(200);
    expect((await create()).status).toBe(200);
    expect(expectGraphError(await create(), 9, 2207042).message).toMatch(/containers/);
    await s.control.advanceClock(DAY);
    expect((await create()).status).toBe(200);
  });
});
