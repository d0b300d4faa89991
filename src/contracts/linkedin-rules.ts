/**
 * LinkedIn's post rules (reference §8.5, §8.6), shared by the publisher on the server and the
 * composer in the browser. No zod here: the web bundle imports this module.
 */

/** The longest commentary LinkedIn takes, counted as sent: every escaped reserved character counts twice. */
export const COMMENTARY_MAX = 3000;
/** One image is `content.media`; 2 to 20 are `content.multiImage`. */
export const LINKEDIN_IMAGES = { max: 20, multiMin: 2 } as const;
/** The image formats LinkedIn takes. */
export const LINKEDIN_IMAGE_MIMES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif'];
/** LinkedIn's largest image, in pixels (width × height). */
export const LINKEDIN_IMAGE_MAX_PIXELS = 36_152_320;

/** Characters with a meaning in LinkedIn's "little text" commentary format. */
export const RESERVED_CHARACTERS = '()[]{}<>@|~_*#\\';
const RESERVED = /[()[\]{}<>@|~_*#\\]/g;

/**
 * Plain text as little text: every reserved character backslash-escaped, so LinkedIn shows the
 * text as written instead of cutting it at the first one it cannot parse.
 */
export function escapeLittleText(text: string): string {
  return text.replace(RESERVED, (char) => `\\${char}`);
}

/** How long a caption is as LinkedIn counts it: the escaped commentary, in UTF-16 units. */
export function commentaryLength(caption: string): number {
  return escapeLittleText(caption).length;
}
