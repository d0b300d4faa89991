import { describe, expect, it } from 'vitest';
import {
  FACEBOOK_MESSAGE_MAX,
  FACEBOOK_PHOTO_MAX_BYTES,
  FACEBOOK_PHOTOS_MAX,
  FACEBOOK_VIDEO_MAX_BYTES,
  FACEBOOK_VIDEO_MAX_DURATION_MS,
  type FacebookMediaInfo,
  facebookPostProblems,
  facebookPostShape,
} from './facebook-rules.ts';

const photo: FacebookMediaInfo = { kind: 'image', mime: 'image/jpeg', sizeBytes: 300_000, durationMs: null };
const video: FacebookMediaInfo = { kind: 'video', mime: 'video/mp4', sizeBytes: 5_000_000, durationMs: 30_000 };
const photos = (count: number) => Array.from({ length: count }, () => photo);
const codes = (caption: string, media: FacebookMediaInfo[]) =>
  facebookPostProblems({ caption, media }).map((problem) => problem.code);

describe('facebookPostShape', () => {
  it.each<[string, FacebookMediaInfo[], ReturnType<typeof facebookPostShape>]>([
    ['no media is a text post', [], 'text'],
    ['one photo', photos(1), 'photos'],
    ['the most photos', photos(FACEBOOK_PHOTOS_MAX), 'photos'],
    ['one photo too many', photos(FACEBOOK_PHOTOS_MAX + 1), undefined],
    ['one video', [video], 'video'],
    ['two videos', [video, video], undefined],
    ['a photo and a video', [photo, video], undefined],
  ])('%s → %s', (_name, media, shape) => {
    expect(facebookPostShape(media)).toBe(shape);
  });
});

describe('facebookPostProblems', () => {
  it.each<[string, string, FacebookMediaInfo[], string[]]>([
    ['text at the limit', 'x'.repeat(FACEBOOK_MESSAGE_MAX), [], []],
    ['text one character over', 'x'.repeat(FACEBOOK_MESSAGE_MAX + 1), [], ['CAPTION_TOO_LONG']],
    ['emoji count as one character each', '☕'.repeat(FACEBOOK_MESSAGE_MAX), [], []],
    ['nothing at all', '  ', [], ['EMPTY_POST']],
    ['photos without text', '', photos(3), []],
    ['a video without text', '', [video], []],
    ['too many photos', 'x', photos(FACEBOOK_PHOTOS_MAX + 1), ['MEDIA_COUNT']],
    ['two videos', 'x', [video, video], ['MEDIA_COUNT']],
    ['photos and a video', 'x', [photo, video, photo], ['MIXED_MEDIA']],
    ['a WebP photo', '', [{ ...photo, mime: 'image/webp' }], ['PHOTO_FORMAT']],
    ['a photo of exactly 10 MB', '', [{ ...photo, sizeBytes: FACEBOOK_PHOTO_MAX_BYTES }], ['PHOTO_TOO_LARGE']],
    ['a photo just under 10 MB', '', [{ ...photo, sizeBytes: FACEBOOK_PHOTO_MAX_BYTES - 1 }], []],
    ['a WebM video', '', [{ ...video, mime: 'video/webm' }], ['VIDEO_FORMAT']],
    ['a video over the size limit', '', [{ ...video, sizeBytes: FACEBOOK_VIDEO_MAX_BYTES + 1 }], ['VIDEO_TOO_LARGE']],
    [
      'a video over the length limit',
      '',
      [{ ...video, durationMs: FACEBOOK_VIDEO_MAX_DURATION_MS + 1 }],
      ['VIDEO_TOO_LONG'],
    ],
    ['a video of unknown length', '', [{ ...video, durationMs: null }], []],
  ])('%s → %j', (_name, caption, media, expected) => {
    expect(codes(caption, media)).toEqual(expected);
  });

  it('says which photo of several is wrong, and by how much', () => {
    const [problem] = facebookPostProblems({
      caption: '',
      media: [photo, { ...photo, sizeBytes: 12 * 1024 * 1024 }],
    });
    expect(problem?.message).toBe('Photo 2 is 12 MB; Facebook takes photos smaller than 10 MB.');
  });

  it('says how many photos to remove', () => {
    const [problem] = facebookPostProblems({ caption: '', media: photos(FACEBOOK_PHOTOS_MAX + 2) });
    expect(problem?.message).toMatch(/up to 10 photos; this one has 12\. Remove 2\./);
  });
});
