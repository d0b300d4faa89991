import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, type ByteRange, MediaNotStoredError, type MediaStorage } from './storage.ts';

/** Temporary files of uploads in progress, inside the root so that the final rename stays on one filesystem. */
const TEMP_DIR = '.incoming';
/** Temporary files older than this are left over from a crash and are removed at start. */
export const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/** Where uploaded media live by default: `DATA_DIR/media`. */
export const mediaRoot = (dataDir: string) => path.join(dataDir, 'media');

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Media files on the local disk under one root (`DATA_DIR/media`), one file per key. Writes go
 * to a temporary file that is flushed and then renamed into place, so a file is either complete
 * or absent, even across a crash.
 */
export class LocalDiskStorage implements MediaStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  #path(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, source: Readable): Promise<{ sizeBytes: number }> {
    const target = this.#path(key);
    const tempDir = path.join(this.root, TEMP_DIR);
    await fs.promises.mkdir(tempDir, { recursive: true });
    const temp = path.join(tempDir, `${randomBytes(12).toString('hex')}.part`);
    try {
      // `flush`: the data reaches the disk before the file is closed and renamed into place.
      await pipeline(source, fs.createWriteStream(temp, { flags: 'wx', mode: 0o600, flush: true }));
      const { size } = await fs.promises.stat(temp);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.rename(temp, target);
      return { sizeBytes: size };
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
  }

  async openRead(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.#path(key);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, 'r');
    } catch (error) {
      if (isMissing(error)) throw new MediaNotStoredError(key);
      throw error;
    }
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async stat(key: string): Promise<{ sizeBytes: number } | null> {
    try {
      const stats = await fs.promises.stat(this.#path(key));
      return stats.isFile() ? { sizeBytes: stats.size } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.#path(key), { force: true });
  }

  /** Removes temporary files that a crashed upload left behind; returns how many. */
  async removeStaleTemporaryFiles(now = Date.now()): Promise<number> {
    const tempDir = path.join(this.root, TEMP_DIR);
    let names: string[];
    try {
      names = await fs.promises.readdir(tempDir);
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(tempDir, name);
      const stats = await fs.promises.stat(file).catch(() => undefined);
      if (stats && now - stats.mtimeMs > STALE_TEMP_MS) {
        await fs.promises.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}
