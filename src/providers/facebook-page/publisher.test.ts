import { describe, expect, it } from 'vitest';
import { Secret } from '../../server/vault/secret.ts';
import { createGraphClient } from '../meta-graph/client.ts';
import type { PublishDraft, PublishInput, PublishMedia, RemoteState } from '../types.ts';
import { createFacebookPagePublisher } from './publisher.ts';

const PAGE = '110000000000001';
const image = (name: string): PublishMedia => ({
  url: `https://tether.example/media/${name}.jpg`,
  kind: 'image',
  mime: 'image/jpeg',
  width: 1080,
  height: 1080,
  durationMs: null,
  sizeBytes: 200_000,
});
const video: PublishMedia = {
  ...image('clip'),
  url: 'https://tether.example/media/clip.mp4',
  kind: 'video',
  mime: 'video/mp4',
  durationMs: 15_000,
};

interface Call {
  method: string;
  path: string;
  params: Record<string, string>;
}

/** A Graph that answers each call with the next canned body and records what it was sent. */
function fakeGraph(answers: Array<{ status?: number; body: unknown }>) {
  const calls: Call[] = [];
  const publisher = createFacebookPagePublisher(
    createGraphClient({
      provider: 'facebook_page',
      baseUrl: 'https://graph.example',
      version: 'v25.0',
      fetch: async (url, init) => {
        const parsed = new URL(url);
        const params = Object.fromEntries(new URLSearchParams(String(init?.body ?? parsed.search)));
        calls.push({ method: init?.method ?? 'GET', path: parsed.pathname.replace('/v25.0/', ''), params });
        const answer = answers.shift();
        if (!answer) throw new Error(`unexpected call ${parsed.pathname}`);
        return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200 });
      },
    }),
  );
  return { publisher, calls };
}

const input = (draft: Partial<PublishDraft>, remote: Partial<RemoteState> = {}): PublishInput => ({
  externalId: PAGE,
  token: new Secret('page-token'),
  draft: { kind: 'feed', caption: '', media: [], ...draft },
  remote: { containerId: null, childContainerIds: [], ...remote },
});

describe('Facebook Page publisher: validate', () => {
  const { publisher } = fakeGraph([]);
  const codes = (draft: PublishDraft) => publisher.validate(draft).map((problem) => problem.code);

  it.each<[string, PublishDraft, string[]]>([
    ['text', { kind: 'feed', caption: 'Open late tonight', media: [] }, []],
    ['photos', { kind: 'feed', caption: '', media: [image('a'), image('b')] }, []],
    ['a video', { kind: 'feed', caption: '', media: [video] }, []],
    ['a reel', { kind: 'reel', caption: '', media: [video] }, ['KIND_NOT_SUPPORTED']],
    ['a carousel', { kind: 'carousel', caption: '', media: [image('a'), image('b')] }, ['KIND_NOT_SUPPORTED']],
    ['a photo and a video', { kind: 'feed', caption: '', media: [image('a'), video] }, ['MIXED_MEDIA']],
  ])('%s → %j', (_name, draft, expected) => {
    expect(codes(draft)).toEqual(expected);
  });

  it('tells what to choose instead of another kind', () => {
    expect(publisher.validate({ kind: 'story', caption: 'x', media: [] })[0]?.message).toBe(
      'Facebook Pages take feed posts only; story is an Instagram kind. Choose Feed for this account.',
    );
  });
});

describe('Facebook Page publisher: steps', () => {
  it('publishes text as one /feed call with the message, and links to the post', async () => {
    const { publisher, calls } = fakeGraph([{ body: { id: `${PAGE}_122000000000000001` } }]);
    const draft = { caption: 'Open late tonight' };
    expect(await publisher.prepare(input(draft))).toEqual({ step: 'ready' });
    const { remoteId } = await publisher.publish(input(draft));
    expect(remoteId).toBe(`${PAGE}_122000000000000001`);
    expect(calls).toEqual([{ method: 'POST', path: `${PAGE}/feed`, params: expect.any(Object) }]);
    expect(calls[0]?.params).toMatchObject({ message: 'Open late tonight' });
    expect(Object.keys(calls[0]?.params ?? {}).filter((key) => key.startsWith('attached_media'))).toEqual([]);
    expect(await publisher.permalink({ ...input(draft), remoteId })).toBe(
      `https://www.facebook.com/${PAGE}_122000000000000001`,
    );
  });

  it('uploads each photo unpublished, one per step, then attaches them all to one /feed post', async () => {
    const { publisher, calls } = fakeGraph([
      { body: { id: '1231' } },
      { body: { id: '1232' } },
      { body: { id: `${PAGE}_1229` } },
    ]);
    const draft = { caption: 'Two new roasts', media: [image('a'), image('b')] };
    const first = await publisher.prepare(input(draft));
    expect(first).toEqual({ step: 'stored', remote: { containerId: null, childContainerIds: ['1231'] } });
    const second = await publisher.prepare(input(draft, { childContainerIds: ['1231'] }));
    expect(second).toEqual({ step: 'stored', remote: { containerId: null, childContainerIds: ['1231', '1232'] } });
    expect(await publisher.prepare(input(draft, { childContainerIds: ['1231', '1232'] }))).toEqual({ step: 'ready' });
    await publisher.publish(input(draft, { childContainerIds: ['1231', '1232'] }));

    expect(calls.map((call) => call.path)).toEqual([`${PAGE}/photos`, `${PAGE}/photos`, `${PAGE}/feed`]);
    expect(calls[0]?.params).toMatchObject({ url: 'https://tether.example/media/a.jpg', published: 'false' });
    expect(calls[1]?.params).toMatchObject({ url: 'https://tether.example/media/b.jpg', published: 'false' });
    expect(calls[2]?.params).toMatchObject({
      message: 'Two new roasts',
      'attached_media[0]': '{"media_fbid":"1231"}',
      'attached_media[1]': '{"media_fbid":"1232"}',
    });
  });

  it('sends no message for photos without text', async () => {
    const { publisher, calls } = fakeGraph([{ body: { id: `${PAGE}_1` } }]);
    await publisher.publish(input({ media: [image('a')] }, { childContainerIds: ['1231'] }));
    expect(calls[0]?.params).not.toHaveProperty('message');
  });

  it('publishes a video with one /videos call and links to it on the Page', async () => {
    const { publisher, calls } = fakeGraph([{ body: { id: '1240000000000001' } }]);
    const draft = { caption: 'Behind the bar', media: [video] };
    expect(await publisher.prepare(input(draft))).toEqual({ step: 'ready' });
    const { remoteId } = await publisher.publish(input(draft));
    expect(calls).toEqual([
      {
        method: 'POST',
        path: `${PAGE}/videos`,
        params: expect.objectContaining({ file_url: video.url, description: 'Behind the bar' }),
      },
    ]);
    expect(await publisher.permalink({ ...input(draft), remoteId })).toBe(
      `https://www.facebook.com/${PAGE}/videos/1240000000000001`,
    );
  });

  it('cannot confirm a lost publish call: Facebook offers no way to ask', () => {
    expect(fakeGraph([]).publisher.confirm).toBeUndefined();
  });

  it('turns a duplicate (506) into a rejection that says to change the text', async () => {
    const { publisher } = fakeGraph([
      {
        status: 400,
        body: { error: { message: '(#506) Duplicate status message', type: 'OAuthException', code: 506 } },
      },
    ]);
    await expect(publisher.publish(input({ caption: 'Same again' }))).rejects.toMatchObject({
      kind: 'rejected',
      reason: 'duplicate',
      provider: 'facebook_page',
      userMessage: expect.stringMatching(/Change the text/),
    });
  });

  it('turns an unusable photo (324) into a rejection about the photo', async () => {
    const { publisher } = fakeGraph([
      { status: 400, body: { error: { message: '(#324) Missing or invalid image file', code: 324 } } },
    ]);
    await expect(publisher.prepare(input({ media: [image('a')] }))).rejects.toMatchObject({
      kind: 'rejected',
      reason: 'invalid_media',
    });
  });

  it('treats a 5xx on /feed as transient, for the caller to judge', async () => {
    const { publisher } = fakeGraph([{ status: 503, body: 'unavailable' }]);
    await expect(publisher.publish(input({ caption: 'x' }))).rejects.toMatchObject({ kind: 'transient' });
  });
});
