import { CAROUSEL_ITEMS } from '../../contracts/instagram-rules.ts';
import type { MediaKind, PostKind } from '../../contracts/posts.ts';

/**
 * Instagram's media requirements (reference §4.6, from Meta's spec tables), as named constants,
 * and the checks a post runs before anything is sent to Instagram. Pure: no I/O, no clock.
 * Sizes are in binary megabytes (MiB), as the sandbox's fetcher counts them.
 */

const MB = 1024 * 1024;

/** Feed, carousel and story images: JPEG only (not MPO), at most 8 MB. */
export const INSTAGRAM_IMAGE_MIME = 'image/jpeg';
export const INSTAGRAM_IMAGE_MAX_BYTES = 8 * MB;
/** Feed and carousel images: from 4:5 (portrait) to 1.91:1 (landscape). Stories take any shape. */
export const INSTAGRAM_IMAGE_MIN_ASPECT = 4 / 5;
export const INSTAGRAM_IMAGE_MAX_ASPECT = 1.91;
/** Images narrower than this are scaled up by Instagram, wider ones scaled down. */
export const INSTAGRAM_IMAGE_MIN_WIDTH = 320;
export const INSTAGRAM_IMAGE_MAX_WIDTH = 1440;

/** Reels, and videos in a carousel (Meta publishes no separate carousel-video table; the sandbox uses the reel rules). */
export const INSTAGRAM_VIDEO_MIMES: readonly string[] = ['video/mp4', 'video/quicktime'];
export const INSTAGRAM_REEL_MIN_DURATION_MS = 3_000;
export const INSTAGRAM_REEL_MAX_DURATION_MS = 15 * 60_000;
export const INSTAGRAM_REEL_MAX_BYTES = 300 * MB;
export const INSTAGRAM_REEL_MAX_WIDTH = 1920;
export const INSTAGRAM_REEL_MIN_ASPECT = 0.01;
export const INSTAGRAM_REEL_MAX_ASPECT = 10;

/** Story videos: same codecs as reels, 3–60 s, at most 100 MB, 0.1:1 to 10:1. */
export const INSTAGRAM_STORY_VIDEO_MIN_DURATION_MS = 3_000;
export const INSTAGRAM_STORY_VIDEO_MAX_DURATION_MS = 60_000;
export const INSTAGRAM_STORY_VIDEO_MAX_BYTES = 100 * MB;
export const INSTAGRAM_STORY_VIDEO_MIN_ASPECT = 0.1;
export const INSTAGRAM_STORY_VIDEO_MAX_ASPECT = 10;

/** A carousel has 2 to 10 items; the caption goes on the carousel, not on its items. */
export const { min: INSTAGRAM_CAROUSEL_MIN_ITEMS, max: INSTAGRAM_CAROUSEL_MAX_ITEMS } = CAROUSEL_ITEMS;

/** Aspect ratios are compared with this much slack, so 1080×1350 (exactly 4:5) is never refused by rounding. */
const ASPECT_EPSILON = 1e-9;

/** What the checks need to know about a media item: a `media` row or an API media object fits. */
export interface MediaInfo {
  kind: MediaKind;
  mime: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
}

/** Something to change before Instagram will take the media. `code` is stable; `message` is for people. */
export interface Problem {
  code: string;
  message: string;
}

interface VideoRules {
  label: string;
  minDurationMs: number;
  maxDurationMs: number;
  maxBytes: number;
  maxWidth?: number;
  minAspect: number;
  maxAspect: number;
}

const REEL_RULES: VideoRules = {
  label: 'reels',
  minDurationMs: INSTAGRAM_REEL_MIN_DURATION_MS,
  maxDurationMs: INSTAGRAM_REEL_MAX_DURATION_MS,
  maxBytes: INSTAGRAM_REEL_MAX_BYTES,
  maxWidth: INSTAGRAM_REEL_MAX_WIDTH,
  minAspect: INSTAGRAM_REEL_MIN_ASPECT,
  maxAspect: INSTAGRAM_REEL_MAX_ASPECT,
};
const CAROUSEL_VIDEO_RULES: VideoRules = { ...REEL_RULES, label: 'carousel videos' };
const STORY_VIDEO_RULES: VideoRules = {
  label: 'story videos',
  minDurationMs: INSTAGRAM_STORY_VIDEO_MIN_DURATION_MS,
  maxDurationMs: INSTAGRAM_STORY_VIDEO_MAX_DURATION_MS,
  maxBytes: INSTAGRAM_STORY_VIDEO_MAX_BYTES,
  minAspect: INSTAGRAM_STORY_VIDEO_MIN_ASPECT,
  maxAspect: INSTAGRAM_STORY_VIDEO_MAX_ASPECT,
};

const greatestCommonDivisor = (a: number, b: number): number => (b === 0 ? a : greatestCommonDivisor(b, a % b));

/** "4:5", "16:9", "3:1" when the sides reduce to small numbers, else "2.35:1". */
export function formatAspectRatio(width: number, height: number): string {
  const divisor = greatestCommonDivisor(width, height);
  const [w, h] = [width / divisor, height / divisor];
  if (w <= 32 && h <= 32) return `${w}:${h}`;
  const ratio = width / height;
  return ratio >= 1 ? `${trim(ratio)}:1` : `1:${trim(1 / ratio)}`;
}

const trim = (value: number) => String(Number(value.toFixed(2)));

/** Binary megabytes with one decimal: "9.3 MB". */
export const formatMegabytes = (bytes: number) => `${trim(Math.round((bytes / MB) * 10) / 10)} MB`;

/** "2.5 s", "1 min", "16 min 20 s". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${trim(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

const shape = (ratio: number) => (ratio < 1 ? 'portrait' : ratio > 1 ? 'landscape' : 'square');

function aspectProblem(code: string, what: string, media: MediaInfo, min: number, max: number, range: string) {
  if (!media.width || !media.height) return undefined;
  const ratio = media.width / media.height;
  if (ratio >= min - ASPECT_EPSILON && ratio <= max + ASPECT_EPSILON) return undefined;
  const fix = ratio < min ? 'Crop its top and bottom' : 'Crop its sides';
  return {
    code,
    message: `The ${what} is ${formatAspectRatio(media.width, media.height)} (${media.width}×${media.height}, ${shape(ratio)}); Instagram accepts ${range}. ${fix} and upload again.`,
  };
}

function imageProblems(media: MediaInfo, kind: PostKind): Problem[] {
  const problems: Problem[] = [];
  if (media.mime !== INSTAGRAM_IMAGE_MIME)
    problems.push({
      code: 'IMAGE_NOT_JPEG',
      message: `The image is ${media.mime}; Instagram accepts JPEG images only. Upload it again so Tether converts it to JPEG.`,
    });
  if (media.sizeBytes > INSTAGRAM_IMAGE_MAX_BYTES)
    problems.push({
      code: 'IMAGE_TOO_LARGE',
      message: `The image is ${formatMegabytes(media.sizeBytes)}; Instagram accepts images up to ${formatMegabytes(INSTAGRAM_IMAGE_MAX_BYTES)}. Export it smaller (fewer pixels or a lower JPEG quality) and upload again.`,
    });
  if (kind === 'feed' || kind === 'carousel') {
    const problem = aspectProblem(
      'IMAGE_ASPECT_RATIO',
      'image',
      media,
      INSTAGRAM_IMAGE_MIN_ASPECT,
      INSTAGRAM_IMAGE_MAX_ASPECT,
      '4:5 (portrait) to 1.91:1 (landscape)',
    );
    if (problem) problems.push(problem);
  }
  return problems;
}

function videoProblems(media: MediaInfo, rules: VideoRules): Problem[] {
  const problems: Problem[] = [];
  if (!INSTAGRAM_VIDEO_MIMES.includes(media.mime))
    problems.push({
      code: 'VIDEO_FORMAT',
      message: `The video is ${media.mime}; Instagram accepts MP4 or MOV files. Export it as MP4 (H.264) and upload again.`,
    });
  const range = `${formatDuration(rules.minDurationMs)} to ${formatDuration(rules.maxDurationMs)}`;
  if (media.durationMs !== null && media.durationMs < rules.minDurationMs)
    problems.push({
      code: 'VIDEO_TOO_SHORT',
      message: `The video is ${formatDuration(media.durationMs)} long; Instagram ${rules.label} must be ${range}. Use a longer clip.`,
    });
  if (media.durationMs !== null && media.durationMs > rules.maxDurationMs)
    problems.push({
      code: 'VIDEO_TOO_LONG',
      message: `The video is ${formatDuration(media.durationMs)} long; Instagram ${rules.label} must be ${range}. Trim it and upload again.`,
    });
  if (media.sizeBytes > rules.maxBytes)
    problems.push({
      code: 'VIDEO_TOO_LARGE',
      message: `The video is ${formatMegabytes(media.sizeBytes)}; Instagram ${rules.label} can be at most ${formatMegabytes(rules.maxBytes)}. Export it at a lower bitrate or resolution and upload again.`,
    });
  if (rules.maxWidth !== undefined && media.width !== null && media.width > rules.maxWidth)
    problems.push({
      code: 'VIDEO_TOO_WIDE',
      message: `The video is ${media.width} px wide; Instagram ${rules.label} can be at most ${rules.maxWidth} px wide. Export it at 1080×1920 (or smaller) and upload again.`,
    });
  const aspect = aspectProblem(
    'VIDEO_ASPECT_RATIO',
    'video',
    media,
    rules.minAspect,
    rules.maxAspect,
    `${rules.label} from ${formatRatioBound(rules.minAspect)} to ${formatRatioBound(rules.maxAspect)} (9:16 is best)`,
  );
  if (aspect) problems.push(aspect);
  return problems;
}

const formatRatioBound = (ratio: number) => `${trim(ratio)}:1`;

/**
 * What must change before Instagram accepts `media` published as `kind` (a carousel kind means
 * one item of a carousel). Empty when nothing is known to be wrong; unknown dimensions or
 * durations are not reported (Instagram judges those itself).
 */
export function instagramMediaProblems(media: MediaInfo, kind: PostKind): Problem[] {
  if (media.kind === 'image') {
    if (kind === 'reel')
      return [
        {
          code: 'REEL_NEEDS_VIDEO',
          message: 'A reel must be a video and this is an image. Choose a video, or post the image to the feed.',
        },
      ];
    return imageProblems(media, kind);
  }
  switch (kind) {
    case 'feed':
      return [
        {
          code: 'FEED_VIDEO_IS_REEL',
          message: 'Instagram publishes single videos as reels. Choose "Reel" for this video.',
        },
      ];
    case 'reel':
      return videoProblems(media, REEL_RULES);
    case 'story':
      return videoProblems(media, STORY_VIDEO_RULES);
    case 'carousel':
      return videoProblems(media, CAROUSEL_VIDEO_RULES);
  }
}

/** The checks of a whole carousel: its item count, then each item's problems prefixed with its position. */
export function instagramCarouselProblems(items: readonly MediaInfo[]): Problem[] {
  const problems: Problem[] = [];
  if (items.length < INSTAGRAM_CAROUSEL_MIN_ITEMS || items.length > INSTAGRAM_CAROUSEL_MAX_ITEMS)
    problems.push({
      code: 'CAROUSEL_ITEM_COUNT',
      message: `A carousel has ${INSTAGRAM_CAROUSEL_MIN_ITEMS} to ${INSTAGRAM_CAROUSEL_MAX_ITEMS} items; this one has ${items.length}. ${items.length < INSTAGRAM_CAROUSEL_MIN_ITEMS ? 'Add more, or post a single image or reel.' : 'Remove some.'}`,
    });
  items.forEach((item, index) => {
    for (const problem of instagramMediaProblems(item, 'carousel'))
      problems.push({ code: problem.code, message: `Item ${index + 1}: ${problem.message}` });
  });
  return problems;
}

/**
 * Things Instagram will do to the media without refusing it, worth telling before publishing
 * (never a reason to block a post).
 */
export function instagramMediaNotes(media: MediaInfo, kind: PostKind): string[] {
  const notes: string[] = [];
  if (media.kind === 'image' && kind !== 'reel' && media.width !== null && media.width < INSTAGRAM_IMAGE_MIN_WIDTH)
    notes.push(
      `The image is ${media.width} px wide; Instagram scales it up to ${INSTAGRAM_IMAGE_MIN_WIDTH} px, so it may look soft.`,
    );
  return notes;
}
