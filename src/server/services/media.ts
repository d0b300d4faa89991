import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, arrayContains, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Media, MediaList, MediaListQuery } from '../../contracts/media.ts';
import type { TargetStatus } from '../../contracts/posts.ts';
import type { Database } from '../db/client.ts';
import { media, posts, postTargets } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import {
  type AcceptedFormat,
  extensionFor,
  SNIFF_BYTES,
  sniffFormat,
  UnsupportedFormatError,
} from '../media/formats.ts';
import { processImage, UnreadableMediaError } from '../media/image.ts';
import type { MediaStorage } from '../media/storage.ts';
import { readVideoMetadata } from '../media/video.ts';

export type MediaRow = typeof media.$inferSelect;

export interface MediaDeps {
  db: Database;
  storage: MediaStorage;
  publicUrl: string;
  limits: MediaUploadLimits;
  log: Logger;
}

/** Largest upload per kind, in bytes (MEDIA_MAX_IMAGE_BYTES, MEDIA_MAX_VIDEO_BYTES). */
export interface MediaUploadLimits {
  maxImageBytes: number;
  maxVideoBytes: number;
}

/** A target in one of these states will still make a platform fetch the file. */
export const MEDIA_IN_USE_STATUSES: readonly TargetStatus[] = ['scheduled', 'publishing', 'processing'];

/** 256 random bits, base64url: the only public name of a file. */
const PUBLIC_ID_BYTES = 32;

const MB = 1024 * 1024;
const megabytes = (bytes: number) => `${Number((bytes / MB).toFixed(1))} MB`;

/** The public address of a file; the extension helps platforms that judge a URL by its ending. */
export const publicMediaUrl = (publicUrl: string, row: Pick<MediaRow, 'publicId' | 'mime'>) =>
  `${publicUrl}/media/${row.publicId}.${extensionFor(row.mime)}`;

export function toMedia(publicUrl: string, row: MediaRow): Media {
  return {
    id: row.id,
    url: publicMediaUrl(publicUrl, row),
    kind: row.kind,
    mime: row.mime,
    width: row.width,
    height: row.height,
    durationMs: row.durationMs,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    fileName: row.fileName,
    originalMime: row.originalMime,
    createdAt: row.createdAt.toISOString(),
  };
}

export const uploadLimitsMessage = (limits: MediaUploadLimits) =>
  `Images can be up to ${megabytes(limits.maxImageBytes)} and videos up to ${megabytes(limits.maxVideoBytes)}.`;

function tooLarge(format: AcceptedFormat, limit: number, limits: MediaUploadLimits): AppError {
  const what = format.kind === 'image' ? `This ${format.label} image` : `This ${format.label} video`;
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `${what} is larger than ${megabytes(limit)}. ${uploadLimitsMessage(limits)} Export it smaller and upload again.`,
  );
}

/** Reads the first `SNIFF_BYTES` of a stream and hands back a stream of the whole, head included. */
async function splitHead(source: AsyncIterable<Buffer>): Promise<{ head: Buffer; rest: () => AsyncGenerator<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest() {
    yield head;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, rest };
}

/** The whole stream, metered and hashed, failing as soon as it passes `limit` bytes. */
async function* metered(
  source: AsyncIterable<Buffer>,
  { limit, onOver, hash }: { limit: number; onOver: () => Error; hash?: ReturnType<typeof createHash> },
) {
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limit) throw onOver();
    hash?.update(chunk);
    yield chunk;
  }
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Keys come from the row id only; the first two hex digits spread files over 256 folders. */
const storageKey = (id: string, suffix: string) => `${id.slice(0, 2)}/${id}${suffix}`;

/** At most this much of an uploaded file name is kept (it is only shown, never used as a path). */
const FILE_NAME_MAX = 255;

function cleanFileName(name: string | undefined): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const cleaned = name?.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return cleaned ? cleaned.slice(0, FILE_NAME_MAX) : null;
}

/**
 * Stores an upload: judges its type from its bytes, converts images that platforms refuse to
 * JPEG (keeping the original), reads dimensions and durations, and writes the library row.
 * Videos are streamed to storage and never held in memory; images are (they are small and
 * must be decoded anyway). Throws AppErrors with messages for the uploader.
 */
export async function storeUpload(
  deps: MediaDeps,
  input: { userId: string; fileName: string | undefined; source: AsyncIterable<Buffer> },
): Promise<MediaRow> {
  const { head, rest } = await splitHead(input.source);
  let format: AcceptedFormat;
  try {
    format = await sniffFormat(head);
  } catch (error) {
    if (error instanceof UnsupportedFormatError) throw new AppError('UNSUPPORTED_MEDIA_TYPE', error.message);
    throw error;
  }
  const id = randomUUID();
  const written: string[] = [];
  try {
    const stored =
      format.kind === 'image'
        ? await storeImage(deps, id, format, rest(), written)
        : await storeVideo(deps, id, format, rest(), written);
    const [row] = await deps.db
      .insert(media)
      .values({
        id,
        userId: input.userId,
        publicId: randomBytes(PUBLIC_ID_BYTES).toString('base64url'),
        kind: format.kind,
        fileName: cleanFileName(input.fileName),
        ...stored,
      })
      .returning();
    return row!;
  } catch (error) {
    await Promise.all(written.map((key) => deps.storage.delete(key).catch(() => undefined)));
    if (error instanceof UnreadableMediaError) throw new AppError('MEDIA_UNREADABLE', error.message);
    throw error;
  }
}

type StoredFields = Pick<
  MediaRow,
  | 'storageKey'
  | 'mime'
  | 'sizeBytes'
  | 'sha256'
  | 'width'
  | 'height'
  | 'durationMs'
  | 'originalStorageKey'
  | 'originalMime'
>;

async function storeImage(
  deps: MediaDeps,
  id: string,
  format: AcceptedFormat,
  source: AsyncIterable<Buffer>,
  written: string[],
): Promise<StoredFields> {
  const limit = deps.limits.maxImageBytes;
  const upload = await collect(metered(source, { limit, onOver: () => tooLarge(format, limit, deps.limits) }));
  const image = await processImage(upload, format);
  let original: Pick<StoredFields, 'originalStorageKey' | 'originalMime'> = {
    originalStorageKey: null,
    originalMime: null,
  };
  if (image.converted) {
    const originalKey = storageKey(id, `.original.${extensionFor(format.mime)}`);
    written.push(originalKey);
    await deps.storage.put(originalKey, Readable.from(upload));
    original = { originalStorageKey: originalKey, originalMime: format.mime };
  }
  const key = storageKey(id, '.jpg');
  written.push(key);
  const { sizeBytes } = await deps.storage.put(key, Readable.from(image.served));
  return {
    storageKey: key,
    mime: 'image/jpeg',
    sizeBytes,
    sha256: createHash('sha256').update(image.served).digest('hex'),
    width: image.width,
    height: image.height,
    durationMs: null,
    ...original,
  };
}

async function storeVideo(
  deps: MediaDeps,
  id: string,
  format: AcceptedFormat,
  source: AsyncIterable<Buffer>,
  written: string[],
): Promise<StoredFields> {
  const limit = deps.limits.maxVideoBytes;
  const hash = createHash('sha256');
  const key = storageKey(id, `.${extensionFor(format.mime)}`);
  written.push(key);
  const { sizeBytes } = await deps.storage.put(
    key,
    Readable.from(metered(source, { limit, onOver: () => tooLarge(format, limit, deps.limits), hash })),
  );
  const video = await readVideoMetadata(deps.storage, key, sizeBytes);
  return {
    storageKey: key,
    mime: format.mime,
    sizeBytes,
    sha256: hash.digest('hex'),
    width: video.width,
    height: video.height,
    durationMs: video.durationMs,
    originalStorageKey: null,
    originalMime: null,
  };
}

export async function getMedia(db: Database, userId: string, id: string): Promise<MediaRow | undefined> {
  const [row] = await db
    .select()
    .from(media)
    .where(and(eq(media.id, id), eq(media.userId, userId)));
  return row;
}

export async function findByPublicId(db: Database, publicId: string): Promise<MediaRow | undefined> {
  const [row] = await db.select().from(media).where(eq(media.publicId, publicId));
  return row;
}

/**
 * Cursors are the position of the last row: its creation time in whole microseconds (exact,
 * unlike a JavaScript Date) and its id, so rows created in the same instant are neither skipped
 * nor repeated, and deleting that row does not end the list.
 */
const CURSOR = /^(\d{1,20})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const createdMicros = sql<string>`((extract(epoch from ${media.createdAt}) * 1000000)::bigint)::text`;

function parseCursor(cursor: string): { micros: string; id: string } {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) throw new AppError('VALIDATION_FAILED', 'querystring.cursor: not a cursor from this list');
  return { micros: match[1]!, id: match[2]! };
}

export async function listMedia(
  deps: Pick<MediaDeps, 'db' | 'publicUrl'>,
  userId: string,
  query: MediaListQuery,
): Promise<MediaList> {
  const conditions: SQL[] = [eq(media.userId, userId)];
  if (query.cursor) {
    const { micros, id } = parseCursor(query.cursor);
    conditions.push(
      sql`(${media.createdAt}, ${media.id}) < ('epoch'::timestamptz + ${micros}::bigint * interval '1 microsecond', ${id}::uuid)`,
    );
  }
  const rows = await deps.db
    .select({ row: media, micros: createdMicros })
    .from(media)
    .where(and(...conditions))
    .orderBy(desc(media.createdAt), desc(media.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    media: page.map(({ row }) => toMedia(deps.publicUrl, row)),
    nextCursor:
      rows.length > query.limit && last
        ? Buffer.from(`${last.micros}.${last.row.id}`, 'latin1').toString('base64url')
        : null,
  };
}

/**
 * Deletes a file of the user's library, unless a post that is still to be published uses it
 * (platforms fetch the file while publishing). The row is locked while that is checked; the
 * files go after the commit, and a file that cannot be removed is only logged.
 */
export async function deleteMedia(deps: MediaDeps, userId: string, id: string): Promise<boolean> {
  const row = await deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select()
      .from(media)
      .where(and(eq(media.id, id), eq(media.userId, userId)))
      .for('update');
    if (!found) return undefined;
    const users = await tx
      .selectDistinct({ postId: posts.id })
      .from(postTargets)
      .innerJoin(posts, eq(posts.id, postTargets.postId))
      .where(and(arrayContains(posts.mediaIds, [id]), inArray(postTargets.status, [...MEDIA_IN_USE_STATUSES])));
    if (users.length > 0) {
      const which = users.length === 1 ? 'a post that is' : `${users.length} posts that are`;
      throw new AppError(
        'MEDIA_IN_USE',
        `This file is used by ${which} still scheduled or being published. Cancel the post, or wait until it is published, then delete the file.`,
      );
    }
    await tx.delete(media).where(eq(media.id, id));
    return found;
  });
  if (!row) return false;
  for (const key of [row.storageKey, row.originalStorageKey]) {
    if (!key) continue;
    await deps.storage
      .delete(key)
      .catch((error: unknown) => deps.log.warn({ err: error, key }, 'media file not removed'));
  }
  return true;
}
