import { fileTypeFromBuffer } from 'file-type';
import type { MediaKind } from '../../contracts/posts.ts';

/** How many leading bytes the type is judged from (file-type reads at most a few kilobytes). */
export const SNIFF_BYTES = 64 * 1024;

/** A format Tether accepts, as recognised from the file's own bytes. */
export interface AcceptedFormat {
  kind: MediaKind;
  /** The type of the file as uploaded. */
  mime: string;
  /** A short name for messages: "PNG", "MP4". */
  label: string;
}

/** file-type's extension → what Tether does with it. Anything else is refused. */
const ACCEPTED: Record<string, AcceptedFormat> = {
  jpg: { kind: 'image', mime: 'image/jpeg', label: 'JPEG' },
  png: { kind: 'image', mime: 'image/png', label: 'PNG' },
  webp: { kind: 'image', mime: 'image/webp', label: 'WebP' },
  gif: { kind: 'image', mime: 'image/gif', label: 'GIF' },
  heic: { kind: 'image', mime: 'image/heic', label: 'HEIC' },
  avif: { kind: 'image', mime: 'image/avif', label: 'AVIF' },
  mp4: { kind: 'video', mime: 'video/mp4', label: 'MP4' },
  // An MP4 with Apple's brand: served as plain MP4, which is what it is.
  m4v: { kind: 'video', mime: 'video/mp4', label: 'MP4' },
  mov: { kind: 'video', mime: 'video/quicktime', label: 'MOV' },
};

/** The sentence every refusal ends with. */
export const ACCEPTED_FORMATS_MESSAGE = 'Upload a JPEG, PNG, WebP, GIF or HEIC image, or an MP4 or MOV video.';

export class UnsupportedFormatError extends Error {
  override name = 'UnsupportedFormatError';
}

/**
 * The format of a file judged from its first bytes only: never from its name or the type the
 * client claims. Throws an {@link UnsupportedFormatError} with a message for the user otherwise.
 */
export async function sniffFormat(head: Uint8Array): Promise<AcceptedFormat> {
  if (head.length === 0) throw new UnsupportedFormatError(`The file is empty. ${ACCEPTED_FORMATS_MESSAGE}`);
  const detected = await fileTypeFromBuffer(head);
  const accepted = detected && ACCEPTED[detected.ext];
  // HEIF files say which flavour they are (image/heic, image/heif, …-sequence); keep that as the original type.
  if (accepted) return accepted.kind === 'image' ? { ...accepted, mime: detected.mime } : accepted;
  const what = detected
    ? `a ${detected.ext.toUpperCase()} file (${detected.mime})`
    : 'not an image or video Tether can read';
  throw new UnsupportedFormatError(`This file is ${what}. ${ACCEPTED_FORMATS_MESSAGE}`);
}

/** The extension of the public URL for a served type, so platforms that look at URLs see the right one. */
export function extensionFor(mime: string): string {
  switch (mime) {
    case 'image/jpeg':
      return 'jpg';
    case 'video/mp4':
      return 'mp4';
    case 'video/quicktime':
      return 'mov';
    default:
      return mime.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin';
  }
}
