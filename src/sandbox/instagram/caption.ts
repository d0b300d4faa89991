import { publishErrors } from './publish-errors.ts';

/** Caption limits (reference §4.6). */
export const MAX_CAPTION_CHARS = 2_200;
export const MAX_HASHTAGS = 30;
export const MAX_MENTIONS = 20;

const HASHTAG = /(?:^|[^\p{L}\p{N}_&])#[\p{L}\p{N}_]+/gu;
const MENTION = /(?:^|[^\p{L}\p{N}_.])@[A-Za-z0-9._]+/gu;

/** Throws 36004/2207010 for a caption Instagram refuses (all three limits share the caption error). */
export function checkCaption(caption: string | undefined): void {
  if (caption === undefined) return;
  const length = [...caption].length;
  if (length > MAX_CAPTION_CHARS)
    throw publishErrors.caption(`The caption is ${length} characters long; the maximum is ${MAX_CAPTION_CHARS}.`);
  const hashtags = caption.match(HASHTAG)?.length ?? 0;
  if (hashtags > MAX_HASHTAGS)
    throw publishErrors.caption(`The caption has ${hashtags} hashtags; the maximum is ${MAX_HASHTAGS}.`);
  const mentions = caption.match(MENTION)?.length ?? 0;
  if (mentions > MAX_MENTIONS)
    throw publishErrors.caption(`The caption has ${mentions} @-mentions; the maximum is ${MAX_MENTIONS}.`);
}
