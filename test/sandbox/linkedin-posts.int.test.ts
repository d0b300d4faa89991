import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import {
  api,
  connect,
  currentVersion,
  linkedinControl,
  MEMBER_SUB,
  ORG_URN,
  PERSON_URN,
  postBody,
} from './linkedin-helpers.ts';

describe('LinkedIn REST: POST /rest/posts', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  const createPost = (token: string, body: unknown, headers: Record<string, string | undefined> = {}) =>
    api(s, '/rest/posts', { token, method: 'POST', body, headers });

  it('creates a member post: 201, empty body, x-restli-id, recorded with the version used', async () => {
    const { access_token } = await connect(s, 'openid profile w_member_social');
    const version = await currentVersion(s);
    const created = await createPost(access_token, postBody({ commentary: 'Hello \\(world\\)' }));
    expect(created.status).toBe(201);
    expect(created.text).toBe('');
    const urn = created.response.headers.get('x-restli-id');
    expect(urn).toMatch(/^urn:li:share:\d{19}$/);

    const [post] = await linkedinControl(s).posts();
    expect(post).toMatchObject({
      urn,
      author: PERSON_URN,
      commentary: 'Hello \\(world\\)',
      renderedCommentary: 'Hello (world)',
      truncated: false,
      visibility: 'PUBLIC',
      lifecycleState: 'PUBLISHED',
      version,
    });
    expect((await s.control.published()).linkedin.posts.map((p) => p.urn)).toEqual([urn]);
    const second = await createPost(access_token, postBody({ commentary: 'Another one' }));
    expect(BigInt(second.response.headers.get('x-restli-id')?.split(':')[3] ?? 0)).toBe(
      BigInt(urn?.split(':')[3] ?? 0) + 1n,
    );
  });

  it('stores commentary as sent and renders it cut at the first unescaped reserved character', async () => {
    const { access_token } = await connect(s, 'w_member_social');
    const texts = [
      'Launch day \\#coffee \\@northwind \\_beans\\_ \\*new\\* \\~ \\| \\< \\> \\[x\\] \\{y\\} \\\\ done',
      'Thanks @[Northwind Coffee Co.](urn:li:organization:90000001) for the beans',
      'Price (USD) is 5',
      'Ends with a lone backslash \\',
    ];
    for (const commentary of texts) expect((await createPost(access_token, postBody({ commentary }))).status).toBe(201);
    const posts = await linkedinControl(s).posts();
    expect(posts.map((post) => post.commentary)).toEqual(texts);
    expect(posts.map((post) => [post.renderedCommentary, post.truncated])).toEqual([
      ['Launch day #coffee @northwind _beans_ *new* ~ | < > [x] {y} \\ done', false],
      ['Thanks Northwind Coffee Co. for the beans', false],
      ['Price ', true],
      ['Ends with a lone backslash ', true],
    ]);
  });

  it('needs the protocol header on writes', async () => {
    const { access_token } = await connect(s, 'w_member_social');
    const response = await createPost(access_token, postBody(), { 'x-restli-protocol-version': undefined });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      status: 400,
      code: 'ILLEGAL_ARGUMENT',
      message: 'This request requires the header X-Restli-Protocol-Version: 2.0.0',
    });
    expect((await createPost(access_token, postBody(), { 'x-restli-protocol-version': '1.0.0' })).status).toBe(400);
    expect(await linkedinControl(s).posts()).toEqual([]);
  });

  it('validates the body with LinkedIn answers: 422 for missing fields, 403 for a non-URN author', async () => {
    const { access_token } = await connect(s, 'w_member_social');
    const missing = await createPost(access_token, postBody({ author: undefined }));
    expect(missing.status).toBe(422);
    expect(missing.json).toEqual({
      message: 'ERROR :: /author :: field is required but not found and has no default value\n',
      status: 422,
    });
    const notUrn = await createPost(access_token, postBody({ author: MEMBER_SUB }));
    expect(notUrn.status).toBe(403);
    expect(notUrn.json).toEqual({
      status: 403,
      message:
        'Field Value validation failed in REQUEST_BODY: Data Processing Exception while processing fields [/author]',
    });
    const visibility = await createPost(access_token, postBody({ visibility: 'FRIENDS' }));
    expect(visibility.status).toBe(422);
    expect(visibility.json?.message).toBe('ERROR :: /visibility :: "FRIENDS" is not an enum symbol\n');
    const distribution = await createPost(access_token, postBody({ distribution: undefined }));
    expect(distribution.json?.message).toBe(
      'ERROR :: /distribution :: field is required but not found and has no default value\n',
    );
    const lifecycle = await createPost(access_token, postBody({ lifecycleState: 'LIVE' }));
    expect(lifecycle.status).toBe(422);
    const tooLong = await createPost(access_token, postBody({ commentary: 'x'.repeat(3001) }));
    expect(tooLong.status).toBe(422);
    const content = await createPost(access_token, postBody({ content: { poll: {} } }));
    expect(content.status).toBe(422);
    const notJson = await api(s, '/rest/posts', {
      token: access_token,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.json).toMatchObject({ status: 400 });
    expect(await linkedinControl(s).posts()).toEqual([]);
  });

  it("refuses another member's URN and a token without w_member_social with ACCESS_DENIED", async () => {
    const denied = {
      status: 403,
      serviceErrorCode: 100,
      code: 'ACCESS_DENIED',
      message: 'Not enough permissions to access: POST /rest/posts',
    };
    const { access_token } = await connect(s, 'w_member_social');
    const other = await createPost(access_token, postBody({ author: 'urn:li:person:someoneElse' }));
    expect(other.status).toBe(403);
    expect(other.json).toEqual(denied);
    const readOnly = await connect(s, 'openid profile');
    expect((await createPost(readOnly.access_token, postBody())).json).toEqual(denied);
  });

  it('posts as an organization with w_organization_social and a posting role only', async () => {
    const admin = await connect(s, 'w_member_social w_organization_social');
    const created = await createPost(admin.access_token, postBody({ author: ORG_URN, commentary: 'From the company' }));
    expect(created.status).toBe(201);
    expect((await linkedinControl(s).posts())[0]?.author).toBe(ORG_URN);

    const unknownOrg = await createPost(admin.access_token, postBody({ author: 'urn:li:organization:123' }));
    expect(unknownOrg.status).toBe(403);
    // (Approving a narrower scope set revokes the admin token: tested in the OAuth suite.)
    const memberOnly = await connect(s, 'w_member_social');
    expect((await createPost(memberOnly.access_token, postBody({ author: ORG_URN }))).json).toMatchObject({
      status: 403,
      code: 'ACCESS_DENIED',
    });

    await s.control.putLinkedInMember({
      sub: 'analystSub01',
      name: 'Alex Analyst',
      givenName: 'Alex',
      familyName: 'Analyst',
      email: 'alex@northwind.example',
      locale: 'en-US',
      organizations: [{ organizationId: '90000001', role: 'ANALYST' }],
    });
    await linkedinControl(s).updateSettings({ signedInMemberSub: 'analystSub01' });
    const analyst = await connect(s, 'w_member_social w_organization_social');
    expect((await createPost(analyst.access_token, postBody({ author: ORG_URN }))).status).toBe(403);
    expect((await createPost(analyst.access_token, postBody({ author: 'urn:li:person:analystSub01' }))).status).toBe(
      201,
    );
  });

  it('refuses the same commentary from the same author inside the duplicate window', async () => {
    const { access_token } = await connect(s, 'w_member_social w_organization_social');
    const first = await createPost(access_token, postBody({ commentary: 'Same words' }));
    const duplicate = await createPost(access_token, postBody({ commentary: 'Same words' }));
    expect(duplicate.status).toBe(422);
    expect(duplicate.json).toEqual({
      status: 422,
      message: `Content is a duplicate of ${first.response.headers.get('x-restli-id')}`,
    });
    expect((await createPost(access_token, postBody({ author: ORG_URN, commentary: 'Same words' }))).status).toBe(201);
    await s.control.advanceClock(10 * 60_000 + 1000);
    expect((await createPost(access_token, postBody({ commentary: 'Same words' }))).status).toBe(201);
  });
});
