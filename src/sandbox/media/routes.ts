import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Sandbox } from '../core/sandbox.ts';
import { encodeSolidJpeg } from './jpeg-encoder.ts';
import { colourFor, encodeSolidPng, mp4Stream, padTo } from './samples.ts';

/** Largest sample dimension; keeps a mistyped query from making the sandbox encode a huge image. */
const MAX_DIMENSION = 10_000;
/** Largest padded image (the fetcher's 8 MiB limit is tested a little above it). */
const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
/** Largest video sample; streamed, so only what the reader consumes is ever produced. */
const MAX_VIDEO_BYTES = 2 * 1024 * 1024 * 1024;
const MAX_SLOW_MS = 60_000;

const AVATAR_SIZE = 150;

type Query = Record<string, string | undefined>;

class BadSampleRequest extends Error {}

/** An integer query parameter in [min, max], or `fallback` when absent. */
function intParam(query: Query, name: string, fallback: number, min: number, max: number): number;
function intParam(query: Query, name: string, fallback: undefined, min: number, max: number): number | undefined;
function intParam(query: Query, name: string, fallback: number | undefined, min: number, max: number) {
  const raw = query[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new BadSampleRequest(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

const sendImage = (reply: FastifyReply, type: string, body: Buffer) =>
  reply.header('cache-control', 'no-store').type(type).send(body);

/**
 * The sample-media CDN publishing tests point Meta's fetcher at (`/media/...`). Every file is
 * generated on request from its query parameters, so no binary fixtures exist anywhere.
 */
export async function mediaRoutes(app: FastifyInstance, _options: { sandbox: Sandbox }) {
  app.setErrorHandler((error: Error, _request, reply) => {
    if (error instanceof BadSampleRequest) return reply.status(400).send({ error: error.message });
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply.status(Math.min(status, 500)).send({ error: error.message });
  });

  app.get('/avatars/:file', { config: { endpoint: 'media.avatar' } }, async (request, reply) => {
    const { file } = request.params as { file: string };
    const name = /^([a-z0-9._-]+)\.jpg$/i.exec(file)?.[1];
    if (!name) return reply.status(404).send({ error: 'avatars are served as <name>.jpg' });
    return sendImage(reply, 'image/jpeg', encodeSolidJpeg(AVATAR_SIZE, AVATAR_SIZE, colourFor(name)));
  });

  app.get('/samples/image.jpg', { config: { endpoint: 'media.samples.image_jpg' } }, async (request, reply) => {
    const query = request.query as Query;
    const width = intParam(query, 'width', 1080, 1, MAX_DIMENSION);
    const height = intParam(query, 'height', 1080, 1, MAX_DIMENSION);
    const bytes = intParam(query, 'bytes', undefined, 1, MAX_IMAGE_BYTES);
    const image = encodeSolidJpeg(width, height, colourFor(query.seed ?? `${width}x${height}`));
    return sendImage(reply, 'image/jpeg', padTo(image, bytes));
  });

  app.get('/samples/image.png', { config: { endpoint: 'media.samples.image_png' } }, async (request, reply) => {
    const query = request.query as Query;
    const width = intParam(query, 'width', 1080, 1, 2000);
    const height = intParam(query, 'height', 1080, 1, 2000);
    const bytes = intParam(query, 'bytes', undefined, 1, MAX_IMAGE_BYTES);
    return sendImage(reply, 'image/png', padTo(encodeSolidPng(width, height, colourFor('png')), bytes));
  });

  app.get('/samples/video.mp4', { config: { endpoint: 'media.samples.video_mp4' } }, async (request, reply) => {
    const query = request.query as Query;
    const durationMs = intParam(query, 'duration_ms', 15_000, 1, 24 * 3_600_000);
    const width = intParam(query, 'width', 1080, 1, MAX_DIMENSION);
    const height = intParam(query, 'height', 1920, 1, MAX_DIMENSION);
    const bytes = intParam(query, 'bytes', 256 * 1024, 1, MAX_VIDEO_BYTES);
    return reply
      .header('cache-control', 'no-store')
      .header('content-length', String(Math.max(bytes, 40)))
      .header('x-sandbox-video-duration-ms', String(durationMs))
      .header('x-sandbox-video-width', String(width))
      .header('x-sandbox-video-height', String(height))
      .type('video/mp4')
      .send(mp4Stream(bytes));
  });

  // Answers after `ms` real milliseconds: the fetcher's timeout path (-2/2207003).
  app.get('/samples/slow.jpg', { config: { endpoint: 'media.samples.slow_jpg' } }, async (request, reply) => {
    const ms = intParam(request.query as Query, 'ms', 10_000, 0, MAX_SLOW_MS);
    const hungUp = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      // The fetcher gives up first; stop waiting when it hangs up so the server can close promptly.
      reply.raw.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    // Nobody is listening any more: tell Fastify not to answer.
    if (hungUp) return reply.hijack();
    return sendImage(reply, 'image/jpeg', encodeSolidJpeg(1080, 1080, colourFor('slow')));
  });
}
