/**
 * What a Facebook Page post may hold (reference §7), shared by the publisher on the server and
 * the composer in the browser. No zod here: the web bundle imports this module.
 */
import type { MediaKind } from './posts.ts';

const MB = 1024 * 1024;

/** The longest message Facebook takes on a Page post, in characters (code points). */
export const FACEBOOK_MESSAGE_MAX = 63_206;
/**
 * Photos in one multi-photo post. Meta documents no limit for `attached_media` and the sandbox has
 * none; Tether stops at 10, the number common integrations use, so a post never fails halfway.
 */
export const FACEBOOK_PHOTOS_MAX = 10;
/** A Page photo must be smaller than 10 MB (reference §7.2). */
export const FACEBOOK_PHOTO_MAX_BYTES = 10 * MB;
/** The photo formats Pages take (reference §7.2; the list is [unconfirmed]). */
export const FACEBOOK_PHOTO_MIMES: readonly string[] = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/bmp',
  'image/tiff',
];
/**
 * Videos sent as `file_url` (a non-resumable upload): MP4 or MOV, up to 1 GB and 20 minutes, per
 * Meta's video publishing guide (not in the reference; [unconfirmed]).
 */
export const FACEBOOK_VIDEO_MIMES: readonly string[] = ['video/mp4', 'video/quicktime'];
export const FACEBOOK_VIDEO_MAX_BYTES = 1024 * MB;
export const FACEBOOK_VIDEO_MAX_DURATION_MS = 20 * 60_000;

/** What the rules need to know about a media item: an API media object fits. */
export interface FacebookMediaInfo {
  kind: MediaKind;
  mime: string;
  sizeBytes: number;
  durationMs: number | null;
}

export interface FacebookProblem {
  code: string;
  message: string;
}

const megabytes = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

/** The shape a post takes on a Page: text only, photos (1 to FACEBOOK_PHOTOS_MAX) or one video. */
export type FacebookPostShape = 'text' | 'photos' | 'video';

/** Which shape these media make, or `undefined` when no Page post can hold them. */
export function facebookPostShape(media: readonly Pick<FacebookMediaInfo, 'kind'>[]): FacebookPostShape | undefined {
  if (media.length === 0) return 'text';
  if (media.every((item) => item.kind === 'image')) return media.length <= FACEBOOK_PHOTOS_MAX ? 'photos' : undefined;
  return media.length === 1 ? 'video' : undefined;
}

function photoProblems(item: FacebookMediaInfo, label: string): FacebookProblem[] {
  const problems: FacebookProblem[] = [];
  if (!FACEBOOK_PHOTO_MIMES.includes(item.mime))
    problems.push({
      code: 'PHOTO_FORMAT',
      message: `${label} is ${item.mime}; Facebook takes JPEG, PNG, GIF, BMP or TIFF photos.`,
    });
  if (item.sizeBytes >= FACEBOOK_PHOTO_MAX_BYTES)
    problems.push({
      code: 'PHOTO_TOO_LARGE',
      message: `${label} is ${megabytes(item.sizeBytes)}; Facebook takes photos smaller than ${megabytes(FACEBOOK_PHOTO_MAX_BYTES)}.`,
    });
  return problems;
}

function videoProblems(item: FacebookMediaInfo): FacebookProblem[] {
  const problems: FacebookProblem[] = [];
  if (!FACEBOOK_VIDEO_MIMES.includes(item.mime))
    problems.push({ code: 'VIDEO_FORMAT', message: `The video is ${item.mime}; Facebook takes MP4 or MOV videos.` });
  if (item.sizeBytes > FACEBOOK_VIDEO_MAX_BYTES)
    problems.push({
      code: 'VIDEO_TOO_LARGE',
      message: `The video is ${megabytes(item.sizeBytes)}; Facebook takes up to ${megabytes(FACEBOOK_VIDEO_MAX_BYTES)} this way.`,
    });
  if (item.durationMs !== null && item.durationMs > FACEBOOK_VIDEO_MAX_DURATION_MS)
    problems.push({
      code: 'VIDEO_TOO_LONG',
      message: `The video is longer than ${FACEBOOK_VIDEO_MAX_DURATION_MS / 60_000} minutes, Facebook's limit for it. Shorten it.`,
    });
  return problems;
}

/** Why no Page post can hold these media: photos and videos mixed, several videos, or too many photos. */
function mediaCountProblem(media: readonly FacebookMediaInfo[]): FacebookProblem {
  const videos = media.filter((item) => item.kind === 'video').length;
  if (videos > 0 && videos < media.length)
    return {
      code: 'MIXED_MEDIA',
      message: 'A Facebook post holds photos or one video, not both. Publish the video in a post of its own.',
    };
  if (videos > 0)
    return {
      code: 'MEDIA_COUNT',
      message: `A Facebook post holds one video; this one has ${videos}. Post them one by one.`,
    };
  return {
    code: 'MEDIA_COUNT',
    message: `A Facebook post holds up to ${FACEBOOK_PHOTOS_MAX} photos; this one has ${media.length}. Remove ${media.length - FACEBOOK_PHOTOS_MAX}.`,
  };
}

/** Everything wrong with a caption and media for a Page post; empty when it can be published. */
export function facebookPostProblems(input: {
  caption: string;
  media: readonly FacebookMediaInfo[];
}): FacebookProblem[] {
  const problems: FacebookProblem[] = [];
  const length = [...input.caption].length;
  if (length > FACEBOOK_MESSAGE_MAX)
    problems.push({
      code: 'CAPTION_TOO_LONG',
      message: `The text has ${length} characters; Facebook allows ${FACEBOOK_MESSAGE_MAX}. Shorten it by ${length - FACEBOOK_MESSAGE_MAX}.`,
    });
  const shape = facebookPostShape(input.media);
  if (shape === 'text' && input.caption.trim() === '')
    problems.push({ code: 'EMPTY_POST', message: 'The post has no text and no media. Write something or add media.' });
  if (shape === undefined) problems.push(mediaCountProblem(input.media));
  if (shape === 'photos')
    input.media.forEach((item, index) => {
      problems.push(...photoProblems(item, input.media.length === 1 ? 'The photo' : `Photo ${index + 1}`));
    });
  if (shape === 'video' && input.media[0]) problems.push(...videoProblems(input.media[0]));
  return problems;
}
