import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../../contracts/errors.ts';
import { MEDIA_UPLOAD_FIELD, media, mediaList, mediaListQuery } from '../../contracts/media.ts';
import type { Config } from '../config.ts';
import { AppError, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { ACCEPTED_FORMATS_MESSAGE } from '../media/formats.ts';
import { UPLOAD_RATE_LIMIT, USER_RATE_LIMIT } from '../plugins/user-rate-limit.ts';
import {
  deleteMedia,
  getMedia,
  listMedia,
  type MediaDeps,
  storeUpload,
  toMedia,
  uploadLimitsMessage,
} from '../services/media.ts';
import { userSecurity as security } from './openapi.ts';

const tags = ['media'];

/** busboy's errors for a body that is not well-formed multipart; they carry no code. */
const MALFORMED_MULTIPART =
  /^Multipart: Boundary not found$|terminated early due to unexpected end of multipart data$|^Unexpected end of multipart data$/;

/** Multipart errors of @fastify/multipart that are the client's fault. */
const MULTIPART_LIMIT_CODES = new Set([
  'FST_REQ_FILE_TOO_LARGE',
  'FST_FILES_LIMIT',
  'FST_PARTS_LIMIT',
  'FST_FIELDS_LIMIT',
]);

/** The signed-in user's media library: upload, list, read, delete. */
export async function mediaRoutes(app: FastifyInstance, { config }: { config: Config }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const limits = config.media;
  const deps = (): MediaDeps => ({
    db: app.db,
    storage: app.mediaStorage,
    publicUrl: config.publicUrl,
    limits,
    log: app.log as Logger,
  });

  // Registered here only, so multipart bodies are accepted by the upload route and nowhere else.
  await app.register(multipart, {
    limits: {
      // Per-kind limits are applied while reading (storeUpload); this is the hard stop behind them.
      fileSize: Math.max(limits.maxImageBytes, limits.maxVideoBytes) + 1,
      files: 1,
      fields: 10,
      parts: 20,
      fieldSize: 1024,
    },
  });
  app.addHook('preValidation', app.requireUser);
  await app.register(rateLimit, USER_RATE_LIMIT);

  api.post(
    '/api/media',
    {
      config: { scope: 'media:write', rateLimit: UPLOAD_RATE_LIMIT },
      schema: {
        tags,
        summary: 'Upload an image or a video to your library',
        description:
          `multipart/form-data with the file in the field \`${MEDIA_UPLOAD_FIELD}\`. The type is judged from the ` +
          `file's bytes, never from its name. ${ACCEPTED_FORMATS_MESSAGE} Images that are not plain JPEG are converted ` +
          `to JPEG (the original is kept). ${uploadLimitsMessage(limits)}`,
        security,
        consumes: ['multipart/form-data'],
        response: {
          201: media,
          400: errorResponse,
          401: errorResponse,
          403: errorResponse,
          413: errorResponse,
          415: errorResponse,
          422: errorResponse,
          429: errorResponse,
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          `Send the file as multipart/form-data in the field "${MEDIA_UPLOAD_FIELD}".`,
        );
      const part = await request.file().catch((error: unknown) => {
        throw multipartError(error, limits);
      });
      if (!part)
        throw new AppError(
          'VALIDATION_FAILED',
          `body.${MEDIA_UPLOAD_FIELD}: attach a file in the field "${MEDIA_UPLOAD_FIELD}".`,
        );
      try {
        if (part.fieldname !== MEDIA_UPLOAD_FIELD)
          throw new AppError(
            'VALIDATION_FAILED',
            `body.${MEDIA_UPLOAD_FIELD}: send the file in the field "${MEDIA_UPLOAD_FIELD}", not "${part.fieldname}".`,
          );
        const row = await storeUpload(deps(), {
          userId: request.user!.id,
          fileName: part.filename,
          source: part.file,
        }).catch((error: unknown) => {
          throw multipartError(error, limits);
        });
        return reply.status(201).send(toMedia(config.publicUrl, row));
      } catch (error) {
        // The rest of the upload is not read: let the connection close after the answer instead
        // of receiving (and throwing away) everything the client still sends.
        if (!part.file.readableEnded) {
          part.file.on('error', () => {});
          part.file.resume();
          reply.header('connection', 'close');
        }
        throw error;
      }
    },
  );

  api.get(
    '/api/media',
    {
      config: { scope: 'media:read' },
      schema: {
        tags,
        summary: 'Your media library, newest first',
        security,
        querystring: mediaListQuery,
        response: { 200: mediaList, 400: errorResponse, 401: errorResponse },
      },
    },
    async (request) => listMedia(deps(), request.user!.id, request.query),
  );

  api.get(
    '/api/media/:id',
    {
      config: { scope: 'media:read' },
      schema: {
        tags,
        summary: 'One file of your library',
        security,
        params: z.object({ id: z.uuid() }),
        response: { 200: media, 400: errorResponse, 401: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const row = await getMedia(app.db, request.user!.id, request.params.id);
      if (!row) throw notFound('The media');
      return toMedia(config.publicUrl, row);
    },
  );

  api.delete(
    '/api/media/:id',
    {
      config: { scope: 'media:write' },
      schema: {
        tags,
        summary: 'Delete a file of your library (refused while a scheduled or publishing post uses it)',
        security,
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), 400: errorResponse, 401: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => {
      if (!(await deleteMedia(deps(), request.user!.id, request.params.id))) throw notFound('The media');
      return reply.status(204).send(null);
    },
  );
}

/** @fastify/multipart's own limit errors, in Tether's words; anything else passes through. */
function multipartError(error: unknown, limits: Config['media']): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE')
    return new AppError('PAYLOAD_TOO_LARGE', `The file is too large. ${uploadLimitsMessage(limits)}`);
  if (code && MULTIPART_LIMIT_CODES.has(code))
    return new AppError('PAYLOAD_TOO_LARGE', `Send one file per request, in the field "${MEDIA_UPLOAD_FIELD}".`);
  if (
    code === 'FST_PROTO_VIOLATION' ||
    code === 'FST_INVALID_JSON_FIELD_ERROR' ||
    (error instanceof Error && MALFORMED_MULTIPART.test(error.message))
  )
    return new AppError('BAD_REQUEST', 'The upload is not well-formed multipart/form-data.');
  return error;
}
