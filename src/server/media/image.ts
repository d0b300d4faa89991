import sharp, { type Metadata } from 'sharp';
import type { AcceptedFormat } from './formats.ts';

/** JPEG quality of converted images: visually lossless for photos, well under Instagram's 8 MB for 1440 px. */
export const JPEG_QUALITY = 90;

/** A file of an accepted type that cannot be decoded (damaged, or a codec this build lacks). */
export class UnreadableMediaError extends Error {
  override name = 'UnreadableMediaError';
}

export interface ProcessedImage {
  /** What is served and sent to platforms: the upload itself, or a JPEG made from it. */
  served: Buffer;
  width: number;
  height: number;
  /** Whether `served` was made from the upload (which is then kept as the original). */
  converted: boolean;
}

/** Colour spaces a JPEG may be served in as it is; anything else (CMYK, …) is converted to sRGB. */
const SERVABLE_SPACES = new Set(['srgb', 'b-w', 'rgb']);

/**
 * Whether a JPEG carries an APP2 `MPF` segment: a multi-picture (MPO) file, which Instagram
 * refuses. Walks the marker segments up to the start of the scan.
 */
export function isMultiPictureJpeg(bytes: Buffer): boolean {
  let offset = 2;
  while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xda || marker === 0xd9) return false;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    if (marker === 0xe2 && bytes.toString('latin1', offset + 4, offset + 8) === 'MPF\0') return true;
    offset += 2 + length;
  }
  return false;
}

function unreadable(format: AcceptedFormat): UnreadableMediaError {
  if (format.label === 'HEIC')
    return new UnreadableMediaError(
      'This HEIC photo cannot be decoded on this server. Export it as JPEG (on an iPhone: Settings → Camera → ' +
        'Formats → Most Compatible) and upload again.',
    );
  return new UnreadableMediaError(
    `The file looks like a ${format.label} image but could not be read; it may be damaged. Export it again and upload it.`,
  );
}

/**
 * Reads an uploaded image and decides what to serve. A plain upright sRGB (or greyscale) JPEG is
 * served byte for byte as uploaded. Everything else is converted to a baseline-compatible sRGB
 * JPEG: EXIF orientation applied, transparency flattened onto white, the first frame of an
 * animation, metadata (EXIF, GPS) dropped.
 */
export async function processImage(input: Buffer, format: AcceptedFormat): Promise<ProcessedImage> {
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { failOn: 'error' }).metadata();
  } catch {
    throw unreadable(format);
  }
  const upright = (metadata.orientation ?? 1) === 1;
  if (
    metadata.format === 'jpeg' &&
    upright &&
    SERVABLE_SPACES.has(metadata.space) &&
    !isMultiPictureJpeg(input) &&
    metadata.width > 0 &&
    metadata.height > 0
  ) {
    return { served: input, width: metadata.width, height: metadata.height, converted: false };
  }
  try {
    const { data, info } = await sharp(input, { failOn: 'error', animated: false })
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:2:0' })
      .toBuffer({ resolveWithObject: true });
    return { served: data, width: info.width, height: info.height, converted: true };
  } catch {
    throw unreadable(format);
  }
}
