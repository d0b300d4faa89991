/** Reads just enough of a media file to apply Instagram's published requirements (reference §4.6). */

export const isJpeg = (bytes: Buffer) =>
  bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

/** Start-of-frame markers carry the dimensions; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not. */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

export interface JpegInfo {
  width: number;
  height: number;
  /** An APP2 `MPF` segment: a multi-picture (MPO) file, which Instagram does not accept. */
  multiPicture: boolean;
}

/** Walks the JPEG marker segments up to the frame header; undefined when there is none (not a usable JPEG). */
export function readJpegInfo(bytes: Buffer): JpegInfo | undefined {
  if (!isJpeg(bytes)) return undefined;
  let multiPicture = false;
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] ?? 0;
    // Fill bytes (FF FF …) and the parameterless markers (TEM, RST0–7) have no length field.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined;
    const length = bytes.readUInt16BE(offset + 2);
    if (length < 2) return undefined;
    if (marker === 0xe2 && bytes.toString('latin1', offset + 4, offset + 8) === 'MPF\0') multiPicture = true;
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length) return undefined;
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7), multiPicture };
    }
    offset += 2 + length;
  }
  return undefined;
}

/** MP4 and QuickTime files start with a box whose type is one of these (after a 4-byte size). */
const VIDEO_BOX_TYPES = new Set(['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip']);

export const looksLikeMp4OrMov = (head: Buffer) =>
  head.length >= 8 && VIDEO_BOX_TYPES.has(head.toString('latin1', 4, 8));

export interface VideoInfo {
  bytes: number;
  durationMs?: number;
  width?: number;
  height?: number;
}

/** Sandbox-only metadata headers (a real fetcher would decode the file): `x-sandbox-video-*`. */
export function videoMetadata(headers: { get(name: string): string | null }, bytes: number): VideoInfo {
  const number = (name: string) => {
    const value = Number(headers.get(`x-sandbox-video-${name}`) ?? Number.NaN);
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  return { bytes, durationMs: number('duration-ms'), width: number('width'), height: number('height') };
}
