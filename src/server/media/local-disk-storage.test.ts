import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDiskStorage, STALE_TEMP_MS } from './local-disk-storage.ts';
import { MediaNotStoredError } from './storage.ts';

const read = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe('LocalDiskStorage', () => {
  let root: string;
  let storage: LocalDiskStorage;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-media-'));
    storage = new LocalDiskStorage(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const files = () =>
    (fs.readdirSync(root, { recursive: true }) as string[]).filter((name) =>
      fs.statSync(path.join(root, name)).isFile(),
    );

  it('stores a stream under a key, reads it whole or by inclusive byte range, and deletes it', async () => {
    const bytes = Buffer.from('0123456789');
    expect(await storage.put('ab/abcdef.jpg', Readable.from([bytes.subarray(0, 4), bytes.subarray(4)]))).toEqual({
      sizeBytes: 10,
    });
    expect(fs.readFileSync(path.join(root, 'ab', 'abcdef.jpg'))).toEqual(bytes);
    expect(await read(await storage.openRead('ab/abcdef.jpg'))).toEqual(bytes);
    expect((await read(await storage.openRead('ab/abcdef.jpg', { start: 2, end: 4 }))).toString()).toBe('234');
    expect(await storage.stat('ab/abcdef.jpg')).toEqual({ sizeBytes: 10 });

    await storage.delete('ab/abcdef.jpg');
    await storage.delete('ab/abcdef.jpg');
    expect(await storage.stat('ab/abcdef.jpg')).toBeNull();
    await expect(storage.openRead('ab/abcdef.jpg')).rejects.toBeInstanceOf(MediaNotStoredError);
  });

  it('leaves nothing behind when the source fails half-way, and keeps an earlier file under the key', async () => {
    await storage.put('ab/kept.mp4', Readable.from([Buffer.from('old')]));
    async function* failing() {
      yield Buffer.from('partial data');
      throw new Error('client went away');
    }
    await expect(storage.put('ab/kept.mp4', Readable.from(failing()))).rejects.toThrow('client went away');
    await expect(storage.put('ab/new.mp4', Readable.from(failing()))).rejects.toThrow('client went away');
    expect(files()).toEqual([path.join('ab', 'kept.mp4')]);
    expect((await read(await storage.openRead('ab/kept.mp4'))).toString()).toBe('old');
  });

  it('refuses keys that could leave the root or were not made by Tether', async () => {
    for (const key of ['../etc/passwd', 'ab/../../x', '/abs/path', 'ab//x', 'AB/x.jpg', 'ab/x y.jpg', '', 'ab/..']) {
      await expect(storage.put(key, Readable.from([Buffer.from('x')])), key).rejects.toThrow(
        /invalid media storage key/,
      );
      await expect(storage.stat(key), key).rejects.toThrow(/invalid media storage key/);
    }
  });

  it('removes temporary files of crashed uploads once they are stale', async () => {
    const temp = path.join(root, '.incoming');
    fs.mkdirSync(temp, { recursive: true });
    fs.writeFileSync(path.join(temp, 'old.part'), 'x');
    fs.writeFileSync(path.join(temp, 'fresh.part'), 'x');
    const old = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    fs.utimesSync(path.join(temp, 'old.part'), old, old);
    expect(await storage.removeStaleTemporaryFiles()).toBe(1);
    expect(fs.readdirSync(temp)).toEqual(['fresh.part']);
  });
});
