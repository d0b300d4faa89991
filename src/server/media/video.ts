import { createFile, type Movie, MP4BoxBuffer } from 'mp4box';
import { UnreadableMediaError } from './image.ts';
import type { MediaStorage } from './storage.ts';

/** A movie header larger than this is not believed (a 15-minute 60 fps video has a few MB). */
export const MAX_MOVIE_HEADER_BYTES = 64 * 1024 * 1024;
/** Top-level boxes walked before giving up on finding the movie header. */
const MAX_TOP_LEVEL_BOXES = 1_000;

export interface VideoMetadata {
  /** Display size: after the track's rotation matrix, as players and platforms show it. */
  width: number;
  height: number;
  durationMs: number | null;
  /** RFC 6381 codec string of the video track, e.g. `avc1.42000a`. */
  codec: string;
}

async function readRange(storage: MediaStorage, key: string, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.openRead(key, { start, end })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const notAVideo = (why: string) =>
  new UnreadableMediaError(`The video could not be read (${why}). Export it again as MP4 (H.264) and upload it.`);

/**
 * Finds the `ftyp` and `moov` boxes among the file's top-level boxes with ranged reads, so only
 * box headers and the movie header are read, wherever the `moov` box is (front or end).
 */
async function readHeaderBoxes(storage: MediaStorage, key: string, size: number): Promise<Buffer[]> {
  const boxes: Buffer[] = [];
  let offset = 0;
  for (let count = 0; offset + 8 <= size && count < MAX_TOP_LEVEL_BOXES; count++) {
    const header = await readRange(storage, key, offset, Math.min(offset + 15, size - 1));
    const size32 = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    let boxSize: number;
    let headerSize = 8;
    if (size32 === 1) {
      if (header.length < 16) throw notAVideo('a box is cut short');
      boxSize = Number(header.readBigUInt64BE(8));
      headerSize = 16;
    } else boxSize = size32 === 0 ? size - offset : size32;
    if (boxSize < headerSize || offset + boxSize > size) throw notAVideo('the file is cut short or damaged');
    if (type === 'ftyp' || type === 'moov') {
      if (boxSize > MAX_MOVIE_HEADER_BYTES) throw notAVideo('its header is too large');
      boxes.push(await readRange(storage, key, offset, offset + boxSize - 1));
      if (type === 'moov') return boxes;
    }
    offset += boxSize;
  }
  throw notAVideo('it has no movie header');
}

/** Whether a track's transformation matrix turns the picture by 90° or 270°. */
function isQuarterTurn(matrix: ArrayLike<number>): boolean {
  const [a = 0, b = 0, , c = 0, d = 0] = Array.from(matrix);
  return a === 0 && d === 0 && b !== 0 && c !== 0;
}

function parseMovie(boxes: Buffer[]): Movie {
  // Only the header boxes are parsed, back to back: sample offsets are wrong then, but the track
  // descriptions, sizes and durations this needs do not depend on them.
  const bytes = Buffer.concat(boxes);
  const file = createFile();
  let movie: Movie | undefined;
  let failure: string | undefined;
  file.onReady = (info) => {
    movie = info;
  };
  file.onError = (module, message) => {
    failure = `${module}: ${message}`;
  };
  try {
    const buffer = MP4BoxBuffer.fromArrayBuffer(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
      0,
    );
    file.appendBuffer(buffer, true);
    file.flush();
  } catch (error) {
    failure = (error as Error).message;
  }
  if (!movie) throw notAVideo(failure ? 'its header is damaged' : 'it has no movie header');
  return movie;
}

/**
 * Dimensions, duration and codec of a stored MP4 or MOV file, read from its container with
 * mp4box (pure JavaScript, no ffmpeg). Throws an {@link UnreadableMediaError} for anything that
 * is not a movie with a video track.
 */
export async function readVideoMetadata(storage: MediaStorage, key: string, sizeBytes: number): Promise<VideoMetadata> {
  const movie = parseMovie(await readHeaderBoxes(storage, key, sizeBytes));
  const track = movie.videoTracks[0];
  if (!track) throw notAVideo('it has no video track');
  let width = Math.round(track.track_width || track.video?.width || 0);
  let height = Math.round(track.track_height || track.video?.height || 0);
  if (width <= 0 || height <= 0) throw notAVideo('its picture size is missing');
  if (isQuarterTurn(track.matrix)) [width, height] = [height, width];
  const seconds =
    movie.duration > 0 && movie.timescale > 0
      ? movie.duration / movie.timescale
      : track.timescale > 0
        ? (track.samples_duration || track.duration) / track.timescale
        : 0;
  return { width, height, durationMs: seconds > 0 ? Math.round(seconds * 1000) : null, codec: track.codec };
}
