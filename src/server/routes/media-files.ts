import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../errors.ts';
import { parseRange } from '../media/byte-range.ts';
import { extensionFor } from '../media/formats.ts';
import { MediaNotStoredError } from '../media/storage.ts';
import { findByPublicId } from '../services/media.ts';

/**
 * A file never changes under its public id (a new upload gets a new id), so caches may keep it
 * without asking again; a day rather than a year, so a deleted file does not linger in caches.
 */
export const MEDIA_CACHE_CONTROL = 'public, max-age=86400, immutable';

/** `<publicId>` or `<publicId>.<ext>`: 43 base64url characters (256 bits), then the served type's extension. */
const FILE_NAME = /^([A-Za-z0-9_-]{43})(?:\.([a-z0-9]{2,5}))?$/;

/** Whether an If-None-Match header names this entity tag (or `*`). */
const matchesEtag = (header: string | undefined, etag: string): boolean =>
  Boolean(
    header?.split(',').some((candidate) => {
      const tag = candidate.trim().replace(/^W\//, '');
      return tag === etag || tag === '*';
    }),
  );

/**
 * Public media files, for the platforms that fetch them (and for previews): no sign-in, the
 * unguessable public id is the only key. Byte ranges are served for video players and
 * resumable fetchers.
 */
export async function mediaFileRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.route({
    method: ['GET', 'HEAD'],
    url: '/media/:file',
    schema: {
      tags: ['media'],
      summary: 'A media file at its public address (no sign-in; supports Range requests)',
      params: z.object({ file: z.string().describe('The public id, optionally with the extension of the file type.') }),
    },
    handler: async (request, reply) => {
      const match = FILE_NAME.exec(request.params.file);
      const row = match ? await findByPublicId(app.db, match[1]!) : undefined;
      if (!row || (match?.[2] !== undefined && match[2] !== extensionFor(row.mime))) throw notFound('The file');

      const size = row.sizeBytes;
      const etag = `"${row.sha256}"`;
      const headers = {
        etag,
        'last-modified': row.createdAt.toUTCString(),
        'cache-control': MEDIA_CACHE_CONTROL,
        'accept-ranges': 'bytes',
        'x-content-type-options': 'nosniff',
        // helmet answers same-origin by default, which would stop other sites from showing the file.
        'cross-origin-resource-policy': 'cross-origin',
      };
      if (matchesEtag(request.headers['if-none-match'], etag)) return reply.status(304).headers(headers).send();

      let wanted = parseRange(request.headers.range, size);
      // If-Range: a range of this exact file only; for any other validator the whole file is sent.
      const ifRange = request.headers['if-range'];
      if (wanted.kind !== 'full' && ifRange !== undefined && ifRange !== etag) wanted = { kind: 'full' };
      if (wanted.kind === 'unsatisfiable') {
        reply.header('content-range', `bytes */${size}`);
        throw new AppError(
          'RANGE_NOT_SATISFIABLE',
          `The requested range is not within the file (${size} bytes), or is not a single byte range.`,
        );
      }
      const range = wanted.kind === 'partial' ? wanted.range : undefined;
      const length = range ? range.end - range.start + 1 : size;

      let body: NodeJS.ReadableStream | undefined;
      if (request.method !== 'HEAD') {
        try {
          body = await app.mediaStorage.openRead(row.storageKey, range);
        } catch (error) {
          if (!(error instanceof MediaNotStoredError)) throw error;
          request.log.warn({ mediaId: row.id }, 'media row without a stored file');
          throw notFound('The file');
        }
      }
      reply.headers({ ...headers, 'content-type': row.mime, 'content-length': String(length) });
      if (range) reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
      return reply.send(body);
    },
  });
}
