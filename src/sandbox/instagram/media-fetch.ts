import { GraphError } from '../core/graph.ts';
import {
  isJpeg,
  type JpegInfo,
  looksLikeMp4OrMov,
  readJpegInfo,
  type VideoInfo,
  videoMetadata,
} from './media-inspect.ts';
import { publishErrors } from './publish-errors.ts';

export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
/** Enough of a video to see its container signature when the rest is not needed. */
const VIDEO_HEAD_BYTES = 64;

interface Downloaded {
  /** The bytes read: all of them, or the head when the file is larger than `maxBytes`. */
  bytes: Buffer;
  /** The full size: Content-Length when given, else what was read. */
  size: number;
  tooLarge: boolean;
  headers: Headers;
}

/** Reads the body until it ends or exceeds `limit` bytes, then stops the download. */
async function readUpTo(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<{ bytes: Buffer; over: boolean }> {
  if (!body) return { bytes: Buffer.alloc(0), over: false };
  const reader = body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks), over: false };
    chunks.push(Buffer.from(value));
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      return { bytes: Buffer.concat(chunks), over: true };
    }
  }
}

/**
 * Downloads `url` the way Meta's servers do when a container is created (reference §4.6): a
 * real GET, failing with 9004/2207052 when unreachable or not 2xx and -2/2207003 on timeout.
 */
export async function download(url: string, maxBytes: number, timeoutMs: number): Promise<Downloaded> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw publishErrors.notFetched('the URL is not valid');
  }
  // Meta requires ASCII URLs; `new URL` would quietly percent-encode anything else.
  if (!/^https?:$/.test(parsed.protocol) || /[^\x20-\x7e]/.test(url))
    throw publishErrors.notFetched('the URL is not a public http(s) URL');
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(parsed, { signal, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      throw publishErrors.notFetched(`HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      const { bytes } = await readUpTo(response.body, VIDEO_HEAD_BYTES);
      return { bytes, size: declared, tooLarge: true, headers: response.headers };
    }
    const { bytes, over } = await readUpTo(response.body, maxBytes);
    return {
      bytes,
      size: Number.isFinite(declared) ? declared : bytes.length,
      tooLarge: over,
      headers: response.headers,
    };
  } catch (error) {
    if (error instanceof GraphError) throw error;
    if (signal.aborted) throw publishErrors.downloadTimeout();
    throw publishErrors.notFetched('the host could not be reached');
  }
}

/**
 * Fetches and checks an image: JPEG only (not MPO), ≤ 8 MiB, and for feed images an aspect ratio
 * between 4:5 and 1.91:1 read from the JPEG frame header.
 */
export async function fetchImage(
  url: string,
  options: { checkAspectRatio: boolean; timeoutMs: number },
): Promise<JpegInfo> {
  const { bytes, tooLarge } = await download(url, MAX_IMAGE_BYTES, options.timeoutMs);
  if (tooLarge) throw publishErrors.imageTooLarge();
  if (!isJpeg(bytes)) throw publishErrors.imageFormat('the file is not a JPEG');
  const info = readJpegInfo(bytes);
  if (!info) throw publishErrors.imageFormat('the JPEG has no frame header');
  if (info.multiPicture) throw publishErrors.imageFormat('MPO (multi-picture) JPEG files are not supported');
  const ratio = info.width / info.height;
  if (options.checkAspectRatio && (ratio < 0.8 - 1e-9 || ratio > 1.91 + 1e-9))
    throw publishErrors.aspectRatio(info.width, info.height);
  return info;
}

/** Video bytes as received: the head (for the signature), the content type and the sandbox metadata. */
export interface VideoSource {
  head: Buffer;
  contentType: string | null;
  info: VideoInfo;
}

/** Fetches a video far enough to judge it; the verdict is given later, as a container status. */
export async function fetchVideo(url: string, maxBytes: number, timeoutMs: number): Promise<VideoSource> {
  const { bytes, size, headers } = await download(url, maxBytes, timeoutMs);
  return {
    head: bytes.subarray(0, VIDEO_HEAD_BYTES),
    contentType: headers.get('content-type'),
    info: videoMetadata(headers, size),
  };
}

/** Per kind of video: size, length, width and aspect-ratio limits (reference §4.6). */
export interface VideoRules {
  maxBytes: number;
  minDurationMs: number;
  maxDurationMs: number;
  maxWidth?: number;
  minAspect: number;
  maxAspect: number;
}

const MB = 1024 * 1024;
export const REELS_RULES: VideoRules = {
  maxBytes: 300 * MB,
  minDurationMs: 3_000,
  maxDurationMs: 15 * 60_000,
  maxWidth: 1920,
  minAspect: 0.01,
  maxAspect: 10,
};
export const STORY_RULES: VideoRules = {
  maxBytes: 100 * MB,
  minDurationMs: 3_000,
  maxDurationMs: 60_000,
  minAspect: 0.1,
  maxAspect: 10,
};

/** Why a video is unusable, or undefined when it meets the rules (missing metadata is not checked). */
export function videoProblem(source: VideoSource, rules: VideoRules): string | undefined {
  const type = source.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type && !type.startsWith('video/') && type !== 'application/octet-stream')
    return `the content type ${type} is not a video`;
  if (!looksLikeMp4OrMov(source.head)) return 'the file is not an MP4 or MOV container';
  const { bytes, durationMs, width, height } = source.info;
  if (bytes > rules.maxBytes) return `the video is larger than ${rules.maxBytes / MB} MB`;
  if (durationMs !== undefined && (durationMs < rules.minDurationMs || durationMs > rules.maxDurationMs))
    return `the video is ${durationMs / 1000} s long; it must be ${rules.minDurationMs / 1000}–${rules.maxDurationMs / 1000} s`;
  if (width !== undefined && rules.maxWidth !== undefined && width > rules.maxWidth)
    return `the video is ${width} px wide; the maximum is ${rules.maxWidth} px`;
  if (width !== undefined && height !== undefined) {
    const ratio = width / height;
    if (ratio < rules.minAspect || ratio > rules.maxAspect)
      return `the aspect ratio ${width}x${height} is not supported`;
  }
  return undefined;
}
