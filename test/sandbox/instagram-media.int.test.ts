import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readJpegInfo } from '../../src/sandbox/instagram/media-inspect.ts';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import {
  BRAND,
  expectGraphError,
  fbToken,
  graph,
  igControl,
  igToken,
  imageUrl,
  videoUrl,
} from './instagram-helpers.ts';

describe('sample-media CDN and the media fetcher', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    await s.control.reset();
  });

  describe('CDN', () => {
    it('serves avatars as small JPEGs', async () => {
      const response = await fetch(`${s.urls.media}/avatars/northwind-coffee.jpg`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(readJpegInfo(bytes)).toEqual({ width: 150, height: 150, multiPicture: false });
      expect(bytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
      expect((await fetch(`${s.urls.media}/avatars/northwind.png`)).status).toBe(404);
    });

    it('serves JPEGs of any size, padded to a byte count', async () => {
      const response = await fetch(imageUrl(s, { width: 1080, height: 566, bytes: 100_000 }));
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBe(100_000);
      expect(readJpegInfo(bytes)).toMatchObject({ width: 1080, height: 566 });
      expect((await fetch(imageUrl(s, { width: 'wide' }))).status).toBe(400);
    });

    it('serves a PNG and an MP4 with the sandbox video headers', async () => {
      const png = Buffer.from(await (await fetch(`${s.urls.media}/samples/image.png?width=4&height=4`)).arrayBuffer());
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const video = await fetch(videoUrl(s, { duration_ms: 12_000, width: 720, height: 1280, bytes: 5000 }));
      expect(video.headers.get('content-type')).toBe('video/mp4');
      expect(video.headers.get('x-sandbox-video-duration-ms')).toBe('12000');
      expect(video.headers.get('x-sandbox-video-width')).toBe('720');
      expect(video.headers.get('x-sandbox-video-height')).toBe('1280');
      const bytes = Buffer.from(await video.arrayBuffer());
      expect(bytes.length).toBe(5000);
      expect(bytes.toString('latin1', 4, 8)).toBe('ftyp');
    });

    it('answers slow.jpg after the delay', async () => {
      const started = Date.now();
      const response = await fetch(`${s.urls.media}/samples/slow.jpg?ms=30`);
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    });
  });

  describe('image checks at container creation', () => {
    const create = (url: string, extra: Record<string, string> = {}) =>
      graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, igToken(s), { image_url: url, ...extra });

    it('refuses a non-JPEG with 36001/2207005', async () => {
      expectGraphError(await create(`${s.urls.media}/samples/image.png`), 36001, 2207005);
    });

    it('refuses an unreachable URL or a 404 with 9004/2207052', async () => {
      expectGraphError(await create('http://127.0.0.1:1/nothing.jpg'), 9004, 2207052);
      expectGraphError(await create(`${s.urls.media}/samples/missing.jpg`), 9004, 2207052);
      expectGraphError(await create('not a url'), 9004, 2207052);
    });

    it('gives up on a slow download with -2/2207003', async () => {
      await igControl(s).updateSettings({ mediaFetchTimeoutMs: 50 });
      const result = await create(`${s.urls.media}/samples/slow.jpg?ms=2000`);
      const error = expectGraphError(result, -2, 2207003);
      expect((result.body as { error: { is_transient: boolean } }).error.is_transient).toBe(true);
      expect(error.message).toMatch(/too long/);
    });

    it('refuses an image over 8 MiB with 36000/2207004', async () => {
      expect((await create(imageUrl(s, { bytes: 8 * 1024 * 1024 }))).status).toBe(200);
      expectGraphError(await create(imageUrl(s, { bytes: 8 * 1024 * 1024 + 1 })), 36000, 2207004);
    });

    it('accepts 4:5 to 1.91:1 and refuses other aspect ratios with 36003/2207009', async () => {
      expect((await create(imageUrl(s, { width: 1080, height: 1350 }))).status).toBe(200);
      expect((await create(imageUrl(s, { width: 1910, height: 1000 }))).status).toBe(200);
      expectGraphError(await create(imageUrl(s, { width: 1080, height: 1920 })), 36003, 2207009);
      expectGraphError(await create(imageUrl(s, { width: 2000, height: 1000 })), 36003, 2207009);
      // Stories take any aspect ratio.
      expect((await create(imageUrl(s, { width: 1080, height: 1920 }), { media_type: 'STORIES' })).status).toBe(200);
    });
  });

  describe('video checks', () => {
    const reel = async (url: string, extra: Record<string, string> = {}) => {
      const token = igToken(s);
      const created = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, {
        media_type: 'REELS',
        video_url: url,
        ...extra,
      });
      return { created, token };
    };
    const statusOf = async (id: string, token: string) =>
      (await graph(s, 'graph-instagram', 'GET', `/${id}`, token, { fields: 'status_code,status' })).body;

    it('puts a container with a bad video in ERROR with 2207026', async () => {
      for (const url of [
        imageUrl(s), // not a video at all
        videoUrl(s, { duration_ms: 2000 }), // under 3 s
        videoUrl(s, { duration_ms: 16 * 60_000 }), // over 15 min
        videoUrl(s, { width: 2160, height: 3840 }), // wider than 1920 px
        videoUrl(s, { bytes: 301 * 1024 * 1024 }), // over 300 MB (only the head is downloaded)
      ]) {
        const { created, token } = await reel(url);
        expect(created.status).toBe(200);
        const status = await statusOf(created.body.id, token);
        expect(status, url).toMatchObject({
          status_code: 'ERROR',
          status: expect.stringMatching(/^Error: .*\(2207026\)$/),
        });
        expectGraphError(
          await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media_publish`, token, { creation_id: created.body.id }),
          9007,
          2207027,
        );
      }
    });

    it('refuses an unreachable video URL and an invalid thumb_offset at once', async () => {
      expectGraphError((await reel(`${s.urls.media}/samples/none.mp4`)).created, 9004, 2207052);
      expectGraphError((await reel(videoUrl(s), { thumb_offset: '-5' })).created, 1, 2207057);
      expectGraphError(
        (await reel(videoUrl(s), { cover_url: `${s.urls.media}/samples/image.png` })).created,
        36001,
        2207005,
      );
    });

    it('uses the configured processing delay', async () => {
      await igControl(s).updateSettings({ videoProcessingMs: 0 });
      const { created, token } = await reel(videoUrl(s));
      expect((await statusOf(created.body.id, token)).status_code).toBe('FINISHED');
    });
  });

  describe('resumable upload', () => {
    const startUpload = async (token: string, host: 'graph-instagram' | 'graph-facebook' = 'graph-facebook') => {
      const created = await graph(s, host, 'POST', `/${BRAND}/media`, token, {
        media_type: 'REELS',
        upload_type: 'resumable',
        caption: 'uploaded',
      });
      expect(created.status).toBe(200);
      return created.body as { id: string; uri: string };
    };
    const mp4 = () => {
      const bytes = Buffer.alloc(4096);
      bytes.writeUInt32BE(24, 0);
      bytes.write('ftypisom', 4, 'latin1');
      return bytes;
    };
    const upload = (uri: string, token: string, headers: Record<string, string>, body?: Buffer) =>
      fetch(uri, {
        method: 'POST',
        headers: { authorization: `OAuth ${token}`, 'content-type': 'application/octet-stream', ...headers },
        body: body ? new Uint8Array(body) : undefined,
      });

    it('returns an rupload URI and takes the raw bytes', async () => {
      const token = fbToken(s);
      const { id, uri } = await startUpload(token);
      expect(uri).toBe(`${s.urls.facebookRupload}/ig-api-upload/v25.0/${id}`);
      const waiting = await graph(s, 'graph-facebook', 'GET', `/${id}`, token, { fields: 'status_code,status' });
      expect(waiting.body).toMatchObject({ status_code: 'IN_PROGRESS', status: expect.stringMatching(/upload/) });

      const body = mp4();
      const response = await upload(
        uri,
        token,
        {
          offset: '0',
          file_size: String(body.length),
          'x-sandbox-video-duration-ms': '8000',
        },
        body,
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ success: true, message: 'Upload successful.' });
      await s.control.advanceClock(10_000);
      const finished = await graph(s, 'graph-facebook', 'GET', `/${id}`, token, { fields: 'status_code' });
      expect(finished.body.status_code).toBe('FINISHED');
      expect(
        (await graph(s, 'graph-facebook', 'POST', `/${BRAND}/media_publish`, token, { creation_id: id })).status,
      ).toBe(200);

      const again = await upload(uri, token, { offset: '0', file_size: String(body.length) }, body);
      expect(again.status).toBe(400);
      expect((await again.json()).debug_info).toMatchObject({ retriable: false, type: 'ProcessingFailedError' });
    });

    it('fetches the file_url header instead of a body', async () => {
      const token = fbToken(s);
      const { id, uri } = await startUpload(token);
      const response = await upload(uri, token, { file_url: videoUrl(s, { duration_ms: 5000 }) });
      expect(response.status).toBe(200);
      await s.control.advanceClock(10_000);
      expect(
        (await graph(s, 'graph-facebook', 'GET', `/${id}`, token, { fields: 'status_code' })).body.status_code,
      ).toBe('FINISHED');
    });

    it('refuses bad tokens, a wrong file_size, and marks a non-video ERROR', async () => {
      const token = fbToken(s);
      const { id, uri } = await startUpload(token);
      const body = mp4();
      const noToken = await upload(uri, 'EAABnonsense', { offset: '0', file_size: String(body.length) }, body);
      expect(noToken.status).toBe(401);
      expect((await noToken.json()).debug_info.type).toBe('OAuthException');
      const wrongSize = await upload(uri, token, { offset: '0', file_size: '1' }, body);
      expect(wrongSize.status).toBe(400);
      const notVideo = Buffer.from('hello, this is not a video');
      expect((await upload(uri, token, { offset: '0', file_size: String(notVideo.length) }, notVideo)).status).toBe(
        200,
      );
      const status = await graph(s, 'graph-facebook', 'GET', `/${id}`, token, { fields: 'status_code,status' });
      expect(status.body).toMatchObject({ status_code: 'ERROR', status: expect.stringMatching(/2207026/) });
    });

    it('accepts Instagram Login tokens unless switched off', async () => {
      const token = igToken(s);
      const first = await startUpload(token, 'graph-instagram');
      const body = mp4();
      expect((await upload(first.uri, token, { offset: '0', file_size: String(body.length) }, body)).status).toBe(200);
      await igControl(s).updateSettings({ resumableWithInstagramLogin: false });
      const second = await startUpload(token, 'graph-instagram');
      const refused = await upload(second.uri, token, { offset: '0', file_size: String(body.length) }, body);
      expect(refused.status).toBe(401);
    });
  });
});
