import { describe, expect, it } from 'vitest';
import type { PostKind } from '../../contracts/posts.ts';
import {
  formatAspectRatio,
  formatDuration,
  INSTAGRAM_IMAGE_MAX_BYTES,
  INSTAGRAM_REEL_MAX_BYTES,
  INSTAGRAM_STORY_VIDEO_MAX_BYTES,
  instagramCarouselProblems,
  instagramMediaNotes,
  instagramMediaProblems,
  type MediaInfo,
} from './limits.ts';

const MB = 1024 * 1024;

const image = (overrides: Partial<MediaInfo> = {}): MediaInfo => ({
  kind: 'image',
  mime: 'image/jpeg',
  sizeBytes: 2 * MB,
  width: 1080,
  height: 1080,
  durationMs: null,
  ...overrides,
});

const video = (overrides: Partial<MediaInfo> = {}): MediaInfo => ({
  kind: 'video',
  mime: 'video/mp4',
  sizeBytes: 20 * MB,
  width: 1080,
  height: 1920,
  durationMs: 30_000,
  ...overrides,
});

interface Case {
  name: string;
  media: MediaInfo;
  kind: PostKind;
  /** The problem codes expected, in order; [] for media Instagram takes. */
  codes: string[];
  /** A piece of the first message, when it matters. */
  message?: RegExp;
}

const cases: Case[] = [
  // Images in the feed and in carousels: JPEG, ≤ 8 MB, 4:5 to 1.91:1.
  { name: 'a square JPEG', media: image(), kind: 'feed', codes: [] },
  { name: 'exactly 4:5 (1080×1350)', media: image({ width: 1080, height: 1350 }), kind: 'feed', codes: [] },
  { name: 'exactly 1.91:1 (1910×1000)', media: image({ width: 1910, height: 1000 }), kind: 'feed', codes: [] },
  { name: 'Instagram landscape 1080×566', media: image({ width: 1080, height: 566 }), kind: 'feed', codes: [] },
  {
    name: 'a 3:1 panorama',
    media: image({ width: 3000, height: 1000 }),
    kind: 'feed',
    codes: ['IMAGE_ASPECT_RATIO'],
    message:
      /^The image is 3:1 \(3000×1000, landscape\); Instagram accepts 4:5 \(portrait\) to 1\.91:1 \(landscape\)\. Crop its sides and upload again\.$/,
  },
  {
    name: 'a 9:16 phone screenshot',
    media: image({ width: 1080, height: 1920 }),
    kind: 'feed',
    codes: ['IMAGE_ASPECT_RATIO'],
    message: /9:16 .*portrait.*Crop its top and bottom/,
  },
  {
    name: 'a 9:16 image as a carousel item',
    media: image({ width: 1080, height: 1920 }),
    kind: 'carousel',
    codes: ['IMAGE_ASPECT_RATIO'],
  },
  { name: 'a 9:16 image as a story', media: image({ width: 1080, height: 1920 }), kind: 'story', codes: [] },
  { name: 'exactly 8 MB', media: image({ sizeBytes: INSTAGRAM_IMAGE_MAX_BYTES }), kind: 'feed', codes: [] },
  {
    name: 'a 9.3 MB JPEG',
    media: image({ sizeBytes: Math.round(9.3 * MB) }),
    kind: 'feed',
    codes: ['IMAGE_TOO_LARGE'],
    message: /^The image is 9\.3 MB; Instagram accepts images up to 8 MB\. Export it smaller/,
  },
  { name: 'a large story image', media: image({ sizeBytes: 9 * MB }), kind: 'story', codes: ['IMAGE_TOO_LARGE'] },
  {
    name: 'a PNG that was not converted',
    media: image({ mime: 'image/png' }),
    kind: 'feed',
    codes: ['IMAGE_NOT_JPEG'],
    message: /JPEG images only/,
  },
  {
    name: 'a large, wide PNG: every problem at once',
    media: image({ mime: 'image/png', sizeBytes: 12 * MB, width: 4000, height: 1000 }),
    kind: 'carousel',
    codes: ['IMAGE_NOT_JPEG', 'IMAGE_TOO_LARGE', 'IMAGE_ASPECT_RATIO'],
  },
  { name: 'an image of unknown size', media: image({ width: null, height: null }), kind: 'feed', codes: [] },
  { name: 'an image as a reel', media: image(), kind: 'reel', codes: ['REEL_NEEDS_VIDEO'], message: /must be a video/ },

  // Reels: MP4/MOV, 3 s–15 min, ≤ 300 MB, ≤ 1920 px wide, 0.01:1 to 10:1.
  { name: 'a 30 s vertical reel', media: video(), kind: 'reel', codes: [] },
  { name: 'a MOV reel', media: video({ mime: 'video/quicktime' }), kind: 'reel', codes: [] },
  { name: 'a reel of exactly 3 s', media: video({ durationMs: 3_000 }), kind: 'reel', codes: [] },
  { name: 'a reel of exactly 15 min', media: video({ durationMs: 15 * 60_000 }), kind: 'reel', codes: [] },
  {
    name: 'a 2.5 s reel',
    media: video({ durationMs: 2_500 }),
    kind: 'reel',
    codes: ['VIDEO_TOO_SHORT'],
    message: /^The video is 2\.5 s long; Instagram reels must be 3 s to 15 min\. Use a longer clip\.$/,
  },
  {
    name: 'a 16 min 20 s reel',
    media: video({ durationMs: 980_000 }),
    kind: 'reel',
    codes: ['VIDEO_TOO_LONG'],
    message: /16 min 20 s long.*Trim it/,
  },
  { name: 'a reel of exactly 300 MB', media: video({ sizeBytes: INSTAGRAM_REEL_MAX_BYTES }), kind: 'reel', codes: [] },
  {
    name: 'a 301 MB reel',
    media: video({ sizeBytes: 301 * MB }),
    kind: 'reel',
    codes: ['VIDEO_TOO_LARGE'],
    message: /301 MB.*at most 300 MB/,
  },
  {
    name: 'a 4K reel',
    media: video({ width: 3840, height: 2160 }),
    kind: 'reel',
    codes: ['VIDEO_TOO_WIDE'],
    message: /3840 px wide.*at most 1920 px/,
  },
  { name: 'a 1920 px wide reel', media: video({ width: 1920, height: 1080 }), kind: 'reel', codes: [] },
  {
    name: 'an 11:1 strip as a reel',
    media: video({ width: 1100, height: 100 }),
    kind: 'reel',
    codes: ['VIDEO_ASPECT_RATIO'],
  },
  { name: 'a WebM "reel"', media: video({ mime: 'video/webm' }), kind: 'reel', codes: ['VIDEO_FORMAT'] },
  { name: 'a reel of unknown duration', media: video({ durationMs: null }), kind: 'reel', codes: [] },
  {
    name: 'a single video in the feed',
    media: video(),
    kind: 'feed',
    codes: ['FEED_VIDEO_IS_REEL'],
    message: /published as reels|publishes single videos as reels/,
  },

  // Story videos: 3–60 s, ≤ 100 MB, 0.1:1 to 10:1, no width limit.
  { name: 'a 15 s story', media: video({ durationMs: 15_000 }), kind: 'story', codes: [] },
  {
    name: 'a 90 s story',
    media: video({ durationMs: 90_000 }),
    kind: 'story',
    codes: ['VIDEO_TOO_LONG'],
    message: /1 min 30 s long; Instagram story videos must be 3 s to 1 min/,
  },
  { name: 'a 2 s story', media: video({ durationMs: 2_000 }), kind: 'story', codes: ['VIDEO_TOO_SHORT'] },
  {
    name: 'a story of exactly 100 MB',
    media: video({ sizeBytes: INSTAGRAM_STORY_VIDEO_MAX_BYTES }),
    kind: 'story',
    codes: [],
  },
  { name: 'a 150 MB story', media: video({ sizeBytes: 150 * MB }), kind: 'story', codes: ['VIDEO_TOO_LARGE'] },
  { name: 'a 4K story (no width limit)', media: video({ width: 2160, height: 3840 }), kind: 'story', codes: [] },
  { name: 'a 1:20 story', media: video({ width: 100, height: 2000 }), kind: 'story', codes: ['VIDEO_ASPECT_RATIO'] },
  {
    name: 'a 1:20 reel (reels go down to 0.01:1)',
    media: video({ width: 100, height: 2000 }),
    kind: 'reel',
    codes: [],
  },

  // Carousel videos follow the reel rules.
  {
    name: 'a 20 min carousel video',
    media: video({ durationMs: 20 * 60_000 }),
    kind: 'carousel',
    codes: ['VIDEO_TOO_LONG'],
  },
  { name: 'a 10 s carousel video', media: video({ durationMs: 10_000 }), kind: 'carousel', codes: [] },
];

describe('instagramMediaProblems', () => {
  it.each(cases)('$name as $kind → $codes', ({ media, kind, codes, message }) => {
    const problems = instagramMediaProblems(media, kind);
    expect(problems.map((problem) => problem.code)).toEqual(codes);
    if (message) expect(problems[0]?.message).toMatch(message);
    for (const problem of problems) expect(problem.message).toMatch(/\.$/);
  });
});

describe('instagramCarouselProblems', () => {
  it('needs 2 to 10 items and names the item at fault', () => {
    expect(instagramCarouselProblems([image(), video()])).toEqual([]);
    expect(instagramCarouselProblems([image()]).map((problem) => problem.code)).toEqual(['CAROUSEL_ITEM_COUNT']);
    expect(instagramCarouselProblems(Array.from({ length: 11 }, () => image()))[0]?.message).toMatch(
      /2 to 10 items; this one has 11\. Remove some\./,
    );
    const [problem] = instagramCarouselProblems([image(), image({ width: 1000, height: 3000 })]);
    expect(problem).toEqual({
      code: 'IMAGE_ASPECT_RATIO',
      message: expect.stringMatching(/^Item 2: The image is 1:3/),
    });
  });
});

describe('instagramMediaNotes', () => {
  it('mentions upscaling of narrow images and nothing else', () => {
    expect(instagramMediaNotes(image({ width: 200, height: 200 }), 'feed')).toEqual([
      expect.stringMatching(/200 px wide; Instagram scales it up to 320 px/),
    ]);
    expect(instagramMediaNotes(image(), 'feed')).toEqual([]);
    expect(instagramMediaNotes(video({ width: 200 }), 'reel')).toEqual([]);
  });
});

describe('formatting', () => {
  it.each([
    [1080, 1350, '4:5'],
    [1920, 1080, '16:9'],
    [3000, 1000, '3:1'],
    [1000, 1000, '1:1'],
    [1234, 567, '2.18:1'],
    [567, 1234, '1:2.18'],
    [1100, 100, '11:1'],
  ])('%i×%i is %s', (width, height, expected) => {
    expect(formatAspectRatio(width, height)).toBe(expected);
  });

  it.each([
    [2_500, '2.5 s'],
    [3_000, '3 s'],
    [60_000, '1 min'],
    [980_000, '16 min 20 s'],
  ])('%i ms is %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
