import type { Readable } from 'node:stream';

/** Inclusive byte offsets, as in an HTTP `Range: bytes=start-end` header. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where media files live. Callers only ever name files by keys Tether made itself (never from
 * user input), and see nothing of the backend: the local disk today, an S3-compatible bucket
 * later, behind the same four calls.
 *
 * Contract for implementations:
 * - `put` stores the whole stream under `key` or nothing: a reader never sees a partial file,
 *   and a failed or aborted source leaves no file behind. It rejects with the source's error.
 * - `openRead` fails with {@link MediaNotStoredError} when there is no such file.
 * - `delete` of a missing key succeeds (deletion is idempotent).
 */
export interface MediaStorage {
  put(key: string, source: Readable): Promise<{ sizeBytes: number }>;
  openRead(key: string, range?: ByteRange): Promise<Readable>;
  stat(key: string): Promise<{ sizeBytes: number } | null>;
  delete(key: string): Promise<void>;
}

export class MediaNotStoredError extends Error {
  override name = 'MediaNotStoredError';
  constructor(key: string) {
    super(`no stored media file under ${key}`);
  }
}

/** Keys are lower-case paths of safe segments; nothing can climb out of the storage root. */
const KEY = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

export function assertValidKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((segment) => segment === '..' || segment.includes('..')))
    throw new Error(`invalid media storage key: ${JSON.stringify(key)}`);
}
