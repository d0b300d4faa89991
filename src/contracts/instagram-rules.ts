/**
 * Instagram's caption and carousel rules (reference §4.1, §4.6), shared by the publisher on the
 * server and the composer in the browser. No zod here: the web bundle imports this module.
 */
export const CAPTION_LIMITS = { characters: 2200, hashtags: 30, mentions: 20 } as const;
export const CAROUSEL_ITEMS = { min: 2, max: 10 } as const;

// Words after # or @ as Instagram counts them: letters, digits, underscores (and dots in usernames).
const HASHTAG = /(^|[^\p{L}\p{N}_])#[\p{L}\p{N}_]+/gu;
const MENTION = /(^|[^\p{L}\p{N}_.])@[\p{L}\p{N}_.]+/gu;

export interface CaptionCounts {
  characters: number;
  hashtags: number;
  mentions: number;
}

/** Characters (code points, as Instagram counts them), hashtags and @mentions of a caption. */
export function countCaption(caption: string): CaptionCounts {
  return {
    characters: [...caption].length,
    hashtags: caption.match(HASHTAG)?.length ?? 0,
    mentions: caption.match(MENTION)?.length ?? 0,
  };
}
