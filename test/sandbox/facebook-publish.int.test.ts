import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFacebookControlClient } from '../../src/sandbox/facebook/control-client.ts';
import { FULL_PAGE_TASKS } from '../../src/sandbox/seed.ts';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import { BRAND_PAGE, EVENTS_PAGE, getJson, graph, pageToken, USER_ID, userToken } from './facebook-flow.ts';

const MINUTE = 60_000;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

describe('Facebook Page publishing', () => {
  let s: RunningSandbox;
  let page: string;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    await s.control.reset();
    page = await pageToken(s, await userToken(s));
  });

  const post = (path: string, params: Record<string, string>, token = page) =>
    getJson(graph(s, path), { method: 'POST', body: new URLSearchParams({ access_token: token, ...params }) });
  const nowSeconds = () => Math.floor(s.sandbox.clock.now() / 1000);

  it('publishes a text and link post and records it', async () => {
    const { response, body } = await post(`/${BRAND_PAGE}/feed`, {
      message: 'Fresh roast today',
      link: 'https://northwind.example',
    });
    expect(response.status).toBe(200);
    expect(body).toEqual({ id: expect.stringMatching(new RegExp(`^${BRAND_PAGE}_\\d+$`)) });
    const published = await s.control.published();
    expect(published.facebook).toEqual([
      expect.objectContaining({
        id: body.id,
        pageId: BRAND_PAGE,
        kind: 'feed',
        message: 'Fresh roast today',
        link: 'https://northwind.example',
        published: true,
      }),
    ]);
  });

  it('accepts JSON bodies and the Authorization header', async () => {
    const { body } = await getJson(graph(s, `/${BRAND_PAGE}/feed`), {
      method: 'POST',
      headers: { authorization: `OAuth ${page}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'json post' }),
    });
    expect(body.id).toMatch(/_/);
  });

  it('schedules a post 10 minutes to 30 days ahead, only with published=false', async () => {
    const inAnHour = nowSeconds() + 3600;
    const scheduled = await post(`/${BRAND_PAGE}/feed`, {
      message: 'later',
      published: 'false',
      scheduled_publish_time: String(inAnHour),
    });
    expect(scheduled.body.id).toMatch(/_/);
    const iso = await post(`/${BRAND_PAGE}/feed`, {
      message: 'later, as a date',
      published: 'false',
      scheduled_publish_time: new Date((nowSeconds() + 86_400) * 1000).toISOString(),
    });
    expect(iso.body.id).toMatch(/_/);
    const records = (await s.control.published()).facebook;
    expect(records[0]).toMatchObject({ published: false, scheduledPublishTime: inAnHour });

    for (const [params, message] of [
      [{ published: 'true', scheduled_publish_time: String(inAnHour) }, /published=false/],
      [
        { published: 'false', scheduled_publish_time: String(nowSeconds() + 5 * 60) },
        /scheduled publish time is invalid/,
      ],
      [
        { published: 'false', scheduled_publish_time: String(nowSeconds() + 31 * 86_400) },
        /scheduled publish time is invalid/,
      ],
      [{ published: 'false', scheduled_publish_time: 'soonish' }, /scheduled publish time is invalid/],
      [{ published: 'maybe' }, /published must be a boolean/],
    ] as const) {
      const { response, body } = await post(`/${BRAND_PAGE}/feed`, { message: 'x', ...params });
      expect(response.status).toBe(400);
      expect(body.error).toMatchObject({ code: 100, message: expect.stringMatching(message) });
    }
  });

  it('uploads unpublished photos and attaches them to a multi-photo post', async () => {
    const first = await post(`/${BRAND_PAGE}/photos`, { url: `${s.urls.media}/samples/image.jpg`, published: 'false' });
    const second = await post(`/${BRAND_PAGE}/photos`, {
      url: `${s.urls.media}/samples/image.jpg?seed=b`,
      published: 'false',
    });
    expect(first.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
    const multi = await post(`/${BRAND_PAGE}/feed`, {
      message: 'two photos',
      'attached_media[0]': JSON.stringify({ media_fbid: first.body.id }),
      'attached_media[1]': JSON.stringify({ media_fbid: second.body.id }),
    });
    expect(multi.body.id).toMatch(/_/);
    const feed = (await s.control.published()).facebook.find((entry) => entry.id === multi.body.id);
    expect(feed?.attachedMedia).toEqual([first.body.id, second.body.id]);

    const bad = await post(`/${BRAND_PAGE}/feed`, { 'attached_media[0]': JSON.stringify({ media_fbid: '999' }) });
    expect(bad.body.error).toMatchObject({ code: 100, message: expect.stringContaining('attached_media[0]') });
  });

  it('publishes a photo by URL, by multipart source and by raw bytes', async () => {
    const byUrl = await post(`/${BRAND_PAGE}/photos`, {
      url: `${s.urls.media}/samples/image.jpg`,
      caption: 'latte art',
    });
    expect(byUrl.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      post_id: expect.stringMatching(new RegExp(`^${BRAND_PAGE}_`)),
    });

    const form = new FormData();
    form.set('access_token', page);
    form.set('message', 'uploaded');
    form.set('source', new Blob([JPEG], { type: 'image/jpeg' }), 'photo.jpg');
    const multipart = await getJson(graph(s, `/${BRAND_PAGE}/photos`), { method: 'POST', body: form });
    expect(multipart.body.post_id).toMatch(/_/);

    const raw = await getJson(graph(s, `/${BRAND_PAGE}/photos`, { access_token: page, caption: 'raw' }), {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: JPEG,
    });
    expect(raw.body.post_id).toMatch(/_/);
    const photos = (await s.control.published()).facebook.filter((entry) => entry.kind === 'photo');
    expect(photos.map((entry) => [entry.message, entry.sourceUrl])).toEqual([
      ['latte art', `${s.urls.media}/samples/image.jpg`],
      ['uploaded', `upload:${JPEG.length}`],
      ['raw', `upload:${JPEG.length}`],
    ]);

    const none = await post(`/${BRAND_PAGE}/photos`, { caption: 'nothing' });
    expect(none.body.error).toMatchObject({ code: 324, message: '(#324) Requires upload file' });
    const badUrl = await post(`/${BRAND_PAGE}/photos`, { url: 'ftp://x' });
    expect(badUrl.body.error.code).toBe(100);
  });

  it('downloads photo URLs and refuses what is not an accepted image under 10 MB with 324', async () => {
    const png = await post(`/${BRAND_PAGE}/photos`, { url: `${s.urls.media}/samples/image.png` });
    expect(png.body.post_id).toMatch(/_/);
    for (const url of [
      `${s.urls.media}/missing.jpg`,
      `${s.urls.media}/samples/video.mp4`,
      `${s.urls.media}/samples/image.jpg?bytes=${10 * 1024 * 1024 + 1}`,
    ]) {
      const { response, body } = await post(`/${BRAND_PAGE}/photos`, { url });
      expect(response.status).toBe(400);
      expect(body.error).toMatchObject({ code: 324, message: '(#324) Missing or invalid image file' });
    }
    const notImage = await getJson(graph(s, `/${BRAND_PAGE}/photos`, { access_token: page }), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from('plain text, not an image'),
    });
    expect(notImage.body.error.code).toBe(324);
  });

  it('uploads a video that is processing, then ready after the configured delay', async () => {
    await createFacebookControlClient(s.baseUrl).updateSettings({ videoProcessingMs: 5 * MINUTE });
    const { body } = await post(`/${BRAND_PAGE}/videos`, {
      file_url: `${s.urls.media}/videos/clip.mp4`,
      title: 'Behind the bar',
      description: 'How we roast',
    });
    expect(body).toEqual({ id: expect.stringMatching(/^\d+$/) });
    const status = async () =>
      (await getJson(graph(s, `/${body.id}`, { access_token: page, fields: 'status,title' }))).body;
    expect(await status()).toMatchObject({
      id: body.id,
      title: 'Behind the bar',
      status: { video_status: 'processing' },
    });
    await s.control.advanceClock(5 * MINUTE);
    expect((await status()).status).toMatchObject({
      video_status: 'ready',
      publishing_phase: { status: 'complete', publish_status: 'published' },
    });
    const missing = await post(`/${BRAND_PAGE}/videos`, { title: 'no file' });
    expect(missing.body.error).toMatchObject({ code: 353 });
  });

  it('refuses an identical message to the same Page within the window with 506', async () => {
    await createFacebookControlClient(s.baseUrl).updateSettings({ duplicatePostWindowMs: 10 * MINUTE });
    const events = await pageToken(s, await userToken(s), EVENTS_PAGE);
    await post(`/${BRAND_PAGE}/feed`, { message: 'same words' });
    const duplicate = await post(`/${BRAND_PAGE}/feed`, { message: 'same words' });
    expect(duplicate.response.status).toBe(400);
    expect(duplicate.body.error).toMatchObject({ code: 506, message: '(#506) Duplicate status message' });
    expect((await post(`/${EVENTS_PAGE}/feed`, { message: 'same words' }, events)).body.id).toMatch(/_/);
    await s.control.advanceClock(10 * MINUTE);
    expect((await post(`/${BRAND_PAGE}/feed`, { message: 'same words' })).body.id).toMatch(/_/);
  });

  it('refuses publishing without the right token, permission or Page role', async () => {
    const user = await userToken(s);
    const withUser = await post(`/${BRAND_PAGE}/feed`, { message: 'x' }, user);
    expect(withUser.body.error).toMatchObject({ code: 200 });
    const otherPage = await post(`/${EVENTS_PAGE}/feed`, { message: 'x' });
    expect(otherPage.body.error).toMatchObject({ code: 200 });
    const unknownPage = await post('/123456/feed', { message: 'x' });
    expect(unknownPage.body.error).toMatchObject({ code: 100, error_subcode: 33 });
    const empty = await post(`/${BRAND_PAGE}/feed`, {});
    expect(empty.body.error).toMatchObject({ code: 100, message: '(#100) Missing message or attachment' });
    const badLink = await post(`/${BRAND_PAGE}/feed`, { link: 'not a url' });
    expect(badLink.body.error.code).toBe(100);

    const noPublish = await pageToken(s, await userToken(s, { grant: ['pages_show_list'] }));
    const denied = await post(`/${BRAND_PAGE}/feed`, { message: 'x' }, noPublish);
    expect(denied.response.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 200 });

    const analyst = { id: USER_ID, name: 'Sam Rivera', email: 'sam@northwind.example' };
    await s.control.putFacebookUser({ ...analyst, pageRoles: [{ pageId: BRAND_PAGE, tasks: ['ANALYZE'] }] });
    expect((await post(`/${BRAND_PAGE}/feed`, { message: 'x' })).body.error).toMatchObject({ code: 200 });
    await s.control.putFacebookUser({ ...analyst, pageRoles: [] });
    expect((await post(`/${BRAND_PAGE}/feed`, { message: 'x' })).body.error).toMatchObject({
      code: 190,
      error_subcode: 492,
    });
    await s.control.putFacebookUser({ ...analyst, pageRoles: [{ pageId: BRAND_PAGE, tasks: FULL_PAGE_TASKS }] });
  });
});

describe('Facebook usage headers and throttling', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  it('reports X-App-Usage on every call and answers code 4 at the app limit', async () => {
    const token = await userToken(s);
    await s.control.setLimits({ appCallsPerHour: 4 });
    const usage = async () => {
      const response = await fetch(graph(s, '/me', { access_token: token }));
      return { response, body: await response.json(), usage: JSON.parse(response.headers.get('x-app-usage') ?? '{}') };
    };
    // The code exchange already counted one call in this hour.
    expect((await usage()).usage).toEqual({ call_count: 50, total_cputime: 50, total_time: 50 });
    expect((await usage()).usage.call_count).toBe(75);
    expect((await usage()).usage.call_count).toBe(100);
    const refused = await usage();
    expect(refused.response.status).toBe(400);
    expect(refused.usage.call_count).toBe(100);
    expect(refused.response.headers.get('www-authenticate')).toMatch(/"invalid_request"/);
    expect(refused.body.error).toMatchObject({
      code: 4,
      message: '(#4) Application request limit reached',
      is_transient: true,
    });
    await s.control.advanceClock(61 * MINUTE);
    expect((await usage()).response.status).toBe(200);
  });

  it('reports X-Business-Use-Case-Usage on Page calls and answers 80001 at the Page limit', async () => {
    const page = await pageToken(s, await userToken(s));
    await s.control.setLimits({ pageCallsPerHour: 2 });
    const publish = (message: string) =>
      fetch(graph(s, `/${BRAND_PAGE}/feed`), {
        method: 'POST',
        body: new URLSearchParams({ access_token: page, message }),
      });
    const first = await publish('one');
    expect(first.headers.get('x-app-usage')).toBeTruthy();
    expect(JSON.parse(first.headers.get('x-business-use-case-usage') ?? '{}')).toEqual({
      [BRAND_PAGE]: [
        { type: 'pages', call_count: 50, total_cputime: 50, total_time: 50, estimated_time_to_regain_access: 0 },
      ],
    });
    await s.control.advanceClock(10 * MINUTE);
    await publish('two');
    const refused = await publish('three');
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({ code: 80001, is_transient: true });
    expect(JSON.parse(refused.headers.get('x-business-use-case-usage') ?? '{}')[BRAND_PAGE][0]).toMatchObject({
      type: 'pages',
      call_count: 100,
      estimated_time_to_regain_access: 50,
    });
  });
});
