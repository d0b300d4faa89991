import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import {
  api,
  connect,
  JPEG_BYTES,
  linkedinControl,
  ORG_URN,
  PERSON_URN,
  postBody,
  uploadImage,
} from './linkedin-helpers.ts';

describe('LinkedIn REST: image upload and image posts', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  const initialize = (token: string, owner: unknown = PERSON_URN) =>
    api(s, '/rest/images?action=initializeUpload', {
      token,
      method: 'POST',
      body: { initializeUploadRequest: { owner } },
    });
  const put = (url: string, token: string | undefined, body: Buffer = JPEG_BYTES) =>
    fetch(url, {
      method: 'PUT',
      headers: {
        'content-type': 'application/octet-stream',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: new Uint8Array(body),
    });
  const readImage = (token: string, urn: string) => api(s, `/rest/images/${encodeURIComponent(urn)}`, { token });

  it('hands out an upload URL on the sandbox; the PUT makes the image AVAILABLE', async () => {
    const { access_token } = await connect(s, 'w_member_social r_member_social');
    const { now } = await s.control.advanceClock(0);
    const init = await initialize(access_token);
    expect(init.status).toBe(200);
    const { value } = init.json as { value: { uploadUrlExpiresAt: number; uploadUrl: string; image: string } };
    expect(value.image).toMatch(/^urn:li:image:C4E10AQ[\w-]{24}$/);
    expect(value.uploadUrl).toMatch(new RegExp(`^${s.urls.linkedinWww}/dms-uploads/[\\w-]{48}$`));
    expect(value.uploadUrlExpiresAt - Date.parse(now)).toBeGreaterThanOrEqual(3_600_000 - 2000);
    expect(value.uploadUrlExpiresAt - Date.parse(now)).toBeLessThanOrEqual(3_600_000 + 2000);

    expect((await readImage(access_token, value.image)).json).toEqual({
      id: value.image,
      owner: PERSON_URN,
      status: 'WAITING_UPLOAD',
    });
    const uploaded = await put(value.uploadUrl, access_token);
    expect(uploaded.status).toBe(201);
    expect(await uploaded.text()).toBe('');
    expect((await readImage(access_token, value.image)).json).toMatchObject({ status: 'AVAILABLE' });
    expect(await linkedinControl(s).images()).toMatchObject([{ urn: value.image, status: 'AVAILABLE', size: 12 }]);
  });

  it('refuses uploads without a token, with bytes that are no image, to unknown or expired URLs', async () => {
    const { access_token } = await connect(s, 'w_member_social');
    const { value } = (await initialize(access_token)).json as { value: { uploadUrl: string } };
    const anonymous = await put(value.uploadUrl, undefined);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'EMPTY_ACCESS_TOKEN' });
    const text = await put(value.uploadUrl, access_token, Buffer.from('not an image'));
    expect(text.status).toBe(400);
    expect(await text.json()).toMatchObject({ status: 400, code: 'ILLEGAL_ARGUMENT' });
    expect((await put(`${s.urls.linkedinWww}/dms-uploads/unknown`, access_token)).status).toBe(404);
    await s.control.advanceClock(3_600_000 + 1000);
    const expired = await put(value.uploadUrl, access_token);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({
      status: 400,
      code: 'ILLEGAL_ARGUMENT',
      message: 'The upload URL has expired',
    });
  });

  it('needs a read scope to check an image, and the right to act as the owner to initialize', async () => {
    const writeOnly = await connect(s, 'w_member_social');
    const { value } = (await initialize(writeOnly.access_token)).json as { value: { image: string } };
    const denied = await readImage(writeOnly.access_token, value.image);
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({
      status: 403,
      serviceErrorCode: 100,
      code: 'ACCESS_DENIED',
      message: `Not enough permissions to access: GET /rest/images/${value.image}`,
    });
    expect((await initialize(writeOnly.access_token, ORG_URN)).json).toMatchObject({
      status: 403,
      code: 'ACCESS_DENIED',
    });
    expect((await initialize(writeOnly.access_token, 'someone')).status).toBe(403);
    const noOwner = await api(s, '/rest/images?action=initializeUpload', {
      token: writeOnly.access_token,
      method: 'POST',
      body: { initializeUploadRequest: {} },
    });
    expect(noOwner.status).toBe(422);
    expect(noOwner.json?.message).toBe(
      'ERROR :: /initializeUploadRequest/owner :: field is required but not found and has no default value\n',
    );
    const noAction = await api(s, '/rest/images', { token: writeOnly.access_token, method: 'POST', body: {} });
    expect(noAction.status).toBe(400);
    const reader = await connect(s, 'w_member_social r_member_social');
    expect((await readImage(reader.access_token, 'urn:li:image:nope')).status).toBe(404);
  });

  it('publishes single-image, multi-image and article posts with uploaded images only', async () => {
    const { access_token } = await connect(s, 'w_member_social w_organization_social');
    const image = await uploadImage(s, access_token);
    const second = await uploadImage(s, access_token);
    const create = (content: unknown, commentary: string) =>
      api(s, '/rest/posts', { token: access_token, method: 'POST', body: postBody({ commentary, content }) });

    expect((await create({ media: { id: image, altText: 'A cup' } }, 'one')).status).toBe(201);
    expect((await create({ multiImage: { images: [{ id: image }, { id: second }] } }, 'two')).status).toBe(201);
    expect(
      (
        await create(
          { article: { source: 'https://northwind.example/news', title: 'News', thumbnail: image } },
          'three',
        )
      ).status,
    ).toBe(201);
    expect((await linkedinControl(s).posts()).map((post) => post.content)).toEqual([
      { media: { id: image, altText: 'A cup' } },
      { multiImage: { images: [{ id: image }, { id: second }] } },
      { article: { source: 'https://northwind.example/news', title: 'News', thumbnail: image } },
    ]);

    const { value } = (await initialize(access_token)).json as { value: { image: string } };
    const waiting = await create({ media: { id: value.image } }, 'four');
    expect(waiting.status).toBe(400);
    expect(waiting.json).toEqual({
      status: 400,
      code: 'ILLEGAL_ARGUMENT',
      message: `Image ${value.image} has not been uploaded`,
    });
    expect((await create({ media: { id: 'urn:li:image:missing' } }, 'five')).status).toBe(400);
    expect((await create({ multiImage: { images: [{ id: image }] } }, 'six')).status).toBe(422);
    expect((await create({ article: { source: 'not a url' } }, 'seven')).status).toBe(422);
    expect((await create({ media: { id: 'urn:li:video:C5D' } }, 'eight')).status).toBe(400);
    // An image uploaded for the member cannot illustrate the organization's post.
    const orgPost = await api(s, '/rest/posts', {
      token: access_token,
      method: 'POST',
      body: postBody({ author: ORG_URN, content: { media: { id: image } } }),
    });
    expect(orgPost.status).toBe(400);
    const orgImage = await uploadImage(s, access_token, ORG_URN);
    const orgOk = await api(s, '/rest/posts', {
      token: access_token,
      method: 'POST',
      body: postBody({ author: ORG_URN, content: { media: { id: orgImage } } }),
    });
    expect(orgOk.status).toBe(201);
  });
});
