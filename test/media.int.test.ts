import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedAccounts, media, posts, postTargets, user } from '../src/server/db/schema/index.ts';
import { mediaRoot } from '../src/server/media/local-disk-storage.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

/** 4 s of H.264, 192×108, moov at the end (see test/fixtures/make-sample-video.ts). */
const SAMPLE_VIDEO = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'sample-video.mp4'));

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A multipart/form-data body as a browser would send it, built by the platform's own FormData. */
async function multipart(file: { bytes: Buffer; name: string; type?: string; field?: string }) {
  const form = new FormData();
  form.append(file.field ?? 'file', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? '' }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get('content-type')!,
  };
}

interface MediaBody {
  id: string;
  url: string;
  kind: string;
  mime: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  sizeBytes: number;
  sha256: string;
  fileName: string | null;
  originalMime: string | null;
  createdAt: string;
}

const solid = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: { r: 200, g: 80, b: 40, alpha: 0.5 } } });

/** Pixels that do not compress: a file of a predictable, large size. */
const noise = (width: number, height: number) =>
  sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } });

describe('media library', () => {
  let t: TestApp;
  let alice: { cookie: string };
  let bob: { cookie: string };

  beforeAll(async () => {
    t = await createTestApp();
    alice = await signUp(t.app, { email: 'alice@example.com' });
    bob = await signUp(t.app, { email: 'bob@example.com' });
  });
  afterAll(() => t.close());

  const upload = async (
    who: { cookie: string },
    file: { bytes: Buffer; name: string; type?: string; field?: string },
    app = t,
  ) => {
    const { payload, contentType } = await multipart(file);
    return app.app.inject({
      method: 'POST',
      url: '/api/media',
      headers: { cookie: who.cookie, origin: ORIGIN, 'content-type': contentType },
      payload,
    });
  };

  const uploaded = async (who: { cookie: string }, file: { bytes: Buffer; name: string; type?: string }) => {
    const response = await upload(who, file);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as MediaBody;
  };

  const fetchPublic = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') =>
    t.app.inject({ method, url: new URL(url).pathname, headers });

  const storedFiles = () =>
    (fs.readdirSync(mediaRoot(t.config.dataDir), { recursive: true }) as string[]).filter((name) =>
      fs.statSync(path.join(mediaRoot(t.config.dataDir), name)).isFile(),
    );

  it('keeps a JPEG as uploaded and serves the same bytes at an unguessable public URL', async () => {
    const bytes = await solid(1080, 1350).jpeg({ quality: 80 }).toBuffer();
    const body = await uploaded(alice, { bytes, name: 'holiday.jpg', type: 'image/jpeg' });
    expect(body).toEqual({
      id: expect.any(String),
      url: expect.stringMatching(/^http:\/\/localhost:3000\/media\/[A-Za-z0-9_-]{43}\.jpg$/),
      kind: 'image',
      mime: 'image/jpeg',
      width: 1080,
      height: 1350,
      durationMs: null,
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      fileName: 'holiday.jpg',
      originalMime: null,
      createdAt: expect.any(String),
    });

    const served = await fetchPublic(body.url);
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(bytes)).toBe(true);
    expect(served.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'content-length': String(bytes.length),
      'accept-ranges': 'bytes',
      etag: `"${sha256(bytes)}"`,
      'cache-control': expect.stringContaining('immutable'),
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'cross-origin',
    });
    expect(served.headers['set-cookie']).toBeUndefined();

    const head = await fetchPublic(body.url, {}, 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(bytes.length));
    expect(head.rawPayload.length).toBe(0);

    const withoutExtension = await fetchPublic(body.url.replace(/\.jpg$/, ''));
    expect(withoutExtension.rawPayload.equals(bytes)).toBe(true);
    expect((await fetchPublic(body.url.replace(/\.jpg$/, '.png'))).statusCode).toBe(404);

    const notModified = await fetchPublic(body.url, { 'if-none-match': `"${sha256(bytes)}"` });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);
  });

  it('converts a PNG with transparency to an sRGB JPEG and keeps the original beside it', async () => {
    const png = await solid(400, 300, 4).png().toBuffer();
    const body = await uploaded(alice, { bytes: png, name: 'logo.png', type: 'image/png' });
    expect(body).toMatchObject({
      kind: 'image',
      mime: 'image/jpeg',
      width: 400,
      height: 300,
      originalMime: 'image/png',
    });
    expect(body.url).toMatch(/\.jpg$/);

    const served = await fetchPublic(body.url);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.rawPayload.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
    expect(sha256(served.rawPayload)).toBe(body.sha256);
    expect(served.rawPayload.length).toBe(body.sizeBytes);
    const metadata = await sharp(served.rawPayload).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 400, height: 300, space: 'srgb', hasAlpha: false });

    const [row] = await t.database.db.select().from(media).where(eq(media.id, body.id));
    expect(row?.originalStorageKey).toMatch(/\.original\.png$/);
    const chunks: Buffer[] = [];
    for await (const chunk of await t.app.mediaStorage.openRead(row!.originalStorageKey!)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(png)).toBe(true);
  });

  it('converts WebP and GIF (first frame) to JPEG', async () => {
    const webp = await solid(640, 640).webp().toBuffer();
    expect(await uploaded(alice, { bytes: webp, name: 'square.webp' })).toMatchObject({
      mime: 'image/jpeg',
      originalMime: 'image/webp',
      width: 640,
      height: 640,
    });
    const gif = await solid(120, 80).gif().toBuffer();
    expect(await uploaded(alice, { bytes: gif, name: 'anim.gif' })).toMatchObject({
      mime: 'image/jpeg',
      originalMime: 'image/gif',
      width: 120,
      height: 80,
    });
  });

  it('converts HEIF-family photos it can decode, and says how to export the ones it cannot', async () => {
    const avif = await solid(64, 48).avif().toBuffer();
    expect(await uploaded(alice, { bytes: avif, name: 'photo.avif' })).toMatchObject({
      mime: 'image/jpeg',
      originalMime: 'image/avif',
      width: 64,
      height: 48,
    });
    // The same AV1-coded picture under the brand iPhones write: recognised as HEIC and decoded.
    const heic = Buffer.from(avif);
    heic.write('heic', heic.indexOf('avif'), 'latin1');
    expect(await uploaded(alice, { bytes: heic, name: 'IMG_0001.HEIC' })).toMatchObject({
      mime: 'image/jpeg',
      originalMime: 'image/heic',
    });
    // A HEIC this server cannot decode (here: cut short) is a 422 that says what to do.
    const broken = await upload(alice, { bytes: heic.subarray(0, 200), name: 'IMG_0002.HEIC' });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().error).toEqual({
      code: 'MEDIA_UNREADABLE',
      message: expect.stringMatching(/Export it as JPEG/),
    });
  });

  it('applies EXIF orientation: a JPEG stored sideways is served upright', async () => {
    // 200×100 pixels with "rotate 90° clockwise" (orientation 6): displayed as 100×200.
    const sideways = await solid(200, 100).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const body = await uploaded(alice, { bytes: sideways, name: 'phone.jpg' });
    expect(body).toMatchObject({ mime: 'image/jpeg', width: 100, height: 200, originalMime: 'image/jpeg' });
    const metadata = await sharp((await fetchPublic(body.url)).rawPayload).metadata();
    expect(metadata.width).toBe(100);
    expect(metadata.height).toBe(200);
    expect(metadata.orientation ?? 1).toBe(1);
  });

  it('judges the type from the bytes: text named .jpg and sent as image/jpeg is refused with 415', async () => {
    const before = storedFiles().length;
    const response = await upload(alice, {
      bytes: Buffer.from('this is not a picture, just some text\n'.repeat(20)),
      name: 'photo.jpg',
      type: 'image/jpeg',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(response.json().error.message).toMatch(/JPEG, PNG, WebP, GIF or HEIC image, or an MP4 or MOV video/);

    const pdf = await upload(alice, { bytes: Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), name: 'x.png' });
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().error.message).toMatch(/PDF/);
    expect(storedFiles().length).toBe(before);
  });

  it('refuses requests that are not one file in the "file" field', async () => {
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/media',
      headers: { cookie: alice.cookie, origin: ORIGIN },
      payload: { url: 'https://example.com/a.jpg' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.message).toMatch(/multipart\/form-data/);

    const wrongField = await upload(alice, {
      bytes: await solid(10, 10).jpeg().toBuffer(),
      name: 'a.jpg',
      field: 'image',
    });
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().error.message).toMatch(/"file"/);

    const anonymous = await upload({ cookie: '' }, { bytes: await solid(10, 10).jpeg().toBuffer(), name: 'a.jpg' });
    expect(anonymous.statusCode).toBe(401);

    // A form posted from another site with the session cookie.
    const { payload, contentType } = await multipart({ bytes: await solid(10, 10).jpeg().toBuffer(), name: 'a.jpg' });
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/media',
      headers: { cookie: alice.cookie, origin: 'https://evil.example', 'content-type': contentType },
      payload,
    });
    expect(crossSite.statusCode).toBe(403);
  });

  it('reads a video container without ffmpeg and serves byte ranges', async () => {
    const body = await uploaded(alice, { bytes: SAMPLE_VIDEO, name: 'clip.mp4', type: 'video/mp4' });
    expect(body).toMatchObject({
      kind: 'video',
      mime: 'video/mp4',
      width: 192,
      height: 108,
      durationMs: 4000,
      sizeBytes: SAMPLE_VIDEO.length,
      sha256: sha256(SAMPLE_VIDEO),
      originalMime: null,
    });
    expect(body.url).toMatch(/\.mp4$/);
    const size = SAMPLE_VIDEO.length;

    const whole = await fetchPublic(body.url);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(whole.rawPayload.equals(SAMPLE_VIDEO)).toBe(true);

    const middle = await fetchPublic(body.url, { range: 'bytes=100-199' });
    expect(middle.statusCode).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 100-199/${size}`);
    expect(middle.headers['content-length']).toBe('100');
    expect(middle.rawPayload.equals(SAMPLE_VIDEO.subarray(100, 200))).toBe(true);

    const suffix = await fetchPublic(body.url, { range: 'bytes=-50' });
    expect(suffix.statusCode).toBe(206);
    expect(suffix.headers['content-range']).toBe(`bytes ${size - 50}-${size - 1}/${size}`);
    expect(suffix.rawPayload.equals(SAMPLE_VIDEO.subarray(size - 50))).toBe(true);

    const openEnded = await fetchPublic(body.url, { range: `bytes=${size - 10}-` });
    expect(openEnded.rawPayload.equals(SAMPLE_VIDEO.subarray(size - 10))).toBe(true);
    const pastEnd = await fetchPublic(body.url, { range: `bytes=0-${size * 2}` });
    expect(pastEnd.statusCode).toBe(206);
    expect(pastEnd.headers['content-range']).toBe(`bytes 0-${size - 1}/${size}`);

    for (const range of [`bytes=${size}-`, 'bytes=500-100', 'bytes=abc', 'bytes=-0']) {
      const refused = await fetchPublic(body.url, { range });
      expect(refused.statusCode, range).toBe(416);
      expect(refused.headers['content-range'], range).toBe(`bytes */${size}`);
      expect(refused.json().error.code).toBe('RANGE_NOT_SATISFIABLE');
    }

    const staleIfRange = await fetchPublic(body.url, { range: 'bytes=0-9', 'if-range': '"something-else"' });
    expect(staleIfRange.statusCode).toBe(200);
    expect(staleIfRange.rawPayload.length).toBe(size);
    const headRange = await fetchPublic(body.url, { range: 'bytes=0-9' }, 'HEAD');
    expect(headRange.statusCode).toBe(206);
    expect(headRange.headers['content-length']).toBe('10');
  });

  it('accepts a QuickTime (MOV) file and refuses a cut-off video with 422', async () => {
    const mov = Buffer.from(SAMPLE_VIDEO);
    expect(mov.toString('latin1', 4, 8)).toBe('ftyp');
    mov.write('qt  ', 8, 'latin1');
    const body = await uploaded(alice, { bytes: mov, name: 'clip.mov' });
    expect(body).toMatchObject({ kind: 'video', mime: 'video/quicktime', width: 192, height: 108, durationMs: 4000 });
    expect(body.url).toMatch(/\.mov$/);
    expect((await fetchPublic(body.url)).headers['content-type']).toBe('video/quicktime');

    const before = storedFiles().length;
    const cut = await upload(alice, { bytes: SAMPLE_VIDEO.subarray(0, 4000), name: 'broken.mp4' });
    expect(cut.statusCode).toBe(422);
    expect(cut.json().error.code).toBe('MEDIA_UNREADABLE');
    expect(cut.json().error.message).toMatch(/MP4/);
    expect(storedFiles().length).toBe(before);
  });

  it('lists the library newest first, page by page, and only the caller’s own', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/api/media?limit=2', headers: { cookie: alice.cookie } });
    expect(first.statusCode).toBe(200);
    const all: MediaBody[] = [...first.json().media];
    let cursor: string | null = first.json().nextCursor;
    expect(all).toHaveLength(2);
    while (cursor) {
      const page = await t.app.inject({
        method: 'GET',
        url: `/api/media?limit=2&cursor=${cursor}`,
        headers: { cookie: alice.cookie },
      });
      expect(page.statusCode).toBe(200);
      all.push(...page.json().media);
      cursor = page.json().nextCursor;
    }
    const everything = await t.app.inject({ method: 'GET', url: '/api/media', headers: { cookie: alice.cookie } });
    expect(all.map((item) => item.id)).toEqual(everything.json().media.map((item: MediaBody) => item.id));
    expect(new Set(all.map((item) => item.id)).size).toBe(all.length);
    const times = all.map((item) => item.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const one = await t.app.inject({
      method: 'GET',
      url: `/api/media/${all[0]!.id}`,
      headers: { cookie: alice.cookie },
    });
    expect(one.json()).toEqual(all[0]);

    const bobs = await t.app.inject({ method: 'GET', url: '/api/media', headers: { cookie: bob.cookie } });
    expect(bobs.json()).toEqual({ media: [], nextCursor: null });
    const badCursor = await t.app.inject({
      method: 'GET',
      url: '/api/media?cursor=nope',
      headers: { cookie: alice.cookie },
    });
    expect(badCursor.statusCode).toBe(400);
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/media', '/api/media/{id}', '/media/{file}']),
    );
    expect(document.paths['/api/media'].post.responses['201']).toBeDefined();
  });

  it("answers 404 for unknown ids and for another user's media, and leaves it alone", async () => {
    const body = await uploaded(alice, { bytes: await solid(50, 50).jpeg().toBuffer(), name: 'mine.jpg' });
    for (const method of ['GET', 'DELETE'] as const) {
      const foreign = await t.app.inject({
        method,
        url: `/api/media/${body.id}`,
        headers: { cookie: bob.cookie, origin: ORIGIN },
      });
      expect(foreign.statusCode, method).toBe(404);
      expect(foreign.json().error.code).toBe('NOT_FOUND');
    }
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/media/00000000-0000-4000-8000-000000000000',
      headers: { cookie: alice.cookie },
    });
    expect(unknown.statusCode).toBe(404);
    expect((await fetchPublic(body.url)).statusCode).toBe(200);
    expect((await fetchPublic(`http://localhost:3000/media/${'A'.repeat(43)}.jpg`)).statusCode).toBe(404);
    expect((await fetchPublic('http://localhost:3000/media/short')).statusCode).toBe(404);
    expect((await fetchPublic('http://localhost:3000/media/')).json().error.code).toBe('NOT_FOUND');
  });

  it('deletes a file: the row, the public URL and the stored files (original included) are gone', async () => {
    const body = await uploaded(alice, { bytes: await solid(300, 300).png().toBuffer(), name: 'gone.png' });
    const [row] = await t.database.db.select().from(media).where(eq(media.id, body.id));
    const keys = [row!.storageKey, row!.originalStorageKey!];
    for (const key of keys) expect(await t.app.mediaStorage.stat(key)).not.toBeNull();

    const response = await t.app.inject({
      method: 'DELETE',
      url: `/api/media/${body.id}`,
      headers: { cookie: alice.cookie, origin: ORIGIN },
    });
    expect(response.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/media/${body.id}`, headers: { cookie: alice.cookie } }))
        .statusCode,
    ).toBe(404);
    expect((await fetchPublic(body.url)).statusCode).toBe(404);
    for (const key of keys) expect(await t.app.mediaStorage.stat(key)).toBeNull();
  });

  it('refuses to delete media that a scheduled or publishing post still uses (409), and allows it once published', async () => {
    const body = await uploaded(alice, { bytes: await solid(1080, 1080).jpeg().toBuffer(), name: 'post.jpg' });
    const [owner] = await t.database.db.select().from(user).where(eq(user.email, 'alice@example.com'));
    const [account] = await t.database.db
      .insert(connectedAccounts)
      .values({ userId: owner!.id, provider: 'instagram', externalId: `ig-${body.id}` })
      .returning();
    const [post] = await t.database.db
      .insert(posts)
      .values({ userId: owner!.id, caption: 'hi', mediaIds: [body.id], scheduledAt: new Date(Date.now() + 3_600_000) })
      .returning();
    const [target] = await t.database.db
      .insert(postTargets)
      .values({ postId: post!.id, accountId: account!.id, kind: 'feed', status: 'scheduled' })
      .returning();

    const remove = () =>
      t.app.inject({
        method: 'DELETE',
        url: `/api/media/${body.id}`,
        headers: { cookie: alice.cookie, origin: ORIGIN },
      });
    for (const status of ['scheduled', 'publishing', 'processing'] as const) {
      await t.database.db.update(postTargets).set({ status }).where(eq(postTargets.id, target!.id));
      const refused = await remove();
      expect(refused.statusCode, status).toBe(409);
      expect(refused.json().error.code).toBe('MEDIA_IN_USE');
      expect(refused.json().error.message).toMatch(/scheduled or being published/);
    }
    expect((await fetchPublic(body.url)).statusCode).toBe(200);

    await t.database.db.update(postTargets).set({ status: 'published' }).where(eq(postTargets.id, target!.id));
    expect((await remove()).statusCode).toBe(204);
  });
});

describe('media upload limits', () => {
  let t: TestApp;
  let carol: { cookie: string };
  beforeAll(async () => {
    t = await createTestApp({ MEDIA_MAX_IMAGE_BYTES: '200000', MEDIA_MAX_VIDEO_BYTES: '10000' });
    carol = await signUp(t.app, { email: 'carol@example.com' });
  });
  afterAll(() => t.close());

  const upload = async (bytes: Buffer, name: string) => {
    const { payload, contentType } = await multipart({ bytes, name });
    return t.app.inject({
      method: 'POST',
      url: '/api/media',
      headers: { cookie: carol.cookie, origin: ORIGIN, 'content-type': contentType },
      payload,
    });
  };

  const storedFiles = () => {
    const root = mediaRoot(t.config.dataDir);
    if (!fs.existsSync(root)) return [];
    return (fs.readdirSync(root, { recursive: true }) as string[]).filter((name) =>
      fs.statSync(path.join(root, name)).isFile(),
    );
  };

  it('refuses an image over MEDIA_MAX_IMAGE_BYTES with 413 and a message that gives the limits', async () => {
    const big = await noise(400, 400).png().toBuffer();
    expect(big.length).toBeGreaterThan(200_000);
    const response = await upload(big, 'big.png');
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(response.json().error.message).toMatch(/PNG image is larger than 0\.2 MB.*Images can be up to 0\.2 MB/);
    expect(storedFiles()).toEqual([]);
  });

  it('refuses a video over MEDIA_MAX_VIDEO_BYTES with 413 and stores nothing', async () => {
    const response = await upload(SAMPLE_VIDEO, 'clip.mp4');
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toMatch(/MP4 video is larger than/);
    expect(storedFiles()).toEqual([]);
    const list = await t.app.inject({ method: 'GET', url: '/api/media', headers: { cookie: carol.cookie } });
    expect(list.json().media).toEqual([]);
  });

  it('still takes files under the limits', async () => {
    const small = await solid(100, 100).jpeg().toBuffer();
    expect((await upload(small, 'small.jpg')).statusCode).toBe(201);
  });
});
