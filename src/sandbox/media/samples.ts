import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import type { Rgb } from './jpeg-encoder.ts';

/** A pleasant, stable colour for a name (avatars differ per account without any stored image). */
export function colourFor(name: string): Rgb {
  const [r = 0, g = 0, b = 0] = createHash('sha256').update(name).digest();
  // Keep the colours mid-range so white initials or a dark frame stay readable.
  const soften = (value: number) => 60 + Math.round((value / 255) * 150);
  return { r: soften(r), g: soften(g), b: soften(b) };
}

/** `bytes` long: the image followed by zero padding (decoders stop at the end-of-image marker). */
export function padTo(image: Buffer, bytes: number | undefined): Buffer {
  if (bytes === undefined || bytes <= image.length) return image;
  return Buffer.concat([image, Buffer.alloc(bytes - image.length)]);
}

const pngChunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/** A solid-colour RGB PNG: the "not a JPEG" sample Instagram refuses (36001/2207005). */
export function encodeSolidPng(width: number, height: number, { r, g, b }: Rgb): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const pixels = Buffer.concat(new Array<Buffer>(height).fill(row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const MP4_HEADER_BYTES = 40;

/**
 * An MP4-shaped byte stream of exactly `bytes` bytes: an `ftyp` box and one `mdat` box of zeros.
 * Streamed in chunks, so a 400 MB sample costs nothing when the reader stops after the header
 * (as the sandbox's fetcher does once Content-Length says the file is too large).
 */
export function mp4Stream(bytes: number): Readable {
  const total = Math.max(bytes, MP4_HEADER_BYTES);
  const header = Buffer.alloc(MP4_HEADER_BYTES);
  header.writeUInt32BE(24, 0);
  header.write('ftypisom', 4, 'ascii');
  header.writeUInt32BE(0x200, 12);
  header.write('isomavc1', 16, 'ascii');
  // The mdat box covers the rest of the file (a size that does not fit in 32 bits would use
  // the 64-bit form; samples stay far below 4 GiB).
  header.writeUInt32BE(total - 24, 24);
  header.write('mdat', 28, 'ascii');
  const chunk = Buffer.alloc(64 * 1024);
  let remaining = total - MP4_HEADER_BYTES;
  let headerSent = false;
  return new Readable({
    read() {
      if (!headerSent) {
        headerSent = true;
        this.push(header);
        return;
      }
      if (remaining <= 0) {
        this.push(null);
        return;
      }
      const size = Math.min(remaining, chunk.length);
      remaining -= size;
      this.push(chunk.subarray(0, size));
    },
  });
}
