import { CAROUSEL_ITEMS } from '../../contracts/instagram-rules.ts';
import type { MediaKind, PostKind } from '../../contracts/posts.ts';

/* Hints while composing, from the shared rules (contracts/instagram-rules.ts); the server validates every post anyway. */

const { min: CAROUSEL_MIN_ITEMS, max: CAROUSEL_MAX_ITEMS } = CAROUSEL_ITEMS;

export interface KindInfo {
  label: string;
  /** What the kind takes, in a few words. */
  takes: string;
}

export const KINDS: Record<PostKind, KindInfo> = {
  feed: { label: 'Feed', takes: '1 image, 4:5 to 1.91:1' },
  reel: { label: 'Reel', takes: '1 video, 3 s to 15 min' },
  story: { label: 'Story', takes: '1 image or video (≤\u00a060\u00a0s)' },
  carousel: { label: 'Carousel', takes: `${CAROUSEL_MIN_ITEMS} to ${CAROUSEL_MAX_ITEMS} images or videos` },
};

/**
 * Why the chosen media do not fit the kind yet (count and image/video only), or null when they
 * do. Shown as a hint; the server's answer is what counts.
 */
export function kindMismatch(kind: PostKind, media: readonly { kind: MediaKind }[]): string | null {
  const count = media.length;
  if (count === 0) return null;
  switch (kind) {
    case 'carousel':
      if (count < CAROUSEL_MIN_ITEMS)
        return `A carousel takes ${CAROUSEL_MIN_ITEMS} to ${CAROUSEL_MAX_ITEMS} items; add more.`;
      if (count > CAROUSEL_MAX_ITEMS)
        return `A carousel takes at most ${CAROUSEL_MAX_ITEMS} items; remove ${count - CAROUSEL_MAX_ITEMS}.`;
      return null;
    case 'feed':
      if (count > 1) return 'A feed post takes one image; for several, choose Carousel.';
      return media[0]?.kind === 'video' ? 'Instagram publishes a single video as a reel; choose Reel.' : null;
    case 'reel':
      if (count > 1) return 'A reel takes one video.';
      return media[0]?.kind === 'image' ? 'A reel must be a video; choose Feed or Story for an image.' : null;
    case 'story':
      return count > 1 ? 'A story takes one image or video.' : null;
  }
}

/** The kind that fits the media best: a carousel for several, a reel for one video, else feed. */
export function suggestedKind(media: readonly { kind: MediaKind }[]): PostKind {
  if (media.length > 1) return 'carousel';
  return media[0]?.kind === 'video' ? 'reel' : 'feed';
}
