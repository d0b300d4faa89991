/**
 * A tiny baseline JPEG writer for solid-colour images. Each 8×8 block of a flat image has only a
 * DC coefficient, and after the first block the DC difference is 0, so the scan is a few bits per
 * block: any width × height is a real, decodable JPEG of a few kilobytes, with that size in its
 * SOF0 header. Enough for avatars and for the publishing checks (magic bytes, size, aspect ratio).
 */

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** The standard luminance DC table (ITU T.81 Annex K.3): code lengths 1–16 and the categories. */
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/** An AC table holding only end-of-block (symbol 0x00, code `0`): every block's AC part is empty. */
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0];

/** Canonical Huffman codes from a DHT description: symbol → [code, length]. */
function huffmanCodes(bits: number[], values: number[]): Map<number, [number, number]> {
  const codes = new Map<number, [number, number]>();
  let code = 0;
  let index = 0;
  bits.forEach((count, position) => {
    for (let i = 0; i < count; i++) codes.set(values[index++] ?? 0, [code++, position + 1]);
    code <<= 1;
  });
  return codes;
}

class BitWriter {
  readonly bytes: number[] = [];
  #current = 0;
  #filled = 0;

  write(value: number, length: number): void {
    for (let bit = length - 1; bit >= 0; bit--) {
      this.#current = (this.#current << 1) | ((value >> bit) & 1);
      if (++this.#filled === 8) this.#flushByte();
    }
  }

  /** Pads the last byte with 1-bits, as T.81 requires. */
  finish(): number[] {
    while (this.#filled !== 0) this.write(1, 1);
    return this.bytes;
  }

  #flushByte(): void {
    this.bytes.push(this.#current);
    // A 0xFF in entropy-coded data must be followed by a stuffed 0x00.
    if (this.#current === 0xff) this.bytes.push(0);
    this.#current = 0;
    this.#filled = 0;
  }
}

const segment = (marker: number, payload: number[]) => [
  0xff,
  marker,
  ((payload.length + 2) >> 8) & 0xff,
  (payload.length + 2) & 0xff,
  ...payload,
];

const clampByte = (value: number) => Math.max(0, Math.min(255, Math.round(value)));

/** Full-range YCbCr as JFIF defines it. */
const toYCbCr = ({ r, g, b }: Rgb) => [
  clampByte(0.299 * r + 0.587 * g + 0.114 * b),
  clampByte(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
  clampByte(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
];

/** A solid-colour baseline JPEG of `width` × `height` pixels (1–65535 each). */
export function encodeSolidJpeg(width: number, height: number, colour: Rgb): Buffer {
  const dcCodes = huffmanCodes(DC_BITS, DC_VALUES);
  const eob = huffmanCodes(AC_BITS, AC_VALUES).get(0) ?? [0, 1];
  const zeroDc = dcCodes.get(0) ?? [0, 2];
  // With a quantisation table of 1s, a flat block of level v has DC coefficient (v - 128) × 8.
  const dcValues = toYCbCr(colour).map((level) => (level - 128) * 8);
  const writer = new BitWriter();
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  for (let block = 0; block < blocks; block++) {
    for (const dc of dcValues) {
      if (block === 0 && dc !== 0) {
        const category = Math.floor(Math.log2(Math.abs(dc))) + 1;
        const [code, length] = dcCodes.get(category) ?? [0, 0];
        writer.write(code, length);
        writer.write(dc > 0 ? dc : dc + (1 << category) - 1, category);
      } else {
        writer.write(zeroDc[0], zeroDc[1]);
      }
      writer.write(eob[0], eob[1]);
    }
  }
  const component = (id: number) => [id, 0x11, 0];
  return Buffer.from([
    0xff,
    0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [
      8,
      height >> 8,
      height & 0xff,
      width >> 8,
      width & 0xff,
      3,
      ...component(1),
      ...component(2),
      ...component(3),
    ]),
    ...segment(0xc4, [0x00, ...DC_BITS, ...DC_VALUES]),
    ...segment(0xc4, [0x10, ...AC_BITS, ...AC_VALUES]),
    ...segment(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]),
    ...writer.finish(),
    0xff,
    0xd9,
  ]);
}
