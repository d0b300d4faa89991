import { describe, expect, it } from 'vitest';
import { COMMENTARY_MAX, LINKEDIN_IMAGE_MAX_PIXELS, LINKEDIN_IMAGES } from '../../contracts/linkedin-rules.ts';
import { Secret } from '../../server/vault/secret.ts';
import { RejectedError, TransientError } from '../errors.ts';
import type { Fetch } from '../meta-graph/client.ts';
import type { PublishDraft, PublishInput, PublishMedia } from '../types.ts';
import { createLinkedInClient } from './client.ts';
import { createLinkedInPublisher, linkedInDraftProblems } from './publisher.ts';

const image: PublishMedia = {
  url: 'http://tether.test/media/a.jpg',
  kind: 'image',
  mime: 'image/jpeg',
  width: 1200,
  height: 627,
  durationMs: null,
  sizeBytes: 100_000,
};
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const codes = (draft: PublishDraft) => linkedInDraftProblems(draft).map((problem) => problem.code);

describe('LinkedIn post rules', () => {
  it.each<[string, PublishDraft, string[]]>([
    ['text only', { kind: 'feed', caption: 'Hello', media: [] }, []],
    ['one image without text', { kind: 'feed', caption: '', media: [image] }, []],
    ['20 images', { kind: 'feed', caption: '', media: Array(LINKEDIN_IMAGES.max).fill(image) }, []],
    ['21 images', { kind: 'feed', caption: '', media: Array(LINKEDIN_IMAGES.max + 1).fill(image) }, ['MEDIA_COUNT']],
    ['nothing at all', { kind: 'feed', caption: '  ', media: [] }, ['EMPTY_POST']],
    ['a carousel', { kind: 'carousel', caption: 'x', media: [image, image] }, ['POST_KIND']],
    ['a reel', { kind: 'reel', caption: 'x', media: [image] }, ['POST_KIND']],
    [
      'a video',
      { kind: 'feed', caption: 'x', media: [{ ...image, kind: 'video', mime: 'video/mp4' }] },
      ['MEDIA_KIND'],
    ],
    ['a WebP image', { kind: 'feed', caption: 'x', media: [{ ...image, mime: 'image/webp' }] }, ['MEDIA_FORMAT']],
    [
      'a PNG and a GIF',
      {
        kind: 'feed',
        caption: '',
        media: [
          { ...image, mime: 'image/png' },
          { ...image, mime: 'image/gif' },
        ],
      },
      [],
    ],
    [
      'an image over the pixel limit',
      {
        kind: 'feed',
        caption: 'x',
        media: [{ ...image, width: 8000, height: Math.ceil(LINKEDIN_IMAGE_MAX_PIXELS / 8000) + 1 }],
      },
      ['IMAGE_TOO_LARGE'],
    ],
    ['text at the limit', { kind: 'feed', caption: 'x'.repeat(COMMENTARY_MAX), media: [] }, []],
    [
      'text over the limit once escaped',
      { kind: 'feed', caption: `${'x'.repeat(COMMENTARY_MAX - 1)}#`, media: [] },
      ['CAPTION_TOO_LONG'],
    ],
  ])('%s', (_name, draft, expected) => {
    expect(codes(draft)).toEqual(expected);
  });

  it('says what to change', () => {
    const [tooLong] = linkedInDraftProblems({ kind: 'feed', caption: '('.repeat(1600), media: [] });
    expect(tooLong?.message).toBe(
      'The text has 3200 characters as LinkedIn counts them (each of ( ) [ ] { } < > @ | ~ _ * # \\ counts twice); LinkedIn allows 3000. Shorten it by 200.',
    );
  });
});

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fake LinkedIn and media host: answers by method and path, records every call. */
function fake(answers: Record<string, (call: Call) => Response>) {
  const calls: Call[] = [];
  const fetch: Fetch = async (url, init = {}) => {
    const method = init.method ?? 'GET';
    const { pathname } = new URL(url);
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
    const call = { method, url, headers: (init.headers ?? {}) as Record<string, string>, body };
    calls.push(call);
    const answer = answers[`${method} ${pathname}`];
    if (!answer) throw new Error(`unexpected ${method} ${pathname}`);
    return answer(call);
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const created = (urn: string) => new Response(null, { status: 201, headers: { 'x-restli-id': urn } });
const initialized = (n: number) =>
  json(200, {
    value: {
      uploadUrlExpiresAt: 1,
      uploadUrl: `http://li.test/www/dms-uploads/up-${n}`,
      image: `urn:li:image:IMG${n}`,
    },
  });

function publisherOn(fetch: Fetch, author = (id: string) => `urn:li:person:${id}`) {
  const client = createLinkedInClient({
    clientId: 'c',
    clientSecret: 's',
    wwwUrl: 'http://li.test/www',
    apiUrl: 'http://li.test/api',
    version: '202607',
    fetch,
    now: () => 0,
  });
  return createLinkedInPublisher(client, { fetch, author });
}

const input = (draft: Partial<PublishDraft>, childContainerIds: string[] = []): PublishInput => ({
  externalId: 'abc',
  token: new Secret('AQV-token'),
  draft: { kind: 'feed', caption: '', media: [], ...draft },
  remote: { containerId: null, childContainerIds },
});

describe('LinkedIn publisher', () => {
  it('has no confirm: LinkedIn cannot be asked whether a post exists', () => {
    expect(publisherOn(fake({}).fetch).confirm).toBeUndefined();
  });

  it('posts text as escaped commentary and reads the post URN from x-restli-id of an empty 201', async () => {
    const li = fake({ 'POST /api/rest/posts': () => created('urn:li:share:7400000000000000001') });
    const publisher = publisherOn(li.fetch);
    const text = input({ caption: 'Launch (today) #news @team' });
    expect(await publisher.prepare(text)).toEqual({ step: 'ready' });
    expect(await publisher.publish(text)).toEqual({ remoteId: 'urn:li:share:7400000000000000001' });
    expect(li.calls).toHaveLength(1);
    expect(li.calls[0]?.headers).toMatchObject({
      authorization: 'Bearer AQV-token',
      'linkedin-version': '202607',
      'x-restli-protocol-version': '2.0.0',
    });
    expect(li.calls[0]?.body).toEqual({
      author: 'urn:li:person:abc',
      commentary: 'Launch \\(today\\) \\#news \\@team',
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
    });
    expect(await publisher.permalink({ ...text, remoteId: 'urn:li:share:7400000000000000001' })).toBe(
      'https://www.linkedin.com/feed/update/urn:li:share:7400000000000000001',
    );
  });

  it('uploads one image per prepare step as the author, then posts it as media', async () => {
    let uploads = 0;
    const li = fake({
      'GET /media/a.jpg': () => new Response(JPEG, { status: 200 }),
      'POST /api/rest/images': () => initialized(++uploads),
      'PUT /www/dms-uploads/up-1': () => new Response(null, { status: 201 }),
      'POST /api/rest/posts': () => created('urn:li:ugcPost:42'),
    });
    const publisher = publisherOn(li.fetch, (id) => `urn:li:organization:${id}`);
    const one = input({ media: [image] });
    expect(await publisher.prepare(one)).toEqual({
      step: 'stored',
      remote: { containerId: null, childContainerIds: ['urn:li:image:IMG1'] },
    });
    const init = li.calls.find((call) => call.method === 'POST');
    expect(init?.url).toBe('http://li.test/api/rest/images?action=initializeUpload');
    expect(init?.body).toEqual({ initializeUploadRequest: { owner: 'urn:li:organization:abc' } });
    const put = li.calls.find((call) => call.method === 'PUT');
    expect(put?.headers.authorization).toBe('Bearer AQV-token');
    expect(put?.body).toEqual(JPEG);

    const ready = input({ media: [image] }, ['urn:li:image:IMG1']);
    expect(await publisher.prepare(ready)).toEqual({ step: 'ready' });
    expect(await publisher.publish(ready)).toEqual({ remoteId: 'urn:li:ugcPost:42' });
    expect(li.calls.at(-1)?.body).toMatchObject({
      author: 'urn:li:organization:abc',
      commentary: '',
      content: { media: { id: 'urn:li:image:IMG1' } },
    });
  });

  it('posts several images as multiImage, in order', async () => {
    const li = fake({ 'POST /api/rest/posts': () => created('urn:li:share:9') });
    const ids = ['urn:li:image:A', 'urn:li:image:B', 'urn:li:image:C'];
    await publisherOn(li.fetch).publish(input({ media: [image, image, image] }, ids));
    expect(li.calls[0]?.body).toMatchObject({
      content: { multiImage: { images: ids.map((id) => ({ id })) } },
    });
  });

  it('refuses to publish before every image is uploaded', async () => {
    const li = fake({});
    await expect(
      publisherOn(li.fetch).publish(input({ media: [image, image] }, ['urn:li:image:A'])),
    ).rejects.toMatchObject({
      kind: 'rejected',
      reason: 'images_missing',
    });
    expect(li.calls).toEqual([]);
  });

  it('a 201 without a post URN is a transient failure, so publishing reports it unconfirmed instead of posting again', async () => {
    const li = fake({ 'POST /api/rest/posts': () => new Response(null, { status: 201 }) });
    await expect(publisherOn(li.fetch).publish(input({ caption: 'x' }))).rejects.toBeInstanceOf(TransientError);
  });

  it('turns the duplicate 422 into a rejection that links the earlier post', async () => {
    const li = fake({
      'POST /api/rest/posts': () =>
        json(422, { status: 422, message: 'Content is a duplicate of urn:li:share:7400000000000000005' }),
    });
    const error = await publisherOn(li.fetch)
      .publish(input({ caption: 'again' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RejectedError);
    expect(error).toMatchObject({ code: 'linkedin:duplicate_post', reason: 'duplicate_post', status: 422 });
    expect((error as RejectedError).userMessage).toContain(
      'https://www.linkedin.com/feed/update/urn:li:share:7400000000000000005',
    );
  });

  it('passes other 422s on as LinkedIn classified them', async () => {
    const li = fake({
      'POST /api/rest/posts': () => json(422, { status: 422, message: 'ERROR :: /commentary :: too long\n' }),
    });
    await expect(publisherOn(li.fetch).publish(input({ caption: 'x' }))).rejects.toMatchObject({
      kind: 'rejected',
      code: 'http:422',
    });
  });

  it('a media file Tether cannot serve fails the upload: gone is rejected, a server error is retried', async () => {
    const gone = fake({
      'GET /media/a.jpg': () => new Response('no', { status: 404 }),
      'POST /api/rest/images': () => initialized(1),
    });
    await expect(publisherOn(gone.fetch).prepare(input({ media: [image] }))).rejects.toMatchObject({
      kind: 'rejected',
      reason: 'media_unavailable',
    });
    const down = fake({
      'GET /media/a.jpg': () => new Response('', { status: 503 }),
      'POST /api/rest/images': () => initialized(1),
    });
    await expect(publisherOn(down.fetch).prepare(input({ media: [image] }))).rejects.toMatchObject({
      kind: 'transient',
      reason: 'media_unavailable',
    });
    // The file is read first: nothing is started at LinkedIn for a file that cannot be sent.
    expect(down.calls.map((call) => call.method)).toEqual(['GET']);
  });
});
