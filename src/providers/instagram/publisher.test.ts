import { describe, expect, it } from 'vitest';
import { CAPTION_LIMITS } from '../../contracts/instagram-rules.ts';
import { createGraphClient } from '../meta-graph/client.ts';
import type { PublishDraft, PublishMedia } from '../types.ts';
import { captionProblems, createInstagramPublisher } from './publisher.ts';

const image: PublishMedia = {
  url: 'https://tether.example/media/a',
  kind: 'image',
  mime: 'image/jpeg',
  width: 1080,
  height: 1080,
  durationMs: null,
  sizeBytes: 200_000,
};
const video: PublishMedia = {
  ...image,
  kind: 'video',
  mime: 'video/mp4',
  width: 1080,
  height: 1920,
  durationMs: 15_000,
};

const publisher = createInstagramPublisher(
  createGraphClient({
    provider: 'instagram',
    baseUrl: 'https://graph.invalid',
    version: 'v25.0',
    fetch: () => Promise.reject(new Error('validation must not call the network')),
  }),
);
const codes = (draft: PublishDraft) => publisher.validate(draft).map((problem) => problem.code);

describe('Instagram caption limits', () => {
  it.each([
    ['a caption at the limit', 'x'.repeat(CAPTION_LIMITS.characters), []],
    ['one character over', 'x'.repeat(CAPTION_LIMITS.characters + 1), ['CAPTION_TOO_LONG']],
    ['emoji count as one character each', '☕'.repeat(CAPTION_LIMITS.characters), []],
    ['30 hashtags', Array.from({ length: 30 }, (_, i) => `#tag${i}`).join(' '), []],
    ['31 hashtags', Array.from({ length: 31 }, (_, i) => `#tag${i}`).join(' '), ['TOO_MANY_HASHTAGS']],
    ['20 mentions', Array.from({ length: 20 }, (_, i) => `@user.${i}`).join(' '), []],
    ['21 mentions', Array.from({ length: 21 }, (_, i) => `@user.${i}`).join(' '), ['TOO_MANY_MENTIONS']],
    ['an email address is not a mention', Array.from({ length: 25 }, (_, i) => `me${i}@example.com`).join(' '), []],
    ['a # inside a word is not a hashtag', Array.from({ length: 40 }, (_, i) => `C#${i}`).join(' '), []],
  ])('%s', (_name, caption, expected) => {
    expect(captionProblems(caption).map((problem) => problem.code)).toEqual(expected);
  });
});

describe('Instagram post kinds', () => {
  it.each<[string, PublishDraft, string[]]>([
    ['a feed image', { kind: 'feed', caption: '', media: [image] }, []],
    ['a feed post without media', { kind: 'feed', caption: '', media: [] }, ['MEDIA_COUNT']],
    ['a feed post with two images', { kind: 'feed', caption: '', media: [image, image] }, ['MEDIA_COUNT']],
    ['a reel of one video', { kind: 'reel', caption: '', media: [video] }, []],
    ['a story of one video', { kind: 'story', caption: '', media: [video] }, []],
    ['a carousel of two', { kind: 'carousel', caption: '', media: [image, video] }, []],
    ['a carousel of one', { kind: 'carousel', caption: '', media: [image] }, ['CAROUSEL_ITEM_COUNT']],
    ['a story ignores the caption', { kind: 'story', caption: 'x'.repeat(3000), media: [image] }, []],
    [
      'a feed post checks the caption',
      { kind: 'feed', caption: 'x'.repeat(3000), media: [image] },
      ['CAPTION_TOO_LONG'],
    ],
  ])('%s', (_name, draft, expected) => {
    expect(codes(draft)).toEqual(expected);
  });

  it('suggests a carousel only when there are several files', () => {
    const message = (draft: PublishDraft) => publisher.validate(draft)[0]?.message;
    expect(message({ kind: 'story', caption: '', media: [] })).toBe(
      'This kind of post takes exactly one image or video. Add one.',
    );
    expect(message({ kind: 'feed', caption: '', media: [image, image] })).toBe(
      'This kind of post takes exactly one image. For several, choose Carousel.',
    );
  });

  it('passes file problems on with what to change', () => {
    const [problem] = publisher.validate({
      kind: 'feed',
      caption: '',
      media: [{ ...image, width: 3000, height: 1000 }],
    });
    expect(problem?.message).toMatch(/4:5/);
  });
});
