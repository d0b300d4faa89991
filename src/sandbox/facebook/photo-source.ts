import { GraphError } from '../core/graph.ts';

/** Page photos must be smaller than 10 MB (reference §7.2). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** How long the sandbox's stand-in for Meta's fetcher waits for a photo URL. */
const FETCH_TIMEOUT_MS = 10_000;

/** Leading bytes of the formats Pages accept (JPEG, PNG, GIF, BMP, TIFF; the list is [unconfirmed]). */
const SIGNATURES = [
  [0xff, 0xd8, 0xff],
  [0x89, 0x50, 0x4e, 0x47],
  [0x47, 0x49, 0x46, 0x38],
  [0x42, 0x4d],
  [0x49, 0x49, 0x2a, 0x00],
  [0x4d, 0x4d, 0x00, 0x2a],
];

const invalidImage = () => new GraphError({ code: 324, message: '(#324) Missing or invalid image file' });

/** Throws 324 unless `bytes` look like an image of an accepted format and size. */
export function checkPhotoBytes(bytes: Buffer): void {
  if (bytes.length > MAX_PHOTO_BYTES) throw invalidImage();
  if (!SIGNATURES.some((signature) => signature.every((byte, index) => bytes[index] === byte))) throw invalidImage();
}

/** Downloads a photo URL as Meta does (the sandbox's sample CDN in tests); any failure is 324. */
export async function fetchPhoto(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch {
    throw invalidImage();
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (!response.ok || declared > MAX_PHOTO_BYTES) {
    await response.body?.cancel();
    throw invalidImage();
  }
  const bytes = await readAtMost(response, MAX_PHOTO_BYTES + 1);
  checkPhotoBytes(bytes);
  return bytes;
}

/** Reads the body but stops after `limit` bytes, so a huge or endless response cannot exhaust memory. */
async function readAtMost(response: Response, limit: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for await (const chunk of response.body ?? []) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= limit) break;
    }
  } catch {
    throw invalidImage();
  }
  return Buffer.concat(chunks);
}
